import type { EventMetadata, EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { policyStreamId, type PolicyRenewalShared, type PortfolioEvent, type Subsidiary } from '../../portfolio/portfolio.events';
import { updatePolicy } from '../../portfolio/portfolio.store';
import {
  CreditingError, HierarchyHistory, HistoryRow, OrphanRule, Reassignment, Servicer, handOutsOnTop, loadsAsOf, placementAt, planOnArrival, planOrphanReassignment,
  bookReassignmentDue, rejudgement, restatements, ruleSetAt, supersededRows, takenBack,
} from '../domain';
import { CREDITING_SETTINGS, type CreditingSettings } from '../crediting.settings';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { involvedAgents } from '../ledger/involved-agents';
import { CreditLedger } from '../ledger/ledger.runner';
import { RuleCatalogue } from '../rules/rule-catalogue';
import { PolicyKey, servicerOf } from '../inbound/policy-facts';
import { deletePending, pendingOf, savePending } from './pending-reassignments';
import {
  Termination, bookOn, bookReassignmentsOf, currentServicing, handedOnBy, inForceNow, markSuperseded, policyKeyOf, recordServicing, renewalsFrom, servicersEver,
  servicingHistories, standingRows, terminationsInBranchesOf,
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
 * The terminations one fact has hand-outs judged again for, taken by date, each once. Judging one again
 * adds those it changes: a hand-out changes the loads and books of the agents involved from its date on
 * only, so the terminations it adds are never dated before it and are taken in their turn. Same-day
 * terminations are simultaneous in business order (a leaver is no candidate on their own date, loads do
 * not count that day's hand-outs, and a hand-out by a same-day successor of what the day gave them no
 * longer stands: `supersededRows`), so the outcome does not depend on the order they are taken in; the
 * leaver whose termination is the fact goes last of its day, then by agent id, which spares hand-outs
 * made and undone (a policy given the leaver by a colleague judged before they were known to leave).
 */
export class TerminationQueue {
  private readonly waiting = new Map<string, Termination>();
  private readonly taken = new Set<string>();

  constructor(private readonly leaver?: string) {}

  add(terminations: readonly Termination[]): void {
    for (const termination of terminations) {
      const key = `${termination.agentId}@${termination.date}`;
      if (!this.taken.has(key)) this.waiting.set(key, termination);
    }
  }

  next(): Termination | undefined {
    let first: [string, Termination] | undefined;
    for (const entry of this.waiting) if (!first || this.order(entry[1], first[1]) < 0) first = entry;
    if (!first) return undefined;
    this.waiting.delete(first[0]);
    this.taken.add(first[0]);
    return first[1];
  }

  private order(a: Termination, b: Termination): number {
    return a.date.localeCompare(b.date) || Number(a.agentId === this.leaver) - Number(b.agentId === this.leaver) || a.agentId.localeCompare(b.agentId);
  }
}

/** Several terminations can be judged for one inbound event: each writes under ids of its own. */
const orphansOf = (write: OrphanWrite, agentId: string, date: string): OrphanWrite =>
  ({ ...write, eventId: (...q: string[]) => write.eventId(...q, 'orphans-of', agentId, date) });

/** The agents whose servicing the rows changed, and the earliest date they changed it from. */
const spanOf = (rows: readonly HistoryRow[]): { agents: string[]; from?: string } => ({
  agents: [...new Set(rows.flatMap((row) => [row.fromAgentId!, row.agentId]))],
  from: rows.map((row) => row.effectiveDate).sort()[0],
});

const targetsOf = (plan: readonly Reassignment[]) => plan.flatMap((step) => (step.kind === 'assigned' ? [step.toAgentId] : []));

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
    // Same-day terminations (the leaver is no longer their candidate: one that gave them a policy that day takes
    // it back or hands it on again), the leaver's own, then later ones; a leader handed the book under
    // team-leader may stand in another branch, whose hand-outs count them from then.
    return [...plan, ...(await this.rejudgeFrom(manager, [agentId, ...targetsOf(plan)], { from: date, to: null }, write, agentId))];
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
    const [, servicer, inTerm, books] = await Promise.all([
      recordServicing(manager, { subsidiary, policyNo, effectiveDate, agentId: servicingAgentId, fromAgentId: null, rule: null }),
      servicerOf(manager, servicingAgentId),
      terminationsInBranchesOf(manager, [servicingAgentId], effectiveDate, expiryDate),
      bookReassignmentsOf(manager, [servicingAgentId]),
    ]);
    if (!servicer?.terminatedOn) {
      if (books.length === 0) return this.rejudgeInOrder(manager, inTerm, write);
      // A coordinator reassigned the servicer's whole book since the policy's issue (it arrived late): it was in it.
      const { agents, from } = spanOf(await this.followBookReassignments(manager, policy, write));
      return this.rejudgeInOrder(manager, [...inTerm, ...(from ? await terminationsInBranchesOf(manager, agents, from, null) : [])], write);
    }
    const terminatedOn = servicer.terminatedOn;
    const plan = await this.handOnArrival(manager, policy, { ...servicer, terminatedOn }, write);
    const servicers = [servicingAgentId, ...targetsOf(plan)];
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
    const rejudged = await this.rejudgeFrom(manager, await servicersEver(manager, renewal), { from: dates[0], to: dates[dates.length - 1] }, write);
    if (servicingAgentId === previousServicingAgentId) return [...plan, ...rejudged];
    // A coordinator reassigned the named agent's whole book since the new term began (the renewal arrived late): it was in it.
    const { agents, from } = spanOf(await this.followBookReassignments(manager, { subsidiary, policyNo, partyId }, write));
    return [...plan, ...rejudged, ...(from ? await this.rejudgeFrom(manager, agents, { from, to: null }, write) : [])];
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

  /**
   * Judges the terminations again in business order, and with them those a changed hand-out reaches: the
   * later terminations in the branches of every agent whose servicing it changed (the agent who had the
   * policy, the one who has it now, and the givers and takers of the later hand-outs it superseded), whose
   * loads or books changed from its date.
   */
  private async rejudgeInOrder(manager: EntityManager, terminations: Termination[], write: OrphanWrite, leaver?: string): Promise<Reassignment[]> {
    const queue = new TerminationQueue(leaver);
    queue.add(terminations);
    const steps: Reassignment[] = [];
    for (let termination = queue.next(); termination; termination = queue.next()) {
      const judged = await this.judgeAgain(manager, termination, await this.ruleOn(manager, termination.date), write);
      steps.push(...judged.steps);
      if (judged.changed.size > 0) queue.add(await terminationsInBranchesOf(manager, [...judged.changed], termination.date, null));
    }
    return steps;
  }

  /**
   * One termination's hand-out as business order gives it now, by the rule of its date: the book it handed
   * on by that rule (and what is still with the leaver), planned again on the termination date; only the
   * policies whose servicer that changes are handed on again (compensating ledger lines follow), and one it
   * handed on that its rule now leaves to nobody (the agent it went to left that same day, or is no
   * candidate any more) is taken back to wait for a coordinator. Under least-loaded-in-branch the book is
   * spread by the loads on the date; under team-leader and coordinator the book was handed on when the
   * termination arrived, so a policy still with the leaver that already waits for a coordinator is left
   * waiting (a coordinator's own reassignments are not the termination's: they are never judged again).
   */
  private async judgeAgain(manager: EntityManager, { agentId, date }: Termination, rule: OrphanRule, write: OrphanWrite)
    : Promise<{ steps: Reassignment[]; changed: Set<string> }> {
    const waiting = new Set((await pendingOf(manager, agentId)).map(policyKeyOf));
    const handedOn = rule === 'coordinator' ? [] : await handedOnBy(manager, agentId, date, rule);
    const still = (await bookOn(manager, agentId, date)).filter((p) => rule === LEAST_LOADED || !waiting.has(policyKeyOf(p)));
    const book = [...handedOn, ...still];
    if (book.length === 0) return { steps: [], changed: new Set() };
    const { hierarchy, loads } = await this.candidates(manager, agentId, date, rule);
    const plan = planOrphanReassignment({ terminatedAgentId: agentId, date, rule, hierarchy, book: book.map(policyKeyOf), loads });
    // A policy handed on since by someone else is this hand-out's too: redone, the later hand-outs it invalidates are superseded.
    const servicerNow = new Map([
      ...handedOn.map((p) => [policyKeyOf(p), p.handedTo] as const),
      ...still.map((p) => [policyKeyOf(p), agentId] as const),
    ]);
    const steps = rejudgement(plan, servicerNow, waiting);
    const changed = await this.apply(manager, steps, book, { agentId, date, rule }, orphansOf(write, agentId, date), servicerNow);
    for (const step of steps) changed.add(servicerNow.get(step.policyNo)!);
    return { steps, changed };
  }

  /**
   * Hands on a termination's plan; returns the agents whose servicing a later hand-out it superseded
   * gave or took (their loads and books changed from its date). A policy the plan leaves waiting that the
   * termination had handed on (`servicerNow`, by policy key) is taken back first.
   */
  private async apply(
    manager: EntityManager, plan: readonly Reassignment[], book: readonly PolicyKey[], from: { agentId: string; date: string; rule: OrphanRule }, write: OrphanWrite,
    servicerNow?: ReadonlyMap<string, string>,
  ): Promise<Set<string>> {
    const byKey = new Map(book.map((p) => [policyKeyOf(p), p]));
    const changed = new Set<string>();
    for (const step of plan) {
      const policy = byKey.get(step.policyNo)!;
      const base = { policy, fromAgentId: from.agentId, rule: from.rule, effectiveDate: from.date, reason: step.reason };
      if (step.kind === 'assigned') {
        changed.add(step.toAgentId);
        for (const row of await this.handOn(manager, { ...base, toAgentId: step.toAgentId }, write)) {
          changed.add(row.fromAgentId!);
          changed.add(row.agentId);
        }
      } else {
        const handedTo = servicerNow?.get(step.policyNo);
        if (handedTo !== undefined && handedTo !== from.agentId) for (const agent of await this.takeBack(manager, policy, from, step.reason, write)) changed.add(agent);
        await this.awaitCoordinator(manager, policy, from.agentId, from.date, step.reason, write);
        // A coordinator reassigned the leaver's whole book on or after the date: the policy was in it.
        for (const row of await this.followBookReassignments(manager, policy, write)) {
          changed.add(row.fromAgentId!);
          changed.add(row.agentId);
        }
      }
    }
    changed.delete(from.agentId);
    return changed;
  }

  /**
   * A termination's hand-out of a policy taken back (see `takenBack`): the rows it leaves standing no longer
   * are superseded, the portfolio row and the policy stream name the leaver again, and the ledger has the
   * leaver service the policy from the termination date (the later hand-outs still standing applied again
   * on top, the leaver restated on the date of each later one superseded). Returns the agents whose
   * servicing that changed.
   */
  private async takeBack(manager: EntityManager, policy: PolicyKey, from: { agentId: string; date: string; rule: OrphanRule }, reason: string, write: OrphanWrite)
    : Promise<string[]> {
    const heldBy = (await currentServicing(manager, policy))?.agentId ?? from.agentId;
    const { superseded, onTop, restated } = takenBack(await standingRows(manager, policy), from, heldBy);
    await markSuperseded(manager, superseded.map((r) => r.seq));
    const eventId = write.eventId('crediting', 'servicing', policy.subsidiary, policy.policyNo, 'taken-back');
    const event: PortfolioEvent = {
      type: 'PolicyServicingReassigned',
      data: { subsidiary: policy.subsidiary as Subsidiary, policyNo: policy.policyNo, partyId: policy.partyId, fromAgentId: heldBy, toAgentId: from.agentId, rule: from.rule, effectiveDate: from.date },
    };
    await this.store.append(policyStreamId(policy.subsidiary, policy.policyNo), [{ eventId, ...event, metadata: write.metadata }], 'stream_exists', { manager });
    // A later hand-out that still stands (after a renewal naming another agent) keeps the policy: the stream says so after.
    await this.followHistory(manager, policy, { agentId: from.agentId, effectiveDate: from.date }, write);
    const ledgerIds = (...q: string[]) => (e: { type: string }, i: number) => write.eventId('crediting', 'ledger', policy.subsidiary, policy.policyNo, 'taken-back', ...q, e.type, String(i));
    await this.ledgerReassign(manager, policy, { fromAgentId: heldBy, toAgentId: from.agentId, effectiveDate: from.date, reason: `taken back: ${reason}` }, write.metadata, ledgerIds());
    await this.ledgerAfter(manager, policy, from.date, onTop, restated, write.metadata, ledgerIds);
    return [heldBy, ...superseded.flatMap((row) => [row.fromAgentId!, row.agentId])];
  }

  /**
   * A coordinator's reassignment, effective the day it is made: a later hand-out of the policy by an agent
   * who no longer had it then is superseded, as for a hand-out judged again. Returns the agents whose
   * servicing that (and any whole-book reassignment it leaves undone) changed, besides the two named.
   */
  async reassign(manager: EntityManager, change: ServicingChange, write: OrphanWrite): Promise<string[]> {
    return (await this.handOn(manager, change, write)).flatMap((row) => [row.fromAgentId!, row.agentId]);
  }

  /**
   * After a coordinator's reassignment effective `date`: the loads and books of the agents whose servicing
   * it changed differ from that day on, so the hand-outs of terminations dated on or after it in their
   * branches are judged again (one dated that day does not count the reassignment: it came first).
   */
  async afterReassignment(manager: EntityManager, agentIds: readonly string[], date: string, write: OrphanWrite): Promise<Reassignment[]> {
    return this.rejudgeFrom(manager, [...new Set(agentIds)], { from: date, to: null }, write);
  }

  /**
   * The whole-book reassignments a coordinator made that the policy's standing rows leave undone
   * (`bookReassignmentDue`: a fact that arrived after one gave its agent the policy before it, in business
   * order), each handed on in turn as it would have been (in force, as a coordinator hands on). Returns the
   * hand-outs made and the rows they superseded.
   */
  private async followBookReassignments(
    manager: EntityManager, policy: PolicyKey, write: OrphanWrite, followed: ReadonlySet<number> = new Set(), standing?: readonly HistoryRow[],
  ): Promise<HistoryRow[]> {
    const rows = standing ?? await standingRows(manager, policy);
    // Each at most once along one chain (one made the same day after it may take the policy first: see bookReassignmentDue).
    const books = (await bookReassignmentsOf(manager, [...new Set(rows.map((r) => r.agentId))])).filter((b) => !followed.has(b.id));
    const due = bookReassignmentDue(rows, books);
    if (!due || !(await inForceNow(manager, policy))) return [];
    const change = { policy, fromAgentId: due.fromAgentId, toAgentId: due.toAgentId, rule: 'coordinator', effectiveDate: due.effectiveDate, reason: due.reason };
    const made: HistoryRow = { seq: 0, effectiveDate: due.effectiveDate, agentId: due.toAgentId, fromAgentId: due.fromAgentId, rule: 'coordinator' };
    const scoped = { ...write, eventId: (...q: string[]) => write.eventId(...q, 'book-reassignment', String(due.id)) };
    return [made, ...(await this.handOn(manager, change, scoped, new Set([...followed, due.id])))];
  }

  /**
   * Hands a policy on: the policy stream says so, the servicing history keeps it, the portfolio row
   * follows the history and the ledger re-credits renewals effective after it. A termination's hand-out
   * (judged again or late) or a coordinator's may redo an earlier one or come before later ones: the later
   * hand-outs its giver no longer had the policy for are superseded (returned), those that still stand are
   * applied again on top in the ledger, and on the date of each superseded one the hand-out in effect then
   * is restated there; a whole-book reassignment it leaves undone (the taker's) is then followed (also
   * returned; `followed`: those already followed along the chain).
   */
  private async handOn(manager: EntityManager, change: ServicingChange, write: OrphanWrite, followed?: ReadonlySet<number>): Promise<HistoryRow[]> {
    const { policy, fromAgentId, toAgentId, rule, effectiveDate, reason } = change;
    const event: PortfolioEvent = {
      type: 'PolicyServicingReassigned',
      data: { subsidiary: policy.subsidiary as Subsidiary, policyNo: policy.policyNo, partyId: policy.partyId, fromAgentId, toAgentId, rule, effectiveDate },
    };
    const eventId = write.eventId('crediting', 'servicing', policy.subsidiary, policy.policyNo);
    await this.store.append(policyStreamId(policy.subsidiary, policy.policyNo), [{ eventId, ...event, metadata: write.metadata }], 'stream_exists', { manager });
    await recordServicing(manager, { subsidiary: policy.subsidiary, policyNo: policy.policyNo, effectiveDate, agentId: toAgentId, fromAgentId, rule });
    const rows = await standingRows(manager, policy);
    const superseded = supersededRows(rows, effectiveDate);
    const onTop = handOutsOnTop(rows, superseded, effectiveDate);
    const restated = restatements(rows, superseded, effectiveDate);
    await markSuperseded(manager, superseded.map((r) => r.seq));
    await this.followHistory(manager, policy, { agentId: toAgentId, effectiveDate }, write);
    const ledgerIds = (...q: string[]) => (e: { type: string }, i: number) => write.eventId('crediting', 'ledger', policy.subsidiary, policy.policyNo, ...q, e.type, String(i));
    await this.ledgerReassign(manager, policy, { fromAgentId, toAgentId, effectiveDate, reason }, write.metadata, ledgerIds());
    await this.ledgerAfter(manager, policy, effectiveDate, onTop, restated, write.metadata, ledgerIds);
    await deletePending(manager, policy.subsidiary, policy.policyNo);
    const standing = rows.filter((row) => !superseded.includes(row));
    return [...superseded, ...(await this.followBookReassignments(manager, policy, write, followed, standing))];
  }

  /**
   * The ledger puts a late reassignment after those recorded before it (up to the renewals dated after it):
   * the later hand-outs that still stand come again after it, and on the date of each it superseded the
   * hand-out in effect then is restated, in business order.
   */
  private async ledgerAfter(
    manager: EntityManager, policy: PolicyKey, since: string, onTop: readonly HistoryRow[], restated: readonly HistoryRow[], metadata: EventMetadata,
    ledgerIds: (...q: string[]) => (e: { type: string }, i: number) => string,
  ): Promise<void> {
    const after = [
      ...onTop.map((row) => ({ ...row, kind: 'on-top' as const })),
      ...restated.map((row) => ({ ...row, kind: 'restated' as const })),
    ].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || a.seq - b.seq);
    for (const row of after) {
      const reason = row.kind === 'on-top' ? `${row.rule} on ${row.effectiveDate}, applied again after the hand-out of ${since} judged again`
        : `${row.rule} of ${row.fromAgentId} restated on ${row.effectiveDate}: the hand-out recorded then no longer stands`;
      await this.ledgerReassign(manager, policy, { fromAgentId: row.fromAgentId!, toAgentId: row.agentId, effectiveDate: row.effectiveDate, reason },
        metadata, ledgerIds(row.kind, String(row.seq)));
    }
  }

  private async ledgerReassign(
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
