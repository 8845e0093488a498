import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ConflictResolutionListener, ResolvedCreditDecision, WriteContext } from '../../conflicts/conflicts.ports';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { conflictDecisionOf } from '../inbound/transaction.mapping';
import { involvedAgents } from '../ledger/involved-agents';
import { CreditLedger } from '../ledger/ledger.runner';
import { RuleCatalogue } from '../rules/rule-catalogue';

interface Sale {
  subsidiary: string;
  policyNo: string;
}

/**
 * A coordinator decided a conflict after the sale was credited: the sale is re-credited per the
 * award, split or rejection as compensating lines on its ledger, in the deciding transaction.
 * A decision about a sale not issued yet changes nothing here: conflicts hands it to crediting
 * with the PolicyIssued instead.
 */
@Injectable()
export class ConflictCreditListener implements ConflictResolutionListener {
  constructor(
    private readonly ledger: CreditLedger,
    private readonly rules: RuleCatalogue,
    private readonly hierarchy: HierarchyLoader,
  ) {}

  async onResolved(decision: ResolvedCreditDecision, ctx: WriteContext): Promise<void> {
    const conflictDecision = conflictDecisionOf(decision);
    for (const sale of await this.salesOf(ctx.manager, decision)) {
      await this.ledger.run(ctx.manager, sale.subsidiary, sale.policyNo, async (state) => {
        if (![...state.transactions.values()].some((t) => t.kind === 'Issued')) return null;
        const hierarchy = await this.hierarchy.load(ctx.manager, involvedAgents(state, conflictDecision));
        const context = { timeline: await this.rules.timelineFor(ctx.manager), hierarchy };
        return { command: { type: 'ApplyConflictDecision', data: { conflictId: decision.conflictId, decision: conflictDecision, context } }, hierarchy };
      }, { metadata: ctx.metadata, eventId: (e, i) => ctx.eventId('crediting', sale.subsidiary, sale.policyNo, e.type, String(i)) });
    }
  }

  /** The contested sale: named by the decision, else found by policy number and party, else by the referral it converted. */
  private async salesOf(manager: EntityManager, d: ResolvedCreditDecision): Promise<Sale[]> {
    if (d.policyNo && d.productSubsidiary) return [{ subsidiary: d.productSubsidiary, policyNo: d.policyNo }];
    if (d.policyNo) {
      return manager.query(
        'SELECT subsidiary, policy_no AS "policyNo" FROM coordination.policies WHERE policy_no = $1 AND party_id::text = $2',
        [d.policyNo, d.partyId],
      );
    }
    if (!d.referralId) return [];
    return manager.query('SELECT subsidiary, policy_no AS "policyNo" FROM coordination.policies WHERE referral_id = $1', [d.referralId]);
  }
}
