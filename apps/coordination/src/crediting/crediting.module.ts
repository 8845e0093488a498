import { APP_CONFIG } from '@lib/platform';
import { Module } from '@nestjs/common';
import { ConflictCreditListener } from './conflicts/conflict-credit.listener';
import { CREDITING_SETTINGS, creditingSettings } from './crediting.settings';
import { DisputeService } from './disputes/dispute.service';
import { DisputesController } from './disputes/disputes.controller';
import { HierarchyLoader } from './hierarchy/hierarchy.loader';
import { CreditingUnitOfWork } from './http/unit-of-work';
import { CreditingHandler } from './inbound/crediting.handler';
import { OrphanHandler } from './inbound/orphan.handler';
import { CreditLedger } from './ledger/ledger.runner';
import { Crediting1767330000100, CreditLines1767330000200 } from './migrations/1767330000100-crediting';
import { CreditServicingHistory1767330000300 } from './migrations/1767330000300-servicing-history';
import { CreditServicingRenewals1767330000400 } from './migrations/1767330000400-servicing-history-renewals';
import { CreditServicingSuperseded1767330000500 } from './migrations/1767330000500-servicing-history-superseded';
import { CreditBookReassignments1767330000600 } from './migrations/1767330000600-book-reassignments';
import { CreditServicingBookReassignment1767330000700 } from './migrations/1767330000700-servicing-history-book';
import { CreditServicingMadeAfter1767330000800 } from './migrations/1767330000800-servicing-history-made';
import { HandOutJudging } from './orphans/hand-out-judging';
import { OrphanRules } from './orphans/orphan-rules';
import { OrphanService } from './orphans/orphan.service';
import { ReassignmentController } from './orphans/reassignment.controller';
import { ReassignmentService } from './orphans/reassignment.service';
import { ServicingHandOn } from './orphans/servicing-hand-on';
import { ServicingRecords } from './orphans/servicing-records';
import { CreditLinesProjection } from './projections/credit-lines.projection';
import { KpiController } from './queries/kpi.controller';
import { RecalculationService } from './rules/recalculation';
import { CreditRecalculationTask } from './rules/recalculation.task';
import { RuleCatalogue } from './rules/rule-catalogue';
import { RuleSetsController } from './rules/rule-sets.controller';
import { RuleSetsService } from './rules/rule-sets.service';

export const creditingMigrations = [Crediting1767330000100, CreditLines1767330000200, CreditServicingHistory1767330000300, CreditServicingRenewals1767330000400,
  CreditServicingSuperseded1767330000500, CreditBookReassignments1767330000600, CreditServicingBookReassignment1767330000700,
  CreditServicingMadeAfter1767330000800];

/**
 * Dual-side KPI credit (ISSUE 6): inbound handlers (policy transactions after portfolio and
 * conflicts; orphan reassignment after AgentTerminated), the credit-lines projection, the
 * re-pricing task, the conflict listener, and the rule-set, dispute, reassignment and KPI APIs.
 */
@Module({
  providers: [
    { provide: CREDITING_SETTINGS, useFactory: (config: Record<string, unknown>) => creditingSettings(config), inject: [{ token: APP_CONFIG, optional: true }] },
    CreditingUnitOfWork, HierarchyLoader, CreditLedger, RuleCatalogue, RecalculationService, RuleSetsService, OrphanRules, ServicingRecords,
    ServicingHandOn, HandOutJudging, OrphanService, ReassignmentService, DisputeService, CreditingHandler, OrphanHandler, CreditLinesProjection,
    CreditRecalculationTask, ConflictCreditListener,
  ],
  controllers: [RuleSetsController, DisputesController, ReassignmentController, KpiController],
  exports: [CreditingHandler, OrphanHandler, CreditLinesProjection, CreditRecalculationTask, ConflictCreditListener, RuleCatalogue, CreditLedger],
})
export class CreditingModule {}
