import type { EventMetadata, EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { policyStreamId, type PolicyRenewalShared, type PortfolioEvent, type Subsidiary } from '../../portfolio/portfolio.events';
import { updatePolicy } from '../../portfolio/portfolio.store';
import {
  CreditingError, HierarchyHistory, OrphanRule, Reassignment, Servicer, loadsAsOf, placementAt, planOnArrival, planOrphanReassignment, rejudgement, ruleSetAt,
} from '../domain';
import { CREDITING_SETTINGS, type CreditingSettings } from '../crediting.settings';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { involvedAgents } from '../ledger/involved-agents';
import { CreditLedger } from '../ledger/ledger.runner';
import { RuleCatalogue } from '../rules/rule-catalogue';
import { PolicyKey, servicerOf } from '../inbound/policy-facts';
import { deletePending, pendingOf, savePending } from './pending-reassignments';
import {
  Termination, bookOn, currentServicing, handedOnBy, policyKeyOf, recordServicing, renewalsFrom, servicersEver, servicingHistories, terminationsInBranchesOf,
} from './servicing-history';

export interface OrphanWrite {
  metadata: EventMetadata;
  eventId(...qualifiers: string[]): string;
  /** Told of each policy whose servicing agent by business date changes (the team of a top-strategic client then). */
  servicingChanged?(policy: PolicyKey): void;
}

export interface ServicingChange {
  policy: PolicyKey;
  fromAgentId: string;
  toAgentId: string;
  rule: string;
  effectiveDate: string;
  reason: string;
}

const LEAST_LOADED: OrphanRule = 'least-loaded-in-branch';

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

  /**
   * Under team-leader and coordinator the leaver's book is handed on now. Under least-loaded-in-branch
   * the hand-out is judged by business time with the other terminations of the branch it can change.
   */
  async onTermination(manager: EntityManager, agentId: string, date: string, write: OrphanWrite): Promise<Reassignment[]> {
    // A renewal recorded before this arrived that named the leaver from this date on gave them nothing.
    for (const renewal of await renewalsFrom(manager, agentId, date)) await this.followHistory(manager, renewal, { agentId, effectiveDate: renewal.effectiveDate }, write);
    const rule = await this.ruleOn(manager, date);
    const plan = rule === LEAST_LOADED ? [] : await this.handOnNow(manager, agentId, date, rule, write);
    // Same-day terminations first (the leaver is no longer their candidate), then the leaver's own, then later ones.
    return [...plan, ...(await this.rejudgeFrom(manager, [agentId], { from: date, to: null }, write, agentId))];
  }

  private async handOnNow(manager: EntityManager, agentId: string, date: string, rule: OrphanRule, write: OrphanWrite): Promise<Reassignment[]> {
    const book = await bookOn(manager, agentId, date);
    if (book.length === 0) return [];
    const { hierarchy, loads } = await this.candidates(manager, agentId, date, rule);
    const plan = planOrphanReassignment({ terminatedAgentId: agentId, date, rule, hierarchy, book: book.map(policyKeyOf), loads });
    await this.apply(manager, plan, book, { agentId, date, rule }, write);
    return plan;
  }

  /**
   * A policy recorded after its servicing agent's termination was handled: handed on by the same
   * rule on the termination date, so the outcome does not depend on which arrived first. Its servicing
   * over its term can also change the least-loaded hand-outs of terminations dated in it.
   */
  async onArrival(
    manager: EntityManager, policy: PolicyKey & { effectiveDate: string; expiryDate: string }, servicingAgentId: string, write: OrphanWrite,
  ): Promise<Reassignment[]> {
    const { subsidiary, policyNo, effectiveDate, expiryDate } = policy;
    // The usual case, an active servicer, needs no answer before the next statement: the three go
    // together (one round trip on the pipelined connection) and the terminations read are those of the term.
    const [, servicer, inTerm] = await Promise.all([
      recordServicing(manager, { subsidiary, policyNo, effectiveDate, agentId: servicingAgentId, fromAgentId: null, rule: null }),
      servicerOf(manager, servicingAgentId),
      terminationsInBranchesOf(manager, [servicingAgentId], effectiveDate, expiryDate),
    ]);
    if (!servicer?.terminatedOn) return this.rejudgeInOrder(manager, inTerm, write);
    const terminatedOn = servicer.terminatedOn;
    const plan = await this.handOnArrival(manager, policy, { ...servicer, terminatedOn }, write);
    const servicers = [servicingAgentId, ...plan.flatMap((step) => (step.kind === 'assigned' ? [step.toAgentId] : []))];
    // The span takes in the servicer's own termination, whose book the policy joins even outside its term.
    const dates = [effectiveDate, expiryDate, terminatedOn].sort();
    return [...plan, ...(await this.rejudgeFrom(manager, servicers, { from: dates[0], to: dates[dates.length - 1] }, write))];
  }

  /**
   * A policy stopped (or resumed) being in force from `from`: the loads of the agents who serviced it
   * change from that date, so the least-loaded hand-outs of terminations dated since in their
   * branches are judged again, as for a late policy.
   */
  async onStatusChange(manager: EntityManager, policy: { subsidiary: string; policyNo: string }, from: string, write: OrphanWrite): Promise<Reassignment[]> {
    const servicers = await servicersEver(manager, policy);
    return servicers.length === 0 ? [] : this.rejudgeFrom(manager, servicers, { from, to: null }, write);
  }

  /**
   * A renewal adds a term in force (from its effective date to its expiry) and, when it names a new
   * servicing agent, services the policy by that agent from the new term on (kept in the servicing
   * history like a reassignment): the loads of the policy's servicers in that term change, so the
   * least-loaded hand-outs of terminations dated in it in their branches are judged again. An agent
   * it names whose termination (dated after the new term began) is known already hands the policy on
   * from that date, as if the termination had arrived after the renewal.
   */
  async onRenewal(manager: EntityManager, renewal: PolicyRenewalShared, write: OrphanWrite): Promise<Reassignment[]> {
    const { subsidiary, policyNo, partyId, newEffectiveDate, newExpiryDate, servicingAgentId, previousServicingAgentId } = renewal;
    const dates = [newEffectiveDate, newExpiryDate];
    let plan: Reassignment[] = [];
    if (servicingAgentId !== previousServicingAgentId) {
      await recordServicing(manager, { subsidiary, policyNo, effectiveDate: newEffectiveDate, agentId: servicingAgentId, fromAgentId: previousServicingAgentId, rule: 'renewal' });
      write.servicingChanged?.({ subsidiary, policyNo, partyId });
      const servicer = await servicerOf(manager, servicingAgentId);
      if (servicer?.terminatedOn) {
        plan = await this.handOnArrival(manager, { subsidiary, policyNo, partyId }, { ...servicer, terminatedOn: servicer.terminatedOn }, write);
        dates.push(servicer.terminatedOn);
      }
    }
    dates.sort();
    return [...plan, ...(await this.rejudgeFrom(manager, await servicersEver(manager, renewal), { from: dates[0], to: dates[dates.length - 1] }, write))];
  }

  /**
   * An agent joined a branch, or moved between branches, from `from`: the candidates of the
   * least-loaded hand-outs of terminations dated since in the branches the agent stood in (the one
   * joined, and for a transfer the one left) change, so those are judged again, as for a late policy.
   * Each is judged with its colleagues placed as the agent history has them on its date. A placement
   * re-sent for the same date with another branch replaced the one kept: `replacedBranchId`, the
   * branch it no longer names, is judged again too (the agent no longer stood in it).
   */
  async onPlacement(manager: EntityManager, agentId: string, from: string, write: OrphanWrite, replacedBranchId?: string): Promise<Reassignment[]> {
    const replaced = replacedBranchId ? [replacedBranchId] : [];
    return this.rejudgeInOrder(manager, await terminationsInBranchesOf(manager, [agentId], from, null, replaced), write);
  }

  private async handOnArrival(manager: EntityManager, policy: PolicyKey, servicer: Servicer & { terminatedOn: string }, write: OrphanWrite): Promise<Reassignment[]> {
    const date = servicer.terminatedOn;
    const rule = await this.ruleOn(manager, date);
    if (rule === LEAST_LOADED) return []; // the whole book is judged again with the others
    const { hierarchy, loads } = await this.candidates(manager, servicer.agentId, date, rule);
    const plan = planOnArrival(policyKeyOf(policy), servicer, { rule, hierarchy, loads });
    await this.apply(manager, plan, [policy], { agentId: servicer.agentId, date, rule }, write);
    return plan;
  }

  /**
   * Least-loaded hand-outs a fact can change: the recorded terminations dated in its span in the
   * branches the given agents stood in, judged again in business order (each one's loads count the
   * hand-outs before it). `leaver`, when the fact is that agent's termination, goes last of its day.
   */
  private async rejudgeFrom(
    manager: EntityManager, agentIds: string[], span: { from: string; to: string | null }, write: OrphanWrite, leaver?: string,
  ): Promise<Reassignment[]> {
    return this.rejudgeInOrder(manager, await terminationsInBranchesOf(manager, agentIds, span.from, span.to), write, leaver);
  }

  private async rejudgeInOrder(manager: EntityManager, terminations: Termination[], write: OrphanWrite, leaver?: string): Promise<Reassignment[]> {
    const inOrder = terminations.sort((a, b) => a.date.localeCompare(b.date) || Number(a.agentId === leaver) - Number(b.agentId === leaver) || a.agentId.localeCompare(b.agentId));
    const steps: Reassignment[] = [];
    for (const termination of inOrder) {
      if ((await this.ruleOn(manager, termination.date)) === LEAST_LOADED) steps.push(...(await this.rejudge(manager, termination, write)));
    }
    return steps;
  }

  /**
   * One termination's least-loaded hand-out as business order gives it now: the whole book it handed
   * on (and what is still with the leaver), spread by the loads on the termination date; only the
   * policies whose servicer that changes are handed on again (compensating ledger lines follow).
   */
  private async rejudge(manager: EntityManager, { agentId, date }: Termination, write: OrphanWrite): Promise<Reassignment[]> {
    const handedOn = await handedOnBy(manager, agentId, date);
    const still = await bookOn(manager, agentId, date);
    const book = [...handedOn, ...still];
    if (book.length === 0) return [];
    const { hierarchy, loads } = await this.candidates(manager, agentId, date, LEAST_LOADED);
    const plan = planOrphanReassignment({ terminatedAgentId: agentId, date, rule: LEAST_LOADED, hierarchy, book: book.map(policyKeyOf), loads });
    const servicerNow = new Map([
      ...handedOn.filter((p) => p.servicingAgentId === p.handedTo).map((p) => [policyKeyOf(p), p.servicingAgentId] as const),
      ...still.map((p) => [policyKeyOf(p), agentId] as const),
    ]);
    const waiting = new Set((await pendingOf(manager, agentId)).map(policyKeyOf));
    const steps = rejudgement(plan, servicerNow, waiting);
    // Several hand-outs can be judged for one inbound event: each writes under ids of its own.
    const scoped = { ...write, eventId: (...q: string[]) => write.eventId(...q, 'orphans-of', agentId, date) };
    await this.apply(manager, steps, book, { agentId, date, rule: LEAST_LOADED }, scoped);
    return steps;
  }

  private async apply(
    manager: EntityManager, plan: readonly Reassignment[], book: readonly PolicyKey[], from: { agentId: string; date: string; rule: OrphanRule }, write: OrphanWrite,
  ): Promise<void> {
    const byKey = new Map(book.map((p) => [policyKeyOf(p), p]));
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
    await recordServicing(manager, { subsidiary: policy.subsidiary, policyNo: policy.policyNo, effectiveDate, agentId: toAgentId, fromAgentId, rule });
    await this.followHistory(manager, policy, { agentId: toAgentId, effectiveDate }, write);
    await this.ledger.run(manager, policy.subsidiary, policy.policyNo, async (state) => {
      // Renewals credited before this arrived but effective after it are re-credited to the new agent.
      const hierarchy = await this.hierarchy.load(manager, [...involvedAgents(state), toAgentId]);
      const context = { timeline: await this.rules.timelineFor(manager), hierarchy };
      return { command: { type: 'ReassignServicing', data: { policyNo: policy.policyNo, fromAgentId, toAgentId, effectiveDate, reason, context } }, hierarchy };
    }, { metadata: write.metadata, eventId: (e, i) => write.eventId('crediting', 'ledger', policy.subsidiary, policy.policyNo, e.type, String(i)) });
    await deletePending(manager, policy.subsidiary, policy.policyNo);
  }

  /**
   * The portfolio row names whoever the servicing history has servicing the policy by business date:
   * a change dated before a later one (a renewal naming another agent) does not displace it, and a
   * renewal that no longer counts gives way. When that is not the agent just `stated`, the policy
   * stream says so (the 360° view folds it), from the later of the two dates.
   */
  private async followHistory(manager: EntityManager, policy: PolicyKey, stated: { agentId: string; effectiveDate: string }, write: OrphanWrite): Promise<void> {
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

  /** The leaver's leader and, for least-loaded, everyone who stood in the leaver's branch, with their loads on the date. */
  private async candidates(manager: EntityManager, agentId: string, date: string, rule: OrphanRule)
    : Promise<{ hierarchy: HierarchyHistory; loads: Map<string, number> }> {
    const own = placementAt(await this.hierarchy.load(manager, [agentId]), agentId, date);
    const ids = [agentId, ...(own?.leaderId ? [own.leaderId] : [])];
    if (rule !== LEAST_LOADED || !own?.branchId) return { hierarchy: await this.hierarchy.load(manager, ids), loads: new Map() };
    ids.push(...(await this.hierarchy.branchAgents(manager, own.branchId)));
    const colleagues = ids.filter((id) => id !== agentId);
    return { hierarchy: await this.hierarchy.load(manager, ids), loads: loadsAsOf(await servicingHistories(manager, colleagues), date) };
  }
}
