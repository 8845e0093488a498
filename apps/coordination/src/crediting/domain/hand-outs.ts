import { standsInForceOn, type PolicyLife } from '../../portfolio/policy-status';

/**
 * One standing row of a policy's servicing history (coordination.credit_servicing_history): its issue
 * (no `fromAgentId`), a renewal naming its agent (`rule` 'renewal', even the agent it took the policy from:
 * a hand-out dated before it that arrives after it must not keep the policy past it) or a hand-out (a
 * termination's, by its orphan rule, or a coordinator's).
 */
export interface HistoryRow {
  readonly seq: number;
  readonly effectiveDate: string;
  readonly agentId: string;
  readonly fromAgentId: string | null;
  readonly rule: string | null;
  /** The coordinator's whole-book reassignment that made it (`BookReassignment.id`); none for any other row. */
  readonly bookId?: number | null;
  /** A whole-book reassignment's row: the last servicing row recorded when the book was made (`BookReassignment.afterSeq`), whenever this one was recorded. */
  readonly madeAfterSeq?: number | null;
}

/** A hand-out: given by an agent who services the policy, not its issue nor a renewal (a subsidiary's fact). */
export const isHandOut = (row: HistoryRow): boolean => row.fromAgentId !== null && row.rule !== null && row.rule !== 'renewal';

/** A coordinator's reassignment (over REST, effective the day it is made). */
const isCoordinators = (row: HistoryRow): boolean => row.rule === 'coordinator';

/**
 * Within a day: a renewal's new term begins it, then the terminations effective that day hand their books
 * on, all at once (same-day terminations have no order among them: none is the other's candidate nor sees
 * the other's hand-out), then a coordinator's reassignments made that day, in the order they were made.
 */
const dayRank = (row: HistoryRow): number => (!isHandOut(row) ? 0 : isCoordinators(row) ? 2 : 1);

/**
 * Where a row was made among the day's: a whole-book reassignment's right after the rows recorded when the book
 * was made, even one recorded later (a late fact gave its agent the policy before it); any other where it was recorded.
 */
const madeAt = (row: HistoryRow): number => row.madeAfterSeq ?? row.seq;

/** Business order: the issue first (a hand-out may precede its date), then by date, within a day as `dayRank` has it, then as made. */
const businessOrder = (a: HistoryRow, b: HistoryRow): number =>
  Number(a.fromAgentId !== null) - Number(b.fromAgentId !== null) || a.effectiveDate.localeCompare(b.effectiveDate) || dayRank(a) - dayRank(b)
  || madeAt(a) - madeAt(b) || a.seq - b.seq;

/**
 * The rows a hand-out judged again on `since` leaves standing no longer, given the policy's standing
 * rows (the new hand-out among them): an earlier hand-out of the same termination (same giver, date and
 * rule, recorded before another; a coordinator's reassignments are each their own), and every hand-out dated on or after `since` whose giver did not service
 * the policy then by the rows still standing, as if the hand-out had been right when those were made: the
 * leaver's successor's own termination (on a later day, or on the leaver's own day: same-day terminations
 * are simultaneous, so a termination hands on only what its leaver serviced as the day began), a
 * coordinator's reassignment of the successor's book (made after the day's terminations). A renewal services
 * the policy by the agent it names whoever had it; rows before `since` are left as they are.
 */
export function supersededRows(rows: readonly HistoryRow[], since: string): HistoryRow[] {
  const replaced = rows.filter((row) => isHandOut(row) && !isCoordinators(row) && rows.some((later) => later.seq > row.seq && isHandOut(later)
    && later.fromAgentId === row.fromAgentId && later.effectiveDate === row.effectiveDate && later.rule === row.rule));
  return [...replaced, ...unserviced(rows.filter((r) => !replaced.includes(r)), since)].sort((a, b) => a.seq - b.seq);
}

/** The hand-outs dated on or after `since` whose giver did not service the policy then (see `supersededRows`). */
function unserviced(rows: readonly HistoryRow[], since: string): HistoryRow[] {
  const gone: HistoryRow[] = [];
  let servicer: string | undefined;
  let terminationsOf: string | undefined; // the day whose terminations' hand-outs are being read
  let dayStart: string | undefined; // who serviced the policy as that day's terminations took effect
  for (const row of [...rows].sort(businessOrder)) {
    const termination = dayRank(row) === 1;
    if (termination && terminationsOf !== row.effectiveDate) [terminationsOf, dayStart] = [row.effectiveDate, servicer];
    const giver = termination ? dayStart : servicer;
    if (isHandOut(row) && row.effectiveDate >= since && giver !== undefined && row.fromAgentId !== giver) {
      gone.push(row);
      continue;
    }
    servicer = row.agentId;
  }
  return gone;
}

/**
 * The hand-outs after the one judged again on `since` that still stand once `superseded` is set aside, in
 * business order: those dated after it, and a coordinator's reassignment made on that day (after the day's
 * terminations). Applied again on top of the one judged again: the ledger places a late reassignment after
 * those recorded before it (before the renewals dated after it), so without them it would credit those
 * renewals to the agent judged again.
 */
export function handOutsOnTop(rows: readonly HistoryRow[], superseded: readonly HistoryRow[], since: string): HistoryRow[] {
  const gone = new Set(superseded.map((r) => r.seq));
  return rows.filter((row) => isHandOut(row) && !gone.has(row.seq) && (row.effectiveDate > since || (row.effectiveDate === since && isCoordinators(row))))
    .sort(businessOrder);
}

/**
 * For each hand-out `superseded` dated after `since`, the standing hand-out in effect on its date (the
 * latest one by then in business order), restated on that date: the ledger keeps a superseded
 * reassignment where it was placed, before the renewals dated after it, so without this those renewals
 * would still follow it. Each carries the superseded row's `seq`.
 */
export function restatements(rows: readonly HistoryRow[], superseded: readonly HistoryRow[], since: string): HistoryRow[] {
  const gone = new Set(superseded.map((r) => r.seq));
  const standing = rows.filter((row) => isHandOut(row) && !gone.has(row.seq)).sort(businessOrder);
  return superseded.filter((row) => row.effectiveDate > since).sort(businessOrder).flatMap((row) => {
    const inEffect = standing.filter((s) => s.effectiveDate <= row.effectiveDate).at(-1);
    return inEffect ? [{ ...inEffect, seq: row.seq, effectiveDate: row.effectiveDate }] : [];
  });
}

/** A renewal row as business order has it: the agent who serviced the policy before it (the agent it names, when they did). */
export interface RenewalRegiven {
  readonly row: HistoryRow;
  readonly fromAgentId: string;
}

/**
 * A renewal row names the agent it took the policy from as the portfolio had it when the renewal arrived;
 * a fact arriving since can change who serviced the policy before it in business order (a hand-out dated
 * before it, one superseded, an earlier renewal). A renewal naming its agent keeps its row whoever that
 * agent took the policy from, even themselves (business order records it too), so it counts whatever a late
 * fact puts before it: it is never superseded. The standing renewal rows (those `superseded` set aside) whose
 * giver so differs, each with the agent servicing the policy before it by the rows still standing.
 */
export function renewalsRegiven(rows: readonly HistoryRow[], superseded: readonly HistoryRow[] = []): RenewalRegiven[] {
  const gone = new Set(superseded.map((r) => r.seq));
  const regiven: RenewalRegiven[] = [];
  let servicer: string | undefined;
  for (const row of rows.filter((r) => !gone.has(r.seq)).sort(businessOrder)) {
    if (row.rule === 'renewal' && servicer !== undefined && servicer !== row.fromAgentId) regiven.push({ row, fromAgentId: servicer });
    servicer = row.agentId;
  }
  return regiven;
}

/** A termination (its leaver, date and orphan rule) whose hand-out of a policy is taken back. */
export interface TakenBack {
  readonly agentId: string;
  readonly date: string;
  readonly rule: string;
  /** Only the hand-outs this coordinator's whole-book reassignment made (`BookReassignment.id`), not a named one's. */
  readonly bookId?: number;
}

/**
 * A termination's hand-out of a policy taken back: judged again, its rule finds nobody on its date (the
 * agent it gave the policy left that same day, or is no longer a candidate), so the policy waits for a
 * coordinator from the leaver, as in business order. Given the policy's standing rows and `heldBy`, who
 * services it before it is taken back: the rows that no longer stand (the termination's own hand-outs of
 * the policy that day, and every hand-out on or after it whose giver did not service the policy then, the
 * leaver having kept it), the later ones that still stand, to apply again on top, and on the date of each
 * later one superseded, the hand-out in effect then restated (the leaver's, from `heldBy`, until another),
 * and the renewal rows whose giver that changes, as business order has them (`renewalsRegiven`). The later
 * hand-outs are judged with the whole-book reassignments the leaver keeping the policy leaves undone counted
 * as done where they were made (`supersededWithBooks`; `books`: those that take the policy, the one taken back
 * aside), as a hand-out does: a coordinator's reassignment by such a book's taker made after it that day stands.
 */
export function takenBack(rows: readonly HistoryRow[], leaver: TakenBack, heldBy: string, books: readonly BookReassignment[] = [])
  : { superseded: HistoryRow[]; onTop: HistoryRow[]; restated: HistoryRow[]; regiven: RenewalRegiven[] } {
  const own = rows.filter((row) => isHandOut(row) && row.fromAgentId === leaver.agentId && row.effectiveDate === leaver.date && row.rule === leaver.rule
    && (leaver.bookId === undefined || row.bookId === leaver.bookId));
  const rest = rows.filter((row) => !own.includes(row));
  const undone = books.filter((book) => book.id !== leaver.bookId);
  const superseded = [...own, ...supersededWithBooks(rest, leaver.date, undone)].sort((a, b) => a.seq - b.seq);
  const kept: HistoryRow = { seq: Number.MAX_SAFE_INTEGER, effectiveDate: leaver.date, agentId: leaver.agentId, fromAgentId: heldBy, rule: leaver.rule };
  return {
    superseded, onTop: handOutsOnTop(rest, superseded, leaver.date), restated: restatements([...rest, kept], superseded, leaver.date),
    regiven: renewalsRegiven(rows, superseded),
  };
}

/** A coordinator's reassignment of an agent's whole book (no policies named), effective the day it was made. */
export interface BookReassignment {
  readonly id: number;
  readonly fromAgentId: string;
  readonly toAgentId: string;
  readonly effectiveDate: string;
  readonly reason: string;
  /** The last servicing row recorded when it was made: a coordinator's reassignment that day recorded after it came after it. */
  readonly afterSeq: number;
}

/**
 * Who serviced the policy as the whole-book reassignment was made, by its standing rows in business order:
 * its issue (whatever its date: a book holds a policy that starts later), the rows dated before that day,
 * that day's renewals and terminations' hand-outs, and the coordinator's reassignments made before it.
 */
export function servicerAsMade(rows: readonly HistoryRow[], book: Pick<BookReassignment, 'effectiveDate' | 'afterSeq'>): string | undefined {
  return [...rows].sort(businessOrder).filter((row) => row.fromAgentId === null || row.effectiveDate < book.effectiveDate
    || (row.effectiveDate === book.effectiveDate && (!isCoordinators(row) || madeBefore(row, book)))).at(-1)?.agentId;
}

/** Whether a coordinator's row was made before the whole-book reassignment: recorded by then, or another book's made before it. */
const madeBefore = (row: HistoryRow, book: Pick<BookReassignment, 'afterSeq'>): boolean =>
  row.madeAfterSeq != null ? row.madeAfterSeq < book.afterSeq : row.seq <= book.afterSeq;

/**
 * The first whole-book reassignment, in business order (by date, then as made), that a policy's standing
 * rows leave undone: the agent it names serviced the policy as it was made (`servicerAsMade`), and none
 * of its own hand-outs of the policy stands (a named reassignment with the same giver, target and day is
 * not one of them). A fact
 * that arrived after it and in business order gives the agent the policy before it (a late policy, a
 * hand-out judged again, a renewal naming the agent) leaves it undone; handing the policy on by it, each
 * in turn, makes the reassignment mean the agent's book as of its date in every arrival order.
 */
export function bookReassignmentDue(rows: readonly HistoryRow[], books: readonly BookReassignment[]): BookReassignment | undefined {
  return [...books].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate) || a.id - b.id).find((book) =>
    servicerAsMade(rows, book) === book.fromAgentId && bookHandOuts(rows, book).length === 0);
}

/**
 * The rows a hand-out on `since` leaves standing no longer (`supersededRows`) once the whole-book
 * reassignments it leaves undone (`bookReassignmentDue`, each in turn) are counted as done where they were
 * made: a late fact that gives a book's agent the policy before it also makes the book's taker its servicer
 * from then, so a coordinator's reassignment by the taker made after the book that day still stands (it is
 * not taken for one by an agent who no longer had the policy before the book is followed). `books` are
 * those that take the policy (in force on their date), the takers' own among them.
 */
export function supersededWithBooks(rows: readonly HistoryRow[], since: string, books: readonly BookReassignment[]): HistoryRow[] {
  const done: HistoryRow[] = [];
  for (;;) {
    const all = [...rows, ...done];
    const superseded = supersededRows(all, since).filter((row) => !done.includes(row));
    const due = bookReassignmentDue(all.filter((row) => !superseded.includes(row)), books);
    if (!due) return superseded;
    done.push({
      seq: Number.MAX_SAFE_INTEGER - done.length, effectiveDate: due.effectiveDate, agentId: due.toAgentId, fromAgentId: due.fromAgentId,
      rule: 'coordinator', bookId: due.id, madeAfterSeq: due.afterSeq,
    });
  }
}

/**
 * Whether a whole-book reassignment made on `day` takes the policy by its status: not cancelled or lapsed
 * by then by its status history in business order (as loads read it: a reinstatement, or a renewed term
 * begun since, puts it back in force), whatever order the changes arrived in. Its terms aside, as the
 * portfolio's status has them: a book holds a policy that starts later (read as of its first day) and one
 * whose last term has run out.
 */
export const inBookOn = (life: PolicyLife, day: string): boolean => standsInForceOn(life, day);

/** The standing hand-outs of the policy a whole-book reassignment made: those naming it, never a named reassignment's with its giver, taker and day. */
export const bookHandOuts = (rows: readonly HistoryRow[], book: Pick<BookReassignment, 'id'>): HistoryRow[] =>
  rows.filter((row) => isCoordinators(row) && row.bookId === book.id);
