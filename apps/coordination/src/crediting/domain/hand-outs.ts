/**
 * One standing row of a policy's servicing history (coordination.credit_servicing_history): its issue
 * (no `fromAgentId`), a renewal naming a new agent (`rule` 'renewal') or a hand-out (a termination's,
 * by its orphan rule, or a coordinator's).
 */
export interface HistoryRow {
  readonly seq: number;
  readonly effectiveDate: string;
  readonly agentId: string;
  readonly fromAgentId: string | null;
  readonly rule: string | null;
}

/** A hand-out: given by an agent who services the policy, not its issue nor a renewal (a subsidiary's fact). */
export const isHandOut = (row: HistoryRow): boolean => row.fromAgentId !== null && row.rule !== null && row.rule !== 'renewal';

/** Business order: the issue first (a hand-out may precede its date), then by date, the same date in recorded order. */
const businessOrder = (a: HistoryRow, b: HistoryRow): number =>
  Number(a.fromAgentId !== null) - Number(b.fromAgentId !== null) || a.effectiveDate.localeCompare(b.effectiveDate) || a.seq - b.seq;

/**
 * The rows a hand-out judged again on `since` leaves standing no longer, given the policy's standing
 * rows (the new hand-out among them): an earlier hand-out of the same termination (same giver, date and
 * rule, recorded before another), and every hand-out dated after `since` whose giver did not service the
 * policy by then by the rows still standing (the leaver's successor's own termination, a coordinator's
 * reassignment of the successor's book), as if the hand-out had been right when those were made. A renewal
 * services the policy by the agent it names whoever had it; rows on or before `since` are left as they are.
 */
export function supersededRows(rows: readonly HistoryRow[], since: string): HistoryRow[] {
  const replaced = rows.filter((row) => isHandOut(row) && rows.some((later) => later.seq > row.seq && isHandOut(later)
    && later.fromAgentId === row.fromAgentId && later.effectiveDate === row.effectiveDate && later.rule === row.rule));
  const superseded = [...replaced];
  let servicer: string | undefined;
  for (const row of rows.filter((r) => !replaced.includes(r)).sort(businessOrder)) {
    if (isHandOut(row) && row.effectiveDate > since && servicer !== undefined && row.fromAgentId !== servicer) {
      superseded.push(row);
      continue;
    }
    servicer = row.agentId;
  }
  return superseded.sort((a, b) => a.seq - b.seq);
}

/**
 * The hand-outs after `since` that still stand once `superseded` is set aside, in business order: applied
 * again on top of the one judged again (the ledger places a late reassignment before the renewals dated
 * after it, so without them it would credit those renewals to the agent judged again).
 */
export function handOutsOnTop(rows: readonly HistoryRow[], superseded: readonly HistoryRow[], since: string): HistoryRow[] {
  const gone = new Set(superseded.map((r) => r.seq));
  return rows.filter((row) => isHandOut(row) && row.effectiveDate > since && !gone.has(row.seq)).sort(businessOrder);
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
