import type { EventMetadata, EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { policyStreamId, type PortfolioEvent, type Subsidiary } from '../../portfolio/portfolio.events';
import { updatePolicy } from '../../portfolio/portfolio.store';
import { HistoryRow } from '../domain';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { involvedAgents } from '../ledger/involved-agents';
import { CreditLedger } from '../ledger/ledger.runner';
import { RuleCatalogue } from '../rules/rule-catalogue';
import { PolicyKey } from '../inbound/policy-facts';
import type { OrphanWrite } from './orphan-write';
import { savePending } from './pending-reassignments';
import { currentServicing } from './servicing-history';

/**
 * What follows a change of servicing outside its history: the portfolio row and the policy stream name
 * whoever the history has servicing the policy, and the ledger re-credits renewals (or waits for a coordinator).
 */
@Injectable()
export class ServicingRecords {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly ledger: CreditLedger,
    private readonly rules: RuleCatalogue,
    private readonly hierarchy: HierarchyLoader,
  ) {}

  /**
   * The ledger puts a late reassignment after those recorded before it (up to the renewals dated after it):
   * the later hand-outs that still stand come again after it, and on the date of each it superseded the
   * hand-out in effect then is restated, in business order (by date; within a day the hand-outs on top as
   * business order has them, a coordinator's as made, then the restated one, the latest standing by then).
   */
  async ledgerAfter(
    manager: EntityManager, policy: PolicyKey, since: string, onTop: readonly HistoryRow[], restated: readonly HistoryRow[], metadata: EventMetadata,
    ledgerIds: (...q: string[]) => (e: { type: string }, i: number) => string,
  ): Promise<void> {
    const after = [
      ...onTop.map((row) => ({ ...row, kind: 'on-top' as const })),
      ...restated.map((row) => ({ ...row, kind: 'restated' as const })),
    ].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
    for (const row of after) {
      const reason = row.kind === 'on-top' ? `${row.rule} on ${row.effectiveDate}, applied again after the hand-out of ${since} judged again`
        : `${row.rule} of ${row.fromAgentId} restated on ${row.effectiveDate}: the hand-out recorded then no longer stands`;
      await this.ledgerReassign(manager, policy, { fromAgentId: row.fromAgentId!, toAgentId: row.agentId, effectiveDate: row.effectiveDate, reason },
        metadata, ledgerIds(row.kind, String(row.seq)));
    }
  }

  async ledgerReassign(
    manager: EntityManager, policy: PolicyKey, change: { fromAgentId: string; toAgentId: string; effectiveDate: string; reason: string },
    metadata: EventMetadata, eventId: (e: { type: string }, i: number) => string,
  ): Promise<void> {
    await this.ledger.run(manager, policy.subsidiary, policy.policyNo, async (state) => {
      // Renewals credited before this arrived but effective after it are re-credited to the new agent.
      const hierarchy = await this.hierarchy.load(manager, [...involvedAgents(state), change.toAgentId]);
      const context = { timeline: await this.rules.timelineFor(manager), hierarchy };
      return { command: { type: 'ReassignServicing', data: { policyNo: policy.policyNo, ...change, context } }, hierarchy };
    }, { metadata, eventId });
  }

  /**
   * The portfolio row names whoever the servicing history has servicing the policy by business date:
   * a change dated before a later one (a renewal naming another agent) does not displace it, and a
   * renewal that no longer counts gives way. When that is not the agent just `stated`, the policy
   * stream says so (the 360° view folds it), from the later of the two dates.
   */
  async followHistory(manager: EntityManager, policy: PolicyKey, stated: { agentId: string; effectiveDate: string }, write: OrphanWrite): Promise<void> {
    // Called on every change of the history (a hand-out, a renewal that no longer counts).
    write.servicingChanged?.(policy);
    const current = await currentServicing(manager, policy);
    const agentId = current?.agentId ?? stated.agentId;
    await updatePolicy(manager, policy.subsidiary, policy.policyNo, { servicing_agent_id: agentId });
    if (!current || agentId === stated.agentId) return;
    const effectiveDate = current.effectiveDate > stated.effectiveDate ? current.effectiveDate : stated.effectiveDate;
    const event: PortfolioEvent = {
      type: 'PolicyServicingReassigned',
      data: {
        subsidiary: policy.subsidiary as Subsidiary, policyNo: policy.policyNo, partyId: policy.partyId, fromAgentId: stated.agentId, toAgentId: agentId,
        rule: current.rule ?? 'renewal', effectiveDate,
      },
    };
    const eventId = write.eventId('crediting', 'servicing', policy.subsidiary, policy.policyNo, 'restated');
    await this.store.append(policyStreamId(policy.subsidiary, policy.policyNo), [{ eventId, ...event, metadata: write.metadata }], 'stream_exists', { manager });
  }

  async awaitCoordinator(manager: EntityManager, policy: PolicyKey, fromAgentId: string, since: string, reason: string, write: OrphanWrite): Promise<void> {
    await this.ledger.run(manager, policy.subsidiary, policy.policyNo, async () => ({
      command: { type: 'AwaitServicingReassignment', data: { policyNo: policy.policyNo, fromAgentId, reason, since } },
    }), { metadata: write.metadata, eventId: (e, i) => write.eventId('crediting', 'ledger', policy.subsidiary, policy.policyNo, e.type, String(i)) });
    await savePending(manager, { subsidiary: policy.subsidiary, policyNo: policy.policyNo, fromAgentId, reason, since });
  }
}
