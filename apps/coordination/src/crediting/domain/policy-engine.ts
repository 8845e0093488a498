import { computeReinstatementLines, computeReversalLines } from './clawback';
import { CreditLine } from './credit-line';
import { CreditContext, computeCreditLines } from './credit-lines';
import { CreditingError } from './errors';
import { Dec, cents, fmt, isMoney } from './money';
import {
  MutablePolicyState,
  PolicyCreditState,
  PolicyHistoryItem,
  PolicyStatus,
  cloneState,
  endsEarlierTerm,
  initialPolicyState,
  postLines,
  recordTransaction,
  laterTerminationOfSpan,
  standingTermination,
  terminationBeforeKept,
  terminationOn,
} from './policy-credit-state';
import { PolicyTransaction, isTermination } from './policy-transaction';

/** Renewal recursion: a renewal credits whoever services the policy now, not the original seller. */
export function creditedAgentFor(tx: PolicyTransaction, state: PolicyCreditState): string {
  if (tx.kind !== 'Renewed') return tx.sellingAgentId;
  const override = state.servicing;
  return override && tx.servicingAgentId === override.fromAgentId ? override.toAgentId : tx.servicingAgentId;
}

/**
 * A renewal whose term starts after the policy's standing cancellation or lapse puts it back in force,
 * as the portfolio does (`inForceOn`): the termination ended the earlier term only.
 */
function startsAfterTermination(tx: PolicyTransaction, state: PolicyCreditState): boolean {
  const termination = standingTermination(state);
  return termination !== null && tx.effectiveDate > termination.effectiveDate;
}

/**
 * Whether a reinstatement finds the policy terminated on its date. Terminated now, as before; or in force
 * only because a renewal recorded before the standing cancellation or lapse starts after it (see
 * renewedAfter): a reinstatement dated from that termination until the renewed term starts reinstates it,
 * as in business order, where it came before the renewal.
 */
export function reinstatesTermination(tx: PolicyTransaction, state: PolicyCreditState): boolean {
  if (state.status === 'terminated') return true;
  const termination = standingTermination(state);
  if (termination === null || termination.effectiveDate > tx.effectiveDate) return false;
  return ![...state.transactions.values()].some((t) => t.kind === 'Renewed' && t.effectiveDate > termination.effectiveDate && t.effectiveDate <= tx.effectiveDate);
}

type LifecycleCode = 'CREDIT_POLICY_ALREADY_ISSUED' | 'CREDIT_POLICY_NOT_IN_FORCE' | 'CREDIT_POLICY_NOT_ISSUED' | 'CREDIT_POLICY_NOT_TERMINATED';

/** The lifecycle's refusal of a transaction while the policy has a status (its code and reason as recorded). */
export const notAllowed = (tx: PolicyTransaction, status: PolicyStatus, code: LifecycleCode): CreditingError =>
  new CreditingError(code, `${tx.kind} ${tx.transactionId} is not allowed while ${tx.policyNo} is ${status}`);

function assertLifecycle(tx: PolicyTransaction, state: PolicyCreditState): void {
  if (state.policyNo !== null && state.policyNo !== tx.policyNo) {
    throw new CreditingError('CREDIT_POLICY_MISMATCH', `${tx.transactionId} names ${tx.policyNo}, stream holds ${state.policyNo}`);
  }
  const { status } = state;
  const fail = (code: LifecycleCode) => {
    throw notAllowed(tx, status, code);
  };
  if (tx.kind === 'Issued' && status !== 'none') fail('CREDIT_POLICY_ALREADY_ISSUED');
  // Renewals and endorsements of policies issued before the platform existed arrive with no history.
  if (tx.kind === 'Endorsed' && status === 'terminated') fail('CREDIT_POLICY_NOT_IN_FORCE');
  if (tx.kind === 'Renewed' && status === 'terminated' && !startsAfterTermination(tx, state)) fail('CREDIT_POLICY_NOT_IN_FORCE');
  if ((tx.kind === 'Cancelled' || tx.kind === 'Lapsed') && status === 'none') fail('CREDIT_POLICY_NOT_ISSUED');
  if ((tx.kind === 'Cancelled' || tx.kind === 'Lapsed') && status === 'terminated') fail('CREDIT_POLICY_NOT_IN_FORCE');
  if (tx.kind === 'Reinstated' && !reinstatesTermination(tx, state)) fail('CREDIT_POLICY_NOT_TERMINATED');
}

/**
 * Whether an endorsement, cancellation or lapse arriving while the policy is in force again finds it terminated
 * on its date (see terminationOn): an endorsement dated after a cancellation or lapse and before the
 * reinstatement that undid it, or a cancellation or lapse dated so, arrived after both. In business order it
 * came while the policy was terminated, and the lifecycle refused it (the reinstatement credits refused
 * endorsements dated on or after it only, see creditRefusedFrom): refused so, whichever of the two came first.
 * A replay does not ask (a history recorded before this rule keeps what it credited).
 */
export function assertInForceOnItsDate(tx: PolicyTransaction, state: PolicyCreditState): void {
  if (state.status !== 'in-force') return;
  if (tx.kind === 'Endorsed' ? endorsedWhileTerminated(tx, state) : repeatsTermination(tx, state)) {
    throw notAllowed(tx, 'terminated', 'CREDIT_POLICY_NOT_IN_FORCE');
  }
}

/** An endorsement dated on a termination's own day came before it (see belongsBeforeTermination). */
function endorsedWhileTerminated(tx: PolicyTransaction, state: PolicyCreditState): boolean {
  const termination = terminationOn(state, tx.effectiveDate);
  return termination !== null && termination.effectiveDate < tx.effectiveDate;
}

/**
 * Whether a cancellation or lapse arriving while the policy stood terminated on its date by one dated before it (see
 * terminationOn) is kept as its repeat (see TerminationRepeated): a reinstatement dated between the two may arrive after
 * it (another partition), and in business order it then ended the policy again. One dated on that one's day repeats
 * it whatever comes.
 */
export function awaitsReinstatement(tx: PolicyTransaction, s: PolicyCreditState): boolean {
  const termination = isTermination(tx.kind) ? terminationOn(s, tx.effectiveDate) : null;
  return termination !== null && termination.effectiveDate < tx.effectiveDate;
}

/**
 * Whether a cancellation or lapse repeats one standing: the policy is terminated now, or stood terminated on
 * its date, a reinstatement dated after it having undone that termination since (see terminationOn). In
 * business order it came while the policy was terminated, a repeat nothing credits. One dated before a
 * termination of the same span (see laterTerminationOfSpan) repeats nothing: in business order it stood and
 * that one repeated it, and the ledger records it in that one's place (see the decider's restatedTermination); so too
 * with a kept reinstatement between them, before that one (see terminationBeforeKept). One dated after the termination
 * it finds is kept for a reinstatement between them (see awaitsReinstatement); one ending a term before a renewed one
 * that a later termination ended takes its place before that renewal (see endsEarlierTerm).
 */
export const repeatsTermination = (tx: PolicyTransaction, state: PolicyCreditState): boolean => isTermination(tx.kind)
  && (state.status === 'terminated' || terminationOn(state, tx.effectiveDate) !== null)
  && laterTerminationOfSpan(state, tx.effectiveDate) === null && terminationBeforeKept(state, tx.effectiveDate) === null
  && !awaitsReinstatement(tx, state) && !endsEarlierTerm(state, tx);

/** The lines a transaction arriving now adds: refused when the policy stood terminated on its date (see assertInForceOnItsDate). */
export function arrivalLines(tx: PolicyTransaction, state: PolicyCreditState, ctx: CreditContext): CreditLine[] {
  assertInForceOnItsDate(tx, state);
  return transactionLines(tx, state, ctx);
}

/** The lines a policy transaction adds to the ledger, given the policy's state so far. */
export function transactionLines(tx: PolicyTransaction, state: PolicyCreditState, ctx: CreditContext): CreditLine[] {
  assertLifecycle(tx, state);
  return linesUnderRules(tx, state, ctx);
}

/** The lines the rules give a transaction, its place in the policy's lifecycle taken as allowed (see transactionLines). */
export function linesUnderRules(tx: PolicyTransaction, state: PolicyCreditState, ctx: CreditContext): CreditLine[] {
  switch (tx.kind) {
    case 'Issued':
    case 'Renewed':
    case 'Endorsed':
      return computeCreditLines(tx, creditedAgentFor(tx, state), ctx);
    case 'Cancelled':
    case 'Lapsed':
      return computeReversalLines(tx, state, ctx.timeline);
    case 'Reinstated':
      return computeReinstatementLines(tx, state);
  }
}

type DisputeItem = Extract<PolicyHistoryItem, { kind: 'dispute-upheld' }>;

/** An upheld dispute's adjustment: the standard-premium delta, weighted like the contested line. */
export function disputeLine(item: DisputeItem, state: PolicyCreditState): CreditLine | null {
  const template = state.net.get(item.lineId)?.line;
  if (!template) return null;
  if (!isMoney(item.standardPremiumDelta)) {
    throw new CreditingError('CREDIT_INVALID_AMOUNT', `dispute ${item.disputeId}: ${item.standardPremiumDelta} is not an amount`);
  }
  const delta = new Dec(item.standardPremiumDelta);
  return {
    ...template, lineId: `dispute:${item.disputeId}`, origin: 'dispute', transactionId: `dispute:${item.disputeId}`,
    transactionKind: 'Dispute', effectiveDate: item.effectiveDate, premium: '0.00', standardPremium: fmt(delta),
    weightedCredit: fmt(cents(delta.times(template.kpiWeight))), reversesLineId: undefined, adjustsLineId: undefined,
    disputedLineId: item.lineId, reason: `dispute ${item.disputeId} upheld: ${fmt(delta)} standard premium on ${item.lineId}`,
  };
}

/** Folds one history item in place; returns the lines it produced. */
export function replayItem(s: MutablePolicyState, item: PolicyHistoryItem, ctx: CreditContext): readonly CreditLine[] {
  switch (item.kind) {
    case 'transaction': {
      const lines = transactionLines(item.transaction, s, ctx);
      recordTransaction(s, item.transaction, lines);
      return lines;
    }
    case 'reassignment':
      s.items.push(item);
      s.servicing = { fromAgentId: item.fromAgentId, toAgentId: item.toAgentId };
      return [];
    case 'dispute-upheld': {
      const line = disputeLine(item, s);
      s.items.push(item);
      if (line) postLines(s, [line]);
      return line ? [line] : [];
    }
  }
}

/** From-scratch state of one policy under the given rules: the reference the ledger must equal. */
export function replayPolicy(items: readonly PolicyHistoryItem[], ctx: CreditContext,
  onLine?: (line: CreditLine) => void): PolicyCreditState {
  const s = cloneState(initialPolicyState());
  for (const item of items) {
    const lines = replayItem(s, item, ctx);
    if (onLine) for (const line of lines) onLine(line);
  }
  return s;
}
