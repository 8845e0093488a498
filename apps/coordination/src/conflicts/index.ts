// Public API of the conflicts feature for the app module and the crediting wiring.
export * from './conflicts.module';
export * from './conflicts.ports';
export { conflictsSettings, type ConflictsSettings } from './conflicts.settings';
export { conflictsMigrations } from './persistence/conflicts.migrations';
export { ActivityLoggedHandler } from './inbound/activity-logged.handler';
export { PolicyIssuedHandler } from './inbound/policy-issued.handler';
export { PolicyStatusChangedHandler } from './inbound/policy-status-changed.handler';
export { ReferralRegisteredHandler } from './inbound/referral-registered.handler';
export { ConflictsProjection } from './projections/conflicts.projection';
export { ReferralsProjection } from './projections/referrals.projection';
export { ReferralExpiryTask } from './scheduling/referral-expiry.task';
export type { CreditDecision } from './domain';
