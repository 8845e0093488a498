import type { SubsidiaryEvent } from '@lib/contracts';
import { Injectable } from '@nestjs/common';
import { CREDIT_DECISION_KEY, REFERRAL_LINK_KEY, type PolicyCreditDecision, type PolicyReferralLink } from '../../conflicts/conflicts.ports';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import type { PolicyRecordedData } from '../../portfolio/portfolio.events';
import { PolicyTransaction, repeatsTermination } from '../domain';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { foldLedger } from '../ledger/credit-ledger';
import { involvedAgents } from '../ledger/involved-agents';
import { CreditLedger } from '../ledger/ledger.runner';
import { RuleCatalogue } from '../rules/rule-catalogue';
import { policyFacts } from './policy-facts';
import { LifecycleEvent, issuedTransaction, lifecycleTransaction } from './transaction.mapping';

const EMPTY_LEDGER = foldLedger([]);
const sameAgents = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((id) => b.has(id));

interface Credited {
  transaction: PolicyTransaction;
  pendingConflictId?: string;
}

/**
 * Dual-side credit for every policy transaction: runs after the portfolio (which recorded the
 * policy) and conflicts (which said who sold it), appends to `credit-<sub>-<policyNo>` in the
 * inbound transaction. Rules come from `credit-rules`, the hierarchy as it stood on the date.
 * A cancellation or lapse of a policy the ledger has terminated already, or had terminated on its date (it
 * arrived after the reinstatement that undid that termination, see repeatsTermination), on the day of that
 * termination, goes no further: in business order it repeated a standing termination. One dated after it goes on,
 * kept there as its repeat for a reinstatement dated between them (see the decider's TerminationRepeated); one
 * dated before the termination of its span goes on too: the ledger records it in that one's place, or before it with
 * a kept reinstatement between them (see restatedTermination), and so does one ending a term before a renewed one
 * that a later termination ended (see endsEarlierTerm). A reinstatement always goes to the ledger: one
 * of a policy in force on its date is kept there for the termination it undoes, which may arrive after it (see the
 * decider's ReinstatementKept).
 */
@Injectable()
export class CreditingHandler implements InboundHandler {
  readonly name = 'crediting.policies';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = [
    'PolicyIssued', 'PolicyRenewed', 'PolicyEndorsed', 'PolicyCancelled', 'PolicyLapsed', 'PolicyReinstated',
  ];

  constructor(
    private readonly ledger: CreditLedger,
    private readonly rules: RuleCatalogue,
    private readonly hierarchy: HierarchyLoader,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    const event = ctx.event as LifecycleEvent | Extract<SubsidiaryEvent, { type: 'PolicyIssued' }>;
    const issue = event.type === 'PolicyIssued' ? this.issued(ctx) : undefined;
    if (issue === null) return;
    const { subsidiary, payload: { policyNo } } = event;
    // Read together (one round trip on the pipelined connection): a lifecycle event's policy, the ledger, the rules (their
    // lock and head), and for an issue the hierarchy of its agents, those of the whole ledger when the policy is new.
    const issueAgents = issue && involvedAgents(EMPTY_LEDGER, issue.transaction);
    const [credited, read, timeline, issueHierarchy] = await Promise.all([
      issue ?? this.lifecycle(ctx, event as LifecycleEvent),
      this.ledger.read(ctx.manager, subsidiary, policyNo),
      this.rules.timelineFor(ctx.manager),
      issueAgents && this.hierarchy.load(ctx.manager, issueAgents),
    ]);
    const { transaction, pendingConflictId } = credited;
    await this.ledger.run(ctx.manager, subsidiary, policyNo, async (state) => {
      if (repeatsTermination(transaction, state)) return null;
      const agents = involvedAgents(state, transaction);
      const hierarchy = issueHierarchy && sameAgents(agents, issueAgents!) ? issueHierarchy : await this.hierarchy.load(ctx.manager, agents);
      const context = { timeline, hierarchy };
      return { command: { type: 'RecordPolicyTransaction', data: { transaction, context } }, hierarchy, pendingConflictId };
    }, { metadata: ctx.metadata, eventId: (e, i) => ctx.eventId('crediting', e.type, String(i)), defer: (write) => ctx.defer(write) }, read);
  }

  /** The portfolio shares the record only when it recorded the policy (a re-issue is ignored: null). */
  private issued(ctx: InboundContext): Credited | null {
    const recorded = ctx.shared.get('policyRecorded') as PolicyRecordedData | undefined;
    if (!recorded) return null;
    const referral = ctx.shared.get(REFERRAL_LINK_KEY) as PolicyReferralLink | undefined;
    const decision = ctx.shared.get(CREDIT_DECISION_KEY) as PolicyCreditDecision | undefined;
    return issuedTransaction(ctx.event.eventId, recorded, referral, decision);
  }

  private async lifecycle(ctx: InboundContext, lifecycle: LifecycleEvent): Promise<Credited> {
    const termOn = lifecycle.type === 'PolicyEndorsed' ? lifecycle.payload.effectiveDate : null;
    const facts = await policyFacts(ctx.manager, lifecycle.subsidiary, lifecycle.payload.policyNo, termOn);
    // The portfolio handler before this one parks the event until the policy is known.
    if (!facts) throw new Error(`policy ${lifecycle.subsidiary}/${lifecycle.payload.policyNo} is not in the portfolio`);
    return { transaction: lifecycleTransaction(lifecycle, facts) };
  }
}
