import type { EventMetadata, EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { policyStreamId, type PortfolioEvent, type Subsidiary } from '../../portfolio/portfolio.events';
import { updatePolicy } from '../../portfolio/portfolio.store';
import { CreditingError, HierarchyHistory, OrphanRule, Reassignment, placementAt, planOnArrival, planOrphanReassignment, ruleSetAt } from '../domain';
import { CREDITING_SETTINGS, type CreditingSettings } from '../crediting.settings';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { involvedAgents } from '../ledger/involved-agents';
import { CreditLedger } from '../ledger/ledger.runner';
import { RuleCatalogue } from '../rules/rule-catalogue';
import { PolicyKey, serviceLoads, servicedPolicies, servicerOf } from '../inbound/policy-facts';
import { deletePending, savePending } from './pending-reassignments';

export interface OrphanWrite {
  metadata: EventMetadata;
  eventId(...qualifiers: string[]): string;
}

export interface ServicingChange {
  policy: PolicyKey;
  fromAgentId: string;
  toAgentId: string;
  rule: string;
  effectiveDate: string;
  reason: string;
}

const keyOf = (p: PolicyKey) => `${p.subsidiary}/${p.policyNo}`;

/**
 * Orphan policies (孤儿单): when an agent leaves, each in-force policy they service gets a new
 * servicing agent by the configured rule, or waits for a coordinator. A reassignment is a
 * portfolio fact (policy stream + look-up) and a ledger fact (renewals credit the new agent).
 */
@Injectable()
export class OrphanService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CREDITING_SETTINGS) private readonly settings: CreditingSettings,
    private readonly ledger: CreditLedger,
    private readonly rules: RuleCatalogue,
    private readonly hierarchy: HierarchyLoader,
  ) {}

  async onTermination(manager: EntityManager, agentId: string, date: string, write: OrphanWrite): Promise<Reassignment[]> {
    const book = await servicedPolicies(manager, agentId);
    if (book.length === 0) return [];
    const rule = await this.ruleOn(manager, date);
    const { hierarchy, books } = await this.candidates(manager, agentId, date, rule);
    books.set(agentId, book.map(keyOf));
    const plan = planOrphanReassignment({ terminatedAgentId: agentId, date, rule, hierarchy, book: books });
    await this.apply(manager, plan, book, { agentId, date, rule }, write);
    return plan;
  }

  /**
   * A policy recorded after its servicing agent's termination was handled: handed on by the same
   * rule on the termination date, so the outcome does not depend on which arrived first.
   */
  async onArrival(manager: EntityManager, policy: PolicyKey, servicingAgentId: string, write: OrphanWrite): Promise<Reassignment[]> {
    const servicer = await servicerOf(manager, servicingAgentId);
    if (!servicer?.terminatedOn) return [];
    const date = servicer.terminatedOn;
    const rule = await this.ruleOn(manager, date);
    const { hierarchy, books } = await this.candidates(manager, servicingAgentId, date, rule);
    const plan = planOnArrival(keyOf(policy), servicer, { rule, hierarchy, book: books });
    await this.apply(manager, plan, [policy], { agentId: servicingAgentId, date, rule }, write);
    return plan;
  }

  private async apply(
    manager: EntityManager, plan: readonly Reassignment[], book: readonly PolicyKey[], from: { agentId: string; date: string; rule: OrphanRule }, write: OrphanWrite,
  ): Promise<void> {
    const byKey = new Map(book.map((p) => [keyOf(p), p]));
    for (const step of plan) {
      const policy = byKey.get(step.policyNo)!;
      const base = { policy, fromAgentId: from.agentId, rule: from.rule, effectiveDate: from.date, reason: step.reason };
      if (step.kind === 'assigned') await this.reassign(manager, { ...base, toAgentId: step.toAgentId }, write);
      else await this.awaitCoordinator(manager, policy, from.agentId, from.date, step.reason, write);
    }
  }

  async reassign(manager: EntityManager, change: ServicingChange, write: OrphanWrite): Promise<void> {
    const { policy, fromAgentId, toAgentId, rule, effectiveDate, reason } = change;
    const event: PortfolioEvent = {
      type: 'PolicyServicingReassigned',
      data: { subsidiary: policy.subsidiary as Subsidiary, policyNo: policy.policyNo, partyId: policy.partyId, fromAgentId, toAgentId, rule, effectiveDate },
    };
    const eventId = write.eventId('crediting', 'servicing', policy.subsidiary, policy.policyNo);
    await this.store.append(policyStreamId(policy.subsidiary, policy.policyNo), [{ eventId, ...event, metadata: write.metadata }], 'stream_exists', { manager });
    await updatePolicy(manager, policy.subsidiary, policy.policyNo, { servicing_agent_id: toAgentId });
    await this.ledger.run(manager, policy.subsidiary, policy.policyNo, async (state) => {
      // Renewals credited before this arrived but effective after it are re-credited to the new agent.
      const hierarchy = await this.hierarchy.load(manager, [...involvedAgents(state), toAgentId]);
      const context = { timeline: await this.rules.timelineFor(manager), hierarchy };
      return { command: { type: 'ReassignServicing', data: { policyNo: policy.policyNo, fromAgentId, toAgentId, effectiveDate, reason, context } }, hierarchy };
    }, { metadata: write.metadata, eventId: (e, i) => write.eventId('crediting', 'ledger', policy.subsidiary, policy.policyNo, e.type, String(i)) });
    await deletePending(manager, policy.subsidiary, policy.policyNo);
  }

  private async awaitCoordinator(manager: EntityManager, policy: PolicyKey, fromAgentId: string, since: string, reason: string, write: OrphanWrite): Promise<void> {
    await this.ledger.run(manager, policy.subsidiary, policy.policyNo, async () => ({
      command: { type: 'AwaitServicingReassignment', data: { policyNo: policy.policyNo, fromAgentId, reason, since } },
    }), { metadata: write.metadata, eventId: (e, i) => write.eventId('crediting', 'ledger', policy.subsidiary, policy.policyNo, e.type, String(i)) });
    await savePending(manager, { subsidiary: policy.subsidiary, policyNo: policy.policyNo, fromAgentId, reason, since });
  }

  /** Configuration wins; otherwise the rule set in effect on the termination date says (default team-leader). */
  private async ruleOn(manager: EntityManager, date: string): Promise<OrphanRule> {
    if (this.settings.orphanRule) return this.settings.orphanRule;
    try {
      return ruleSetAt(await this.rules.timelineFor(manager), date).set.orphanRule;
    } catch (error) {
      if (error instanceof CreditingError) return 'team-leader';
      throw error;
    }
  }

  /** The leaver's leader and, for least-loaded, everyone who stood in the leaver's branch, with their loads. */
  private async candidates(manager: EntityManager, agentId: string, date: string, rule: OrphanRule)
    : Promise<{ hierarchy: HierarchyHistory; books: Map<string, string[]> }> {
    const own = placementAt(await this.hierarchy.load(manager, [agentId]), agentId, date);
    const ids = [agentId, ...(own?.leaderId ? [own.leaderId] : [])];
    if (rule === 'least-loaded-in-branch' && own?.branchId) ids.push(...(await this.hierarchy.branchAgents(manager, own.branchId)));
    const loads = await serviceLoads(manager, ids.filter((id) => id !== agentId));
    // The domain counts each candidate's book by its length; their policy numbers do not matter here.
    const books = new Map<string, string[]>([...loads].map(([id, n]) => [id, Array.from({ length: n }, (_, i) => `#${i}`)]));
    return { hierarchy: await this.hierarchy.load(manager, ids), books };
  }
}
