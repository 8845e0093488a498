// Public API of the conflicts domain: pure types and functions, no framework imports.
export * from './conflicts.errors';
export * from './conflicts.types';
export { addDays, toMs } from './time';

export * from './referral/referral.types';
export * from './referral/exclusivity-window';
export * from './referral/referral.decider';
export * from './referral/referral.queries';
export * from './referral/referral-pipeline';

export * from './rules/facts';
export * from './rules/rule';
export * from './rules/duplicate-registration.rule';
export * from './rules/policy-vs-registration.rule';
export * from './rules/servicing-relationship.rule';
export * from './rules/strategic-account.rule';
export * from './rules/channel-quote-clash.rule';
export * from './rules/detect';
export * from './rules/as-of';
export * from './rules/sales-as-of';
export * from './rules/quotes-as-of';
export * from './rules/approaches-as-of';

export * from './resolution/precedence';
export * from './resolution/resolution-rules';
export * from './resolution/resolve';
export * from './resolution/dry-run';

export * from './conflict/conflict.types';
export * from './conflict/credit-shares';
export * from './conflict/conflict.decider';
export * from './conflict/ageing';
export * from './conflict/decision-outputs';
