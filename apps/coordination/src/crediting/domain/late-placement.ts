import { PolicyCreditState, PolicyHistoryItem, standingTermination } from './policy-credit-state';
import { reinstatesTermination } from './policy-engine';
import { PolicyTransaction, isTermination } from './policy-transaction';

/**
 * A renewal or endorsement that arrives after a cancellation or lapse dated on or after it, and so, in
 * business order, came before that termination: credited, then clawed back by it (pro rata, as the
 * clawback rules say). The ledger places it there (see the decider's recordBeforeTermination).
 */

/** Whether an issue or renewal term starts before a day: a renewal dated on or before the first renews nothing. */
const termStartsBefore = (s: Pick<PolicyCreditState, 'terms' | 'transactions'>, day: string): boolean =>
  [...s.terms].some(([id, term]) => ['Issued', 'Renewed'].includes(s.transactions.get(id)?.kind ?? '') && term.start < day);

/**
 * Whether a renewal or endorsement arriving while the policy stands terminated belongs before that
 * cancellation or lapse: it is dated on or before it. A renewal starting after it is credited where it
 * arrives (see `startsAfterTermination`); one dated on or before the policy's first term renews nothing
 * and stays refused. An endorsement dated after the termination stays refused; one dated while an earlier
 * termination stood is refused by the history replayed with it in its place (see `follows`).
 */
export function belongsBeforeTermination(s: PolicyCreditState, tx: PolicyTransaction): boolean {
  if ((tx.kind !== 'Renewed' && tx.kind !== 'Endorsed') || s.status !== 'terminated') return false;
  const termination = standingTermination(s);
  if (termination === null || termination.effectiveDate < tx.effectiveDate) return false;
  return tx.kind === 'Endorsed' || termStartsBefore(s, tx.effectiveDate);
}

/** Whether business order puts a history item after a late renewal or endorsement. */
function follows(item: PolicyHistoryItem, late: PolicyTransaction): boolean {
  // A reassignment dated on a renewal's start counts from then on, after it (as `reassignmentIndex` places
  // one); an endorsement's credit follows no servicer.
  if (item.kind === 'reassignment') return late.kind === 'Renewed' && item.effectiveDate >= late.effectiveDate;
  if (item.kind !== 'transaction') return false;
  const { kind, effectiveDate } = item.transaction;
  if (isTermination(kind)) return effectiveDate >= late.effectiveDate;
  if (kind === 'Renewed') return effectiveDate > late.effectiveDate;
  // The policy is in force again from a reinstatement's date: an endorsement dated before it found it terminated.
  return kind === 'Reinstated' && late.kind === 'Endorsed' && effectiveDate > late.effectiveDate;
}

/**
 * Where a late renewal or endorsement (or a termination ending a term before a renewed one, see endsEarlierTerm) takes
 * its place in the history by business date: before the first cancellation or lapse dated on or after it, renewal
 * dated after it, reinstatement dated after an endorsement, or reassignment dated on or after a renewal (renewal
 * credit follows the servicer of its date); last if none.
 */
export function lateIndex(items: readonly PolicyHistoryItem[], late: PolicyTransaction): number {
  const later = items.findIndex((item) => follows(item, late));
  return later === -1 ? items.length : later;
}

/** The history with a late renewal or endorsement in its place (see lateIndex). */
export function withLate(items: readonly PolicyHistoryItem[], late: PolicyTransaction): PolicyHistoryItem[] {
  const placed = [...items];
  placed.splice(lateIndex(items, late), 0, { kind: 'transaction', transaction: late });
  return placed;
}

/**
 * Whether a reinstatement is kept for the cancellation or lapse it undoes (see ReinstatementKept): the
 * ledger holds none it reinstates (the policy in force on its date, see reinstatesTermination, or terminated
 * by one dated after it, which came after it in business order), so that termination, dated on or before it,
 * is still to come. (One arriving while the policy is not recorded is refused.)
 */
export function awaitsTermination(tx: PolicyTransaction, s: PolicyCreditState): boolean {
  if (tx.kind !== 'Reinstated' || s.status === 'none') return false;
  const termination = standingTermination(s);
  return !reinstatesTermination(tx, s) || (termination !== null && termination.effectiveDate > tx.effectiveDate);
}

/**
 * The kept reinstatement that undoes a cancellation or lapse just recorded (`s` holds it): the earliest
 * dated on or after it that reinstates it (not one dated after a renewed term started since, see
 * reinstatesTermination). In business order it came next; later ones stay kept for a later termination.
 * Null for any other transaction, or when none is kept so.
 */
export function reinstatementKeptFor(termination: PolicyTransaction, s: PolicyCreditState): PolicyTransaction | null {
  if (!isTermination(termination.kind)) return null;
  const undoing = [...s.keptReinstatements.values()]
    .filter((r) => r.effectiveDate >= termination.effectiveDate && reinstatesTermination(r, s))
    .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
  return undoing[0] ?? null;
}

/**
 * The endorsements recorded before a cancellation or lapse that arrives after them but is dated before
 * them, with nothing recorded or kept to put the policy back in force in between (a reinstatement or a renewed
 * term starting after the termination, on or before the endorsement's date): in business order the termination
 * came first and the rules refused them (the policy not in force on their date). Their credit is withdrawn
 * (see the decider's withdrawEndorsementsAfter).
 */
export function endorsementsAfterTermination(s: PolicyCreditState, termination: PolicyTransaction): PolicyTransaction[] {
  return isTermination(termination.kind) && s.status === 'in-force' ? endorsementsEndedBy(s, termination.effectiveDate) : [];
}

/**
 * The endorsements recorded dated after a termination's day with nothing recorded or kept to put the policy back
 * in force in between (a reinstatement or a renewed term starting after the day, on or before the endorsement's
 * date): a termination of that day, in business order before them, had them refused.
 */
export function endorsementsEndedBy(s: PolicyCreditState, day: string): PolicyTransaction[] {
  // A reinstatement kept for it (dated on or after it, see reinstatementKeptFor) is recorded right after it.
  const inForceAgain = (date: string): boolean => [...s.transactions.values()]
    .some((t) => (t.kind === 'Reinstated' || t.kind === 'Renewed') && t.effectiveDate > day && t.effectiveDate <= date)
    || [...s.keptReinstatements.values()].some((r) => r.effectiveDate >= day && r.effectiveDate <= date);
  return s.items.flatMap((item) => (item.kind === 'transaction' && item.transaction.kind === 'Endorsed'
    && item.transaction.effectiveDate > day && !inForceAgain(item.transaction.effectiveDate) ? [item.transaction] : []));
}

/**
 * The cancellation or lapse kept as a repeat (see `repeatedTerminations`) that a reinstatement or renewal just recorded
 * puts back: the earliest dated after it (on a renewed term's first day too, see terminationOn). In business order
 * the reinstatement or renewal came before it, and it ended the policy again; later ones repeat it still. Null when
 * there is none.
 */
export function repeatedTerminationAfter(s: PolicyCreditState, cause: PolicyTransaction): PolicyTransaction | null {
  const after = [...s.repeatedTerminations.values()]
    .filter((t) => t.effectiveDate > cause.effectiveDate || (cause.kind === 'Renewed' && t.effectiveDate === cause.effectiveDate))
    .sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));
  return after[0] ?? null;
}
