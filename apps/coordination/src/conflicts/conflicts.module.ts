import { APP_CONFIG } from '@lib/platform';
import { DynamicModule, Module, type ModuleMetadata, type Provider, type Type } from '@nestjs/common';
import { PARTY_RESOLVER, type PartyResolver } from '../infrastructure/tokens';
import { ConflictAdminService } from './admin/conflict-admin.service';
import { ConflictQueries } from './admin/conflict-queries';
import { PrecedenceAdminService } from './admin/precedence-admin.service';
import { ReferralCommandsService } from './admin/referral-commands.service';
import { ReferralQueries } from './admin/referral-queries';
import { UnitOfWork } from './admin/unit-of-work';
import {
  CONFLICT_RESOLUTION_LISTENERS, CONFLICTS_PARTY_DIRECTORY, CONFLICTS_PARTY_PROFILES, CONFLICTS_SERVICING_REJUDGEMENT, CONFLICTS_SETTINGS,
  type ConflictResolutionListener, type PartyDirectoryPort, type PartyProfileSource,
} from './conflicts.ports';
import { conflictsSettings, type ConflictsSettings } from './conflicts.settings';
import { ConflictsAdminController } from './http/conflicts-admin.controller';
import { ReferralsController } from './http/referrals.controller';
import { ActivityLoggedHandler } from './inbound/activity-logged.handler';
import { PolicyIssuedHandler } from './inbound/policy-issued.handler';
import { PolicyStatusChangedHandler } from './inbound/policy-status-changed.handler';
import { ReferralRegisteredHandler } from './inbound/referral-registered.handler';
import { ServicingChangedHandler } from './inbound/servicing-changed.handler';
import { SqlPartyDirectory } from './parties/sql-party-directory';
import { SqlPartyProfiles } from './parties/party-profiles';
import { ConflictsProjection } from './projections/conflicts.projection';
import { ReferralsProjection } from './projections/referrals.projection';
import { ReferralExpiryTask } from './scheduling/referral-expiry.task';
import { ConflictFactsLoader } from './write/conflict-facts.loader';
import { ConflictRecorder } from './write/conflict-recorder';
import { PartyRejudging } from './write/party-rejudging';
import { DecisionOutbox } from './write/decision-outbox';
import { PrecedenceStore } from './write/precedence.store';
import { ReferralWriter } from './write/referral-writer';
import { SaleDecisions } from './write/sale-decisions';
import { SaleLinks } from './write/sale-links';
import { ServicingRejudgement } from './write/servicing-rejudgement';

export interface ConflictsModuleOptions {
  /** Modules that provide the classes named below (identity's, crediting's). */
  imports?: ModuleMetadata['imports'];
  /** Overrides the party look-up (default: identity's PARTY_RESOLVER if imported, else SQL over party_links). */
  partyDirectory?: Type<PartyDirectoryPort>;
  partyProfiles?: Type<PartyProfileSource>;
  /** Called in the resolving transaction when a coordinator decides a queued conflict (crediting). */
  resolutionListeners?: Array<Type<ConflictResolutionListener>>;
  /** Overrides of the settings read from the config (tests). */
  settings?: Partial<ConflictsSettings>;
}

/** Handler, projection and task classes the app passes to CoordinationCoreModule.forRoot. */
export const CONFLICTS_INBOUND_HANDLERS = [ReferralRegisteredHandler, PolicyIssuedHandler, PolicyStatusChangedHandler, ActivityLoggedHandler];
/** After crediting's handlers (they keep who services each policy from which date): listed last. */
export const CONFLICTS_LATE_INBOUND_HANDLERS = [ServicingChangedHandler];
export const CONFLICTS_PROJECTIONS = [ReferralsProjection, ConflictsProjection];
export const CONFLICTS_SCHEDULED_TASKS = [ReferralExpiryTask];

const SERVICES = [
  UnitOfWork, PrecedenceStore, DecisionOutbox, ConflictFactsLoader, ConflictRecorder, ReferralWriter, SaleDecisions, SaleLinks, PartyRejudging, ServicingRejudgement,
  ConflictQueries, ConflictAdminService, PrecedenceAdminService, ReferralQueries, ReferralCommandsService,
];

/**
 * Identity's resolver when it is in scope (PARTY_RESOLVER, exported by IdentityModule: pass that
 * module in `imports`), else a class the caller names, else the SQL fallback over the same tables.
 */
function partyDirectoryProvider(explicit?: Type<PartyDirectoryPort>): Provider {
  if (explicit) return { provide: CONFLICTS_PARTY_DIRECTORY, useClass: explicit };
  return {
    provide: CONFLICTS_PARTY_DIRECTORY,
    useFactory: (resolver?: PartyResolver) => resolver ?? new SqlPartyDirectory(),
    inject: [{ token: PARTY_RESOLVER, optional: true }],
  };
}

/**
 * Referrals (lead registration) and channel conflicts: detection, triage, the coordinators' queue. Global,
 * so crediting (which this module imports for its listeners) can inject CONFLICTS_SERVICING_REJUDGEMENT,
 * optionally, without importing it back.
 */
@Module({})
export class ConflictsModule {
  static forRoot(options: ConflictsModuleOptions = {}): DynamicModule {
    const listeners = options.resolutionListeners ?? [];
    const providers: Provider[] = [
      {
        provide: CONFLICTS_SETTINGS,
        useFactory: (config?: Record<string, unknown>) => ({ ...conflictsSettings(config ?? {}), ...options.settings }),
        inject: [{ token: APP_CONFIG, optional: true }],
      },
      partyDirectoryProvider(options.partyDirectory),
      { provide: CONFLICTS_PARTY_PROFILES, useClass: options.partyProfiles ?? SqlPartyProfiles },
      { provide: CONFLICT_RESOLUTION_LISTENERS, useFactory: (...found: ConflictResolutionListener[]) => found, inject: listeners },
      { provide: CONFLICTS_SERVICING_REJUDGEMENT, useExisting: ServicingRejudgement },
      ...SERVICES,
      ...CONFLICTS_INBOUND_HANDLERS,
      ...CONFLICTS_LATE_INBOUND_HANDLERS,
      ...CONFLICTS_PROJECTIONS,
      ...CONFLICTS_SCHEDULED_TASKS,
    ];
    return {
      module: ConflictsModule,
      global: true,
      imports: options.imports ?? [],
      controllers: [ReferralsController, ConflictsAdminController],
      providers,
      exports: [
        ...CONFLICTS_INBOUND_HANDLERS, ...CONFLICTS_LATE_INBOUND_HANDLERS, ...CONFLICTS_PROJECTIONS, ...CONFLICTS_SCHEDULED_TASKS,
        CONFLICTS_SETTINGS, CONFLICTS_PARTY_DIRECTORY, CONFLICTS_SERVICING_REJUDGEMENT, ConflictAdminService, PrecedenceStore,
      ],
    };
  }
}
