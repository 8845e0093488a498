import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { policyStreamId, type PortfolioEvent, type Subsidiary } from '../../portfolio/portfolio.events';
import type { PolicyLife } from '../../portfolio/policy-status';
import { BookReassignment, HistoryRow, OrphanRule, Reassignment, bookHandOuts, inBookOn, planOrphanReassignment, rejudgement, takenBack } from '../domain';
import { PolicyKey } from '../inbound/policy-facts';
import { OrphanRules } from './orphan-rules';
import type { OrphanWrite } from './orphan-write';
import { booksTaking, livesOf } from './book-reassignments';
import { deletePending, pendingOf, type PendingReassignment } from './pending-reassignments';
import { ServicingHandOn } from './servicing-hand-on';
import { ServicingRecords } from './servicing-records';
import {
  Termination, bookOn, currentServicing, handedOnBy, markSuperseded, policyKeyOf, regiveRenewals, standingRows, terminationsInBranchesOf,
} from './servicing-history';
import { TerminationQueue } from './termination-queue';

/** Several terminations can be judged for one inbound event: each writes under ids of its own. */
const orphansOf = (write: OrphanWrite, agentId: string, date: string): OrphanWrite =>
  ({ ...write, eventId: (...q: string[]) => write.eventId(...q, 'orphans-of', agentId, date) });

/** Whether a standing coordinator's reassignment from the leaver is dated on or after the termination (it comes after it in business order). */
const takenByCoordinator = (rows: readonly HistoryRow[], from: { agentId: string; date: string }): boolean =>
  rows.some((row) => row.rule === 'coordinator' && row.fromAgentId === from.agentId && row.effectiveDate >= from.date);

/** Judges terminations' hand-outs (again) by business order, and hands on or takes back what that changes. */
@Injectable()
export class HandOutJudging {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly orphanRules: OrphanRules,
    private readonly handOuts: ServicingHandOn,
    private readonly records: ServicingRecords,
  ) {}

  /**
   * Least-loaded hand-outs a fact can change: the recorded terminations dated in its span in the
   * branches the given agents stood in, judged again in business order (each one's loads count the
   * hand-outs before it). `leaver`, when the fact is that agent's termination, goes last of its day.
   */
  async rejudgeFrom(
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
  async rejudgeInOrder(manager: EntityManager, terminations: Termination[], write: OrphanWrite, leaver?: string): Promise<Reassignment[]> {
    const queue = new TerminationQueue(leaver);
    queue.add(terminations);
    const steps: Reassignment[] = [];
    for (let termination = queue.next(); termination; termination = queue.next()) {
      const judged = await this.judgeAgain(manager, termination, await this.orphanRules.ruleOn(manager, termination.date), write);
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
   * spread by the loads on the date; under team-leader a policy waiting for a coordinator is handed on too
   * when the rule now finds the leader (recorded after the termination: another partition), and under
   * coordinator it keeps waiting (a coordinator's own reassignments are not the termination's: they are never judged again). A
   * policy it handed on or left waiting that was not in force on its date by the status history is no longer
   * in its book: the hand-out is taken back, the leaver keeping the policy, and it waits no more (`outOfBook`).
   */
  private async judgeAgain(manager: EntityManager, { agentId, date }: Termination, rule: OrphanRule, write: OrphanWrite)
    : Promise<{ steps: Reassignment[]; changed: Set<string> }> {
    const pending = await pendingOf(manager, agentId);
    const handed = rule === 'coordinator' ? [] : await handedOnBy(manager, agentId, date, rule);
    const gone = await this.outOfBook(manager, handed, pending, { agentId, date, rule }, orphansOf(write, agentId, date));
    const waiting = new Set(pending.map(policyKeyOf).filter((key) => !gone.policies.has(key)));
    const handedOn = handed.filter((p) => !gone.policies.has(policyKeyOf(p)));
    const still = await bookOn(manager, agentId, date, rule !== 'coordinator');
    const book = [...handedOn, ...still];
    if (book.length === 0) return { steps: [], changed: gone.changed };
    const { hierarchy, loads } = await this.orphanRules.candidates(manager, agentId, date, rule);
    const plan = planOrphanReassignment({ terminatedAgentId: agentId, date, rule, hierarchy, book: book.map(policyKeyOf), loads });
    // A policy handed on since by someone else is this hand-out's too: redone, the later hand-outs it invalidates are superseded.
    const servicerNow = new Map([
      ...handedOn.map((p) => [policyKeyOf(p), p.handedTo] as const),
      ...still.map((p) => [policyKeyOf(p), agentId] as const),
    ]);
    const steps = rejudgement(plan, servicerNow, waiting);
    const changed = await this.apply(manager, steps, book, { agentId, date, rule }, orphansOf(write, agentId, date), servicerNow);
    for (const step of steps) changed.add(servicerNow.get(step.policyNo)!);
    for (const agent of gone.changed) changed.add(agent);
    return { steps, changed };
  }

  /**
   * The policies a termination handed on or left waiting that were not in force on its date by their status
   * history (a cancellation or lapse dated before it arrived since): they were never in the leaver's book
   * (`bookOn`), so one waiting for a coordinator waits no more, and each hand-out is taken back and the leaver
   * keeps the policy, waiting for nobody, as in business order; a coordinator's whole-book reassignment of the
   * leaver's made while it was in force again hands it on (`followBookReassignments`). Returns those policies
   * (by key) and the agents whose servicing that changed.
   */
  private async outOfBook(
    manager: EntityManager, handed: readonly PolicyKey[], pending: readonly PendingReassignment[], from: { agentId: string; date: string; rule: OrphanRule }, write: OrphanWrite,
  ): Promise<{ policies: Set<string>; changed: Set<string> }> {
    const policies = new Set<string>();
    const changed = new Set<string>();
    const lives = await livesOf(manager, [...pending, ...handed]);
    const inForce = (policy: { subsidiary: string; policyNo: string }) => {
      const life = lives.get(policyKeyOf(policy));
      return !life || inBookOn(life, from.date);
    };
    for (const policy of pending.filter((p) => !inForce(p))) {
      policies.add(policyKeyOf(policy));
      await deletePending(manager, policy.subsidiary, policy.policyNo);
    }
    for (const policy of handed.filter((p) => !inForce(p))) {
      policies.add(policyKeyOf(policy));
      for (const agent of await this.takeBack(manager, policy, from, `not in force on ${from.date}`, write)) changed.add(agent);
      for (const row of await this.handOuts.followBookReassignments(manager, policy, write)) {
        changed.add(row.fromAgentId!);
        changed.add(row.agentId);
      }
    }
    changed.delete(from.agentId);
    return { policies, changed };
  }

  /**
   * Hands on a termination's plan; returns the agents whose servicing a later hand-out it superseded
   * gave or took (their loads and books changed from its date). A policy the plan leaves waiting that the
   * termination had handed on (`servicerNow`, by policy key) is taken back first.
   */
  async apply(
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
        for (const row of await this.handOuts.handOn(manager, { ...base, toAgentId: step.toAgentId }, write)) {
          changed.add(row.fromAgentId!);
          changed.add(row.agentId);
        }
      } else {
        const handedTo = servicerNow?.get(step.policyNo);
        if (handedTo !== undefined && handedTo !== from.agentId) for (const agent of await this.takeBack(manager, policy, from, step.reason, write)) changed.add(agent);
        // A coordinator's reassignment from the leaver dated since (made before the termination arrived, or after it) took it as it waited.
        if (takenByCoordinator(await standingRows(manager, policy), from)) continue;
        await this.records.awaitCoordinator(manager, policy, from.agentId, from.date, step.reason, write);
        // A coordinator reassigned the leaver's whole book on or after the date: the policy was in it.
        for (const row of await this.handOuts.followBookReassignments(manager, policy, write)) {
          changed.add(row.fromAgentId!);
          changed.add(row.agentId);
        }
      }
    }
    changed.delete(from.agentId);
    return changed;
  }

  /**
   * A status change (cancelled, lapsed, reinstated) arriving after a coordinator's whole-book reassignment it
   * is dated before: the book takes the policies in force on its date by the status history, so its hand-out
   * of a policy that was not is taken back (the giver keeps the policy, as in business order, where the book
   * never held it), and one that now was in force is handed on by it (`followBookReassignments`). `books`: the
   * reassignments of the books of the agents its standing rows name (bookReassignmentsOf). Returns the agents whose
   * servicing that changed.
   */
  async followStatus(manager: EntityManager, policy: PolicyKey & PolicyLife, books: readonly BookReassignment[], write: OrphanWrite): Promise<string[]> {
    const key: PolicyKey = { subsidiary: policy.subsidiary, policyNo: policy.policyNo, partyId: policy.partyId };
    if (books.length === 0) return [];
    const changed: string[] = [];
    for (const book of books.filter((b) => !inBookOn(policy, b.effectiveDate))) {
      if (bookHandOuts(await standingRows(manager, key), book).length === 0) continue;
      const from = { agentId: book.fromAgentId, date: book.effectiveDate, rule: 'coordinator' as const, bookId: book.id };
      const scoped = { ...write, eventId: (...q: string[]) => write.eventId(...q, 'book-reassignment', String(book.id)) };
      changed.push(book.fromAgentId, ...(await this.takeBack(manager, key, from, `not in force on ${book.effectiveDate}: ${book.reason}`, scoped)));
    }
    for (const row of await this.handOuts.followBookReassignments(manager, key, write)) changed.push(row.fromAgentId!, row.agentId);
    return changed;
  }

  /**
   * A termination's hand-out of a policy taken back (see `takenBack`; or a whole-book reassignment's, `bookId`
   * naming it): the rows it leaves standing no longer are superseded, the portfolio row and the policy
   * stream name the leaver (the giver) again, and the ledger has them service the policy from that date (the
   * later hand-outs still standing applied again on top, the leaver restated on the date of each later one
   * superseded; a whole-book reassignment the leaver keeping the policy leaves undone counts as done where it
   * was made when the later hand-outs are judged, as for a hand-out, and is followed after). Returns the agents
   * whose servicing that changed.
   */
  private async takeBack(
    manager: EntityManager, policy: PolicyKey, from: { agentId: string; date: string; rule: OrphanRule; bookId?: number }, reason: string, write: OrphanWrite,
  )
    : Promise<string[]> {
    const heldBy = (await currentServicing(manager, policy))?.agentId ?? from.agentId;
    const rows = await standingRows(manager, policy);
    const books = await booksTaking(manager, policy, [...new Set([from.agentId, ...rows.map((row) => row.agentId)])]);
    const { superseded, onTop, restated, regiven } = takenBack(rows, from, heldBy, books);
    await markSuperseded(manager, superseded.map((r) => r.seq));
    await regiveRenewals(manager, regiven);
    const eventId = write.eventId('crediting', 'servicing', policy.subsidiary, policy.policyNo, 'taken-back');
    const event: PortfolioEvent = {
      type: 'PolicyServicingReassigned',
      data: { subsidiary: policy.subsidiary as Subsidiary, policyNo: policy.policyNo, partyId: policy.partyId, fromAgentId: heldBy, toAgentId: from.agentId, rule: from.rule, effectiveDate: from.date },
    };
    await this.store.append(policyStreamId(policy.subsidiary, policy.policyNo), [{ eventId, ...event, metadata: write.metadata }], 'stream_exists', { manager });
    // A later hand-out that still stands (after a renewal naming another agent) keeps the policy: the stream says so after.
    await this.records.followHistory(manager, policy, { agentId: from.agentId, effectiveDate: from.date }, write);
    const ledgerIds = (...q: string[]) => (e: { type: string }, i: number) => write.eventId('crediting', 'ledger', policy.subsidiary, policy.policyNo, 'taken-back', ...q, e.type, String(i));
    await this.records.ledgerReassign(manager, policy, { fromAgentId: heldBy, toAgentId: from.agentId, effectiveDate: from.date, reason: `taken back: ${reason}` }, write.metadata, ledgerIds());
    await this.records.ledgerAfter(manager, policy, from.date, onTop, restated, write.metadata, ledgerIds);
    return [heldBy, ...superseded.flatMap((row) => [row.fromAgentId!, row.agentId])];
  }
}
