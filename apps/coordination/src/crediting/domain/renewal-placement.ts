import { PolicyCreditState, PolicyHistoryItem, standingTermination } from './policy-credit-state';
import { PolicyTransaction, isTermination } from './policy-transaction';

/** Whether an issue or renewal term starts before a day: a renewal dated on or before the first renews nothing. */
const termStartsBefore = (s: Pick<PolicyCreditState, 'terms' | 'transactions'>, day: string): boolean =>
  [...s.terms].some(([id, term]) => ['Issued', 'Renewed'].includes(s.transactions.get(id)?.kind ?? '') && term.start < day);

/**
 * Whether a renewal arriving while the policy stands terminated belongs before that cancellation or lapse:
 * it is dated on or after the renewed term's start, so in business order the renewal was credited and the
 * termination then clawed it back (pro rata, as the clawback rules say). A renewal starting after it is
 * credited where it arrives (see `startsAfterTermination`); one dated on or before the policy's first
 * term renews nothing and stays refused.
 */
export function belongsBeforeTermination(s: PolicyCreditState, tx: PolicyTransaction): boolean {
  if (tx.kind !== 'Renewed' || s.status !== 'terminated') return false;
  const termination = standingTermination(s);
  return termination !== null && termination.effectiveDate >= tx.effectiveDate && termStartsBefore(s, tx.effectiveDate);
}

/** Whether business order puts a history item after a renewal. */
function follows(item: PolicyHistoryItem, renewal: PolicyTransaction): boolean {
  // A reassignment dated on its start counts from then on, after it (as `reassignmentIndex` places one).
  if (item.kind === 'reassignment') return item.effectiveDate >= renewal.effectiveDate;
  if (item.kind !== 'transaction') return false;
  const { kind, effectiveDate } = item.transaction;
  return (isTermination(kind) && effectiveDate >= renewal.effectiveDate) || (kind === 'Renewed' && effectiveDate > renewal.effectiveDate);
}

/**
 * Where a renewal takes its place in the history by business date: before the first cancellation or lapse
 * dated on or after its start, renewal dated after it, or reassignment dated on or after it (renewal credit
 * follows the servicer of its date); last if none.
 */
export function renewalIndex(items: readonly PolicyHistoryItem[], renewal: PolicyTransaction): number {
  const later = items.findIndex((item) => follows(item, renewal));
  return later === -1 ? items.length : later;
}

/** The history with a renewal in its place (see renewalIndex). */
export function withRenewal(items: readonly PolicyHistoryItem[], renewal: PolicyTransaction): PolicyHistoryItem[] {
  const placed = [...items];
  placed.splice(renewalIndex(items, renewal), 0, { kind: 'transaction', transaction: renewal });
  return placed;
}
