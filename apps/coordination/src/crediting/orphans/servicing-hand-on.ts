import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { policyStreamId, type PortfolioEvent, type Subsidiary } from '../../portfolio/portfolio.events';
import { BookReassignment, HistoryRow, bookReassignmentDue, handOutsOnTop, renewalsRegiven, restatements, supersededWithBooks } from '../domain';
import { PolicyKey } from '../inbound/policy-facts';
import type { OrphanWrite, ServicingChange } from './orphan-write';
import { deletePending } from './pending-reassignments';
import { ServicingRecords } from './servicing-records';
import { booksTaking } from './book-reassignments';
import { markSuperseded, recordServicing, regiveRenewals, standingRows } from './servicing-history';

/** What `followBookReassignments` may already know: the books followed along the chain, the standing rows, the books that take the policy. */
export interface FollowState {
  readonly followed?: ReadonlySet<number>;
  readonly standing?: readonly HistoryRow[];
  readonly books?: readonly BookReassignment[];
}

const agentsOf = (rows: readonly HistoryRow[]): string[] => [...new Set(rows.map((row) => row.agentId))];

/**
 * Hand-outs of a policy and the coordinator's whole-book reassignments they leave undone: the two call each
 * other (a hand-out follows the book reassignment it leaves undone, which is a hand-out in turn).
 */
@Injectable()
export class ServicingHandOn {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly records: ServicingRecords,
  ) {}

  /**
   * The whole-book reassignments a coordinator made that the policy's standing rows leave undone
   * (`bookReassignmentDue`: a fact that arrived after one gave its agent the policy before it, in business
   * order), each handed on in turn as it would have been (in force on its date by the status history, as the
   * book takes them). Returns the hand-outs made and the rows they superseded.
   */
  async followBookReassignments(manager: EntityManager, policy: PolicyKey, write: OrphanWrite, known: FollowState = {}): Promise<HistoryRow[]> {
    const followed = known.followed ?? new Set<number>();
    const rows = known.standing ?? await standingRows(manager, policy);
    // Each at most once along one chain (one made the same day after it may take the policy first: see bookReassignmentDue).
    // A book takes the policies in force on its date by their status history (a late cancellation or reinstatement dated before it counts).
    const books = (known.books ?? await booksTaking(manager, policy, agentsOf(rows))).filter((b) => !followed.has(b.id));
    const due = bookReassignmentDue(rows, books);
    if (!due) return [];
    const change = { policy, fromAgentId: due.fromAgentId, toAgentId: due.toAgentId, rule: 'coordinator', effectiveDate: due.effectiveDate, reason: due.reason, bookId: due.id };
    const made: HistoryRow = { seq: 0, effectiveDate: due.effectiveDate, agentId: due.toAgentId, fromAgentId: due.fromAgentId, rule: 'coordinator', bookId: due.id };
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
   * returned; `followed`: those already followed along the chain). Such a book counts as done where it was
   * made when the later hand-outs are judged (`supersededWithBooks`): a coordinator's reassignment by its
   * taker made after it that day stands. A renewal row dated after it names the agent before it as business
   * order has it (`renewalsRegiven`).
   */
  async handOn(manager: EntityManager, change: ServicingChange, write: OrphanWrite, followed?: ReadonlySet<number>): Promise<HistoryRow[]> {
    const { policy, fromAgentId, toAgentId, rule, effectiveDate, reason, bookId } = change;
    const event: PortfolioEvent = {
      type: 'PolicyServicingReassigned',
      data: { subsidiary: policy.subsidiary as Subsidiary, policyNo: policy.policyNo, partyId: policy.partyId, fromAgentId, toAgentId, rule, effectiveDate },
    };
    const eventId = write.eventId('crediting', 'servicing', policy.subsidiary, policy.policyNo);
    await this.store.append(policyStreamId(policy.subsidiary, policy.policyNo), [{ eventId, ...event, metadata: write.metadata }], 'stream_exists', { manager });
    await recordServicing(manager, { subsidiary: policy.subsidiary, policyNo: policy.policyNo, effectiveDate, agentId: toAgentId, fromAgentId, rule, bookId });
    const rows = await standingRows(manager, policy);
    const books = (await booksTaking(manager, policy, agentsOf(rows))).filter((b) => !followed?.has(b.id));
    const superseded = supersededWithBooks(rows, effectiveDate, books);
    const onTop = handOutsOnTop(rows, superseded, effectiveDate);
    const restated = restatements(rows, superseded, effectiveDate);
    await markSuperseded(manager, superseded.map((r) => r.seq));
    // A renewal row is never superseded: naming the agent the policy now reaches, it must come back should a later fact hand it on again.
    await regiveRenewals(manager, renewalsRegiven(rows, superseded));
    await this.records.followHistory(manager, policy, { agentId: toAgentId, effectiveDate }, write);
    const ledgerIds = (...q: string[]) => (e: { type: string }, i: number) => write.eventId('crediting', 'ledger', policy.subsidiary, policy.policyNo, ...q, e.type, String(i));
    await this.records.ledgerReassign(manager, policy, { fromAgentId, toAgentId, effectiveDate, reason }, write.metadata, ledgerIds());
    await this.records.ledgerAfter(manager, policy, effectiveDate, onTop, restated, write.metadata, ledgerIds);
    await deletePending(manager, policy.subsidiary, policy.policyNo);
    const standing = rows.filter((row) => !superseded.includes(row));
    return [...superseded, ...(await this.followBookReassignments(manager, policy, write, { followed, standing, books }))];
  }
}
