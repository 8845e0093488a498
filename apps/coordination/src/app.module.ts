import { DynamicModule, Module } from '@nestjs/common';
import { eventStoreMigrations } from '@lib/event-store';
import { PlatformModule } from '@lib/platform';
import { AdminModule } from './admin';
import { AccessLogProjection, AuditModule, auditMigrations, AuditProjectionsModule, ClientViewAsOfReader } from './audit';
import type { CoordinationConfig } from './config';
import { KpiAsOfReader } from './crediting/queries/kpi.as-of-reader';
import {
  CONFLICTS_INBOUND_HANDLERS, CONFLICTS_LATE_INBOUND_HANDLERS, CONFLICTS_PROJECTIONS, CONFLICTS_SCHEDULED_TASKS, ConflictsModule, conflictsMigrations,
} from './conflicts';
import { CreditingModule, creditingMigrations } from './crediting/crediting.module';
import { ConflictCreditListener } from './crediting/conflicts/conflict-credit.listener';
import { CreditingHandler } from './crediting/inbound/crediting.handler';
import { OrphanHandler } from './crediting/inbound/orphan.handler';
import { CreditLinesProjection } from './crediting/projections/credit-lines.projection';
import { CreditRecalculationTask } from './crediting/rules/recalculation.task';
import { ClientViewProjection, IdentityInboundHandler, IdentityModule, identityMigrations } from './identity';
import { CoordinationCoreModule, EventStoreModule } from './infrastructure/core.module';
import { coordinationMessagingMigrations } from './infrastructure/inbound/inbound-runner';
import { coordinationCoreMigrations } from './infrastructure/migrations';
import { ActivityHandler } from './portfolio/activity.handler';
import { AgentHandler } from './portfolio/agent.handler';
import { PolicyHandler } from './portfolio/policy.handler';
import { PortfolioModule, portfolioMigrations } from './portfolio/portfolio.module';

export const coordinationMigrations = [
  ...eventStoreMigrations,
  ...coordinationMessagingMigrations,
  ...coordinationCoreMigrations,
  ...identityMigrations,
  ...portfolioMigrations,
  ...conflictsMigrations,
  ...creditingMigrations,
  ...auditMigrations,
];

@Module({})
export class CoordinationAppModule {
  static forRoot(config: CoordinationConfig): DynamicModule {
    return {
      module: CoordinationAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'coordination', config, migrations: coordinationMigrations }),
        EventStoreModule,
        CoordinationCoreModule.forRoot({
          // One event runs through these in order: identity resolves parties, portfolio records the
          // facts, conflicts decide claims, crediting credits and hands orphan policies on, then conflicts
          // judges again what a change of servicing by date changes (a top-strategic client's team).
          inboundHandlers: [
            IdentityInboundHandler, AgentHandler, PolicyHandler, ActivityHandler, ...CONFLICTS_INBOUND_HANDLERS, CreditingHandler, OrphanHandler,
            ...CONFLICTS_LATE_INBOUND_HANDLERS,
          ],
          projections: [ClientViewProjection, ...CONFLICTS_PROJECTIONS, CreditLinesProjection, AccessLogProjection],
          scheduledTasks: [...CONFLICTS_SCHEDULED_TASKS, CreditRecalculationTask],
          imports: [
            IdentityModule,
            PortfolioModule,
            CreditingModule,
            ConflictsModule.forRoot({ imports: [CreditingModule], resolutionListeners: [ConflictCreditListener] }),
            AuditProjectionsModule,
          ],
        }),
        AuditModule.forRoot({ asOfReaders: [ClientViewAsOfReader, KpiAsOfReader] }),
        AdminModule,
      ],
    };
  }
}
