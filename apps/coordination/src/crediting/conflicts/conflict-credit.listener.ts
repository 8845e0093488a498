import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type {
  ConflictResolutionListener, PolicyCreditDecision, PolicyReferralLink, RecordedSale, ResolvedCreditDecision, WriteContext,
} from '../../conflicts/conflicts.ports';
import type { ConflictDecision, CreditContext, PolicyTransaction } from '../domain';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { conflictDecisionOf } from '../inbound/transaction.mapping';
import { involvedAgents } from '../ledger/involved-agents';
import type { CreditLedgerCommand } from '../ledger/credit-ledger';
import { relinked, sameSale } from '../ledger/referral-link';
import { policyFacts } from '../inbound/policy-facts';
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
    for (const sale of await this.salesOf(ctx.manager, decision)) await this.applyDecision(sale, decision.conflictId, conflictDecisionOf(decision), ctx);
  }

  /** A late fact changed what governs a credited sale: re-credit it (a pending decision withholds the sales leg, none restores it). */
  async onSaleDecision(sale: RecordedSale, decision: PolicyCreditDecision | null, ctx: WriteContext): Promise<void> {
    if (!decision) return this.applyDecision(sale, 'none', null, ctx);
    if (decision.status === 'pending') return this.applyDecision(sale, decision.conflictId, { kind: 'reject-both' }, ctx);
    return this.applyDecision(sale, decision.decision.conflictId, conflictDecisionOf(decision.decision), ctx);
  }

  /** The referral the sale converts changed after it was credited: re-credit it as that referral's sale (or the seller's own). */
  async onSaleLinked(sale: RecordedSale, link: PolicyReferralLink | null, ctx: WriteContext): Promise<void> {
    const facts = await policyFacts(ctx.manager, sale.subsidiary, sale.policyNo);
    if (!facts) return;
    const seller = { agentId: facts.sellingAgentId, subsidiary: facts.sellingSubsidiary, channel: facts.sellingChannel, namedReferralId: facts.referralId };
    const referral = link && { referralId: link.referralId, referrer: { ...link.referrer } };
    const command = (context: CreditContext): CreditLedgerCommand => ({ type: 'ApplyReferralLink', data: { referral, seller, context } });
    await this.recredit(sale, (issue) => !sameSale(issue, relinked(issue, seller, referral)), command, link ? [link.referrer.agentId] : [], ctx);
  }

  private async applyDecision(sale: Sale, conflictId: string, decision: ConflictDecision | null, ctx: WriteContext): Promise<void> {
    const agents = decision?.kind === 'award' ? [decision.agentId] : decision?.kind === 'split' ? decision.shares.map((s) => s.agentId) : [];
    // Told after every reconciliation: most of the time the sale already carries this decision.
    const changes = (issue: PolicyTransaction) => JSON.stringify(issue.conflictDecision ?? null) !== JSON.stringify(decision);
    await this.recredit(sale, changes, (context) => ({ type: 'ApplyConflictDecision', data: { conflictId, decision, context } }), agents, ctx);
  }

  /** Re-credits an issued sale when `changes` says the command would change it (no hierarchy is loaded otherwise). */
  private async recredit(
    sale: Sale, changes: (issue: PolicyTransaction) => boolean, command: (context: CreditContext) => CreditLedgerCommand, agents: string[], ctx: WriteContext,
  ): Promise<void> {
    await this.ledger.run(ctx.manager, sale.subsidiary, sale.policyNo, async (state) => {
      const issue = [...state.transactions.values()].find((t) => t.kind === 'Issued');
      if (!issue || !changes(issue)) return null;
      const hierarchy = await this.hierarchy.load(ctx.manager, [...new Set([...involvedAgents(state), ...agents])]);
      const context = { timeline: await this.rules.timelineFor(ctx.manager), hierarchy };
      return { command: command(context), hierarchy };
    }, { metadata: ctx.metadata, eventId: (e, i) => ctx.eventId('crediting', sale.subsidiary, sale.policyNo, e.type, String(i)) });
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
