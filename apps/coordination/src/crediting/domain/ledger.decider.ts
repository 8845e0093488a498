import { canonicalId } from './credit-line';
import { CreditingError } from './errors';
import { isMoney } from './money';
import { PolicyCreditState, initialPolicyState, reassignmentIndex } from './policy-credit-state';
import { assertInForceOnItsDate, awaitsReinstatement, disputeLine, transactionLines } from './policy-engine';
import { PolicyTransaction, isTermination } from './policy-transaction';
import { CreditContext } from './credit-lines';
import { awaitsTermination, reinstatementKeptFor, repeatedTerminationAfter } from './late-placement';
import { changes, recalculate, repricedField } from './recalculation';
import { FileDispute, LedgerCommand, LedgerEvent, RecalculateCredits, RecordPolicyTransaction, ReassignServicing, ResolveDispute } from './ledger.events';
import { evolve } from './ledger.evolve';
import {
  creditRefusedFrom, recordBeforeReassignment, recordBeforeTermination, recordInEarlierTerm, recordTermination, recreditedBy, reinstatedBeforeRepeat,
  restatedTermination, settleEndorsements, withdrawEndorsementsAfter,
} from './late-arrivals';

export { evolve } from './ledger.evolve';

export const initialState = initialPolicyState;

/**
 * A redelivered transaction changes nothing; a different one under the same id is double counting. A
 * reinstatement of a policy in force on its date is kept for the cancellation or lapse it undoes, and
 * recorded when that arrives, right after it (see reinstatementKeptFor); a cancellation or lapse of a policy
 * terminated by one dated before it is kept for a reinstatement dated between them (see repeatedTerminationAfter).
 */
function recordPolicyTransaction({ data }: RecordPolicyTransaction, state: PolicyCreditState): LedgerEvent[] {
  const tx = data.transaction;
  const known = state.transactions.get(tx.transactionId) ?? state.keptReinstatements.get(tx.transactionId) ?? state.repeatedTerminations.get(tx.transactionId);
  if (known) {
    if (JSON.stringify(known) === JSON.stringify(tx)) return [];
    throw new CreditingError('CREDIT_DOUBLE_COUNTING', `transaction ${tx.transactionId} is already credited with other content`);
  }
  const before = reinstatedBeforeRepeat(tx, state, data.context);
  if (before) return [before];
  if (awaitsTermination(tx, state)) return [{ type: 'ReinstatementKept', data: { transaction: tx } }];
  if (awaitsReinstatement(tx, state)) return [{ type: 'TerminationRepeated', data: { transaction: tx } }];
  const recorded = recordTransactionLines(tx, state, data.context);
  const after = recorded.reduce(evolve, state);
  const reinstatement = reinstatementKeptFor(tx, after);
  return reinstatement ? [...recorded, ...recordTransactionLines(reinstatement, after, data.context)] : recorded;
}

/** The lines a new transaction posts, with what a fact arriving after later-dated ones needs (see late-arrivals). */
function recordTransactionLines(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): LedgerEvent[] {
  const restated = restatedTermination(tx, state, context);
  if (restated) return [restated];
  const earlier = recordInEarlierTerm(tx, state, context);
  if (earlier) return earlier;
  assertInForceOnItsDate(tx, state);
  const placed = recordBeforeTermination(tx, state, context) ?? recordBeforeReassignment(tx, state, context);
  if (placed) return placed;
  const withdrawal = withdrawEndorsementsAfter(tx, state, context);
  if (withdrawal) return [withdrawal, recordTermination(tx, evolve(state, withdrawal), context)];
  const lines = transactionLines(tx, state, context);
  const type = isTermination(tx.kind) ? 'CreditLinesReversed' : 'CreditLinesRecorded';
  const recorded: LedgerEvent = { type, data: { transaction: tx, lines } };
  const after = evolve(state, recorded);
  if (tx.kind === 'Reinstated') return [recorded, ...afterReinstatement(tx, after, context)];
  if (tx.kind !== 'Issued' && tx.kind !== 'Renewed') return [recorded];
  const settled = settleEndorsements(after, tx, context);
  return [recorded, ...settled, ...repeatPutBack(tx, settled.reduce(evolve, after), context)];
}

/**
 * What business order has after a reinstatement: the refused endorsements dated from it credited (see
 * creditRefusedFrom) up to the cancellation or lapse taken for a repeat that it puts back (see repeatPutBack).
 */
function afterReinstatement(tx: PolicyTransaction, state: PolicyCreditState, context: CreditContext): LedgerEvent[] {
  const credited = creditRefusedFrom(state, tx, context, repeatedTerminationAfter(state, tx)?.effectiveDate);
  return [...credited, ...repeatPutBack(tx, credited.reduce(evolve, state), context)];
}

/**
 * The cancellation or lapse taken for a repeat that a reinstatement or renewed term just recorded puts back (see
 * repeatedTerminationAfter), which ends the policy again, its clawback posted again under ids of its own where the
 * ledger took it back (see recreditedBy). It stays a repeat where the rules refuse it still.
 */
function repeatPutBack(cause: PolicyTransaction, s: PolicyCreditState, context: CreditContext): LedgerEvent[] {
  const termination = repeatedTerminationAfter(s, cause);
  if (termination === null) return [];
  try {
    return recordTransactionLines(termination, s, context).map((e) => recreditedBy(e, s, cause));
  } catch (error) {
    if (!(error instanceof CreditingError) || error.code === 'CREDIT_DOUBLE_COUNTING') throw error;
    return [];
  }
}

/**
 * A reassignment effective before renewals already credited (the termination arrived after them)
 * re-credits those renewals to the new servicing agent as a recalculation: the ledger then equals a
 * replay in business order, as if the termination had arrived first.
 */
function reassignServicing({ data }: ReassignServicing, state: PolicyCreditState): LedgerEvent[] {
  // Told again (the same reassignment, last): nothing. The same agents on another date place it again there.
  const told = state.items.some((i) => i.kind === 'reassignment' && i.fromAgentId === data.fromAgentId && i.toAgentId === data.toAgentId
    && i.effectiveDate === data.effectiveDate);
  if (told && state.servicing?.toAgentId === data.toAgentId && state.servicing.fromAgentId === data.fromAgentId) return [];
  const { context, ...fact } = data;
  const item = { kind: 'reassignment', fromAgentId: fact.fromAgentId, toAgentId: fact.toAgentId, effectiveDate: fact.effectiveDate } as const;
  if (!context || state.policyNo === null || reassignmentIndex(state.items, item) === state.items.length) return [{ type: 'ServicingReassigned', data: fact }];
  const reassigned: LedgerEvent = { type: 'ServicingReassigned', data: { ...fact, inBusinessOrder: true } };
  // The same reassignment made again after another one (A-9, A-2, A-9) re-credits again: its lines need ids of their own.
  const repeats = state.items.filter((i) => i.kind === 'reassignment' && i.fromAgentId === item.fromAgentId && i.toAgentId === item.toAgentId
    && i.effectiveDate === item.effectiveDate).length;
  const recalculationId = `servicing:${fact.fromAgentId}:${fact.toAgentId}:${fact.effectiveDate}${repeats > 0 ? `#${repeats + 1}` : ''}`;
  const { lines, reversalLineIds, retiredLineIds, repriced } = recalculate(evolve(state, reassigned), context, recalculationId);
  if (!changes({ lines, retiredLineIds, repriced })) return [reassigned];
  const ruleSetVersion = lines[0]?.ruleSetVersion ?? 'unchanged';
  return [reassigned, { type: 'CreditAdjusted', data: { policyNo: state.policyNo, recalculationId, ruleSetVersion, lines, reversalLineIds, retiredLineIds, ...repricedField(repriced) } }];
}

function recalculateCredits({ data }: RecalculateCredits, state: PolicyCreditState): LedgerEvent[] {
  if (state.policyNo === null) return [];
  const { lines, reversalLineIds, retiredLineIds, repriced } = recalculate(state, data.context, data.recalculationId);
  if (!changes({ lines, retiredLineIds, repriced })) return [];
  const { recalculationId, ruleSetVersion } = data;
  return [{ type: 'CreditAdjusted', data: { policyNo: state.policyNo, recalculationId, ruleSetVersion, lines, reversalLineIds, retiredLineIds, ...repricedField(repriced) } }];
}

function fileDispute({ data }: FileDispute, state: PolicyCreditState): LedgerEvent[] {
  if (!state.lines.has(data.lineId) || state.policyNo === null) {
    throw new CreditingError('CREDIT_LINE_NOT_FOUND', `credit line ${data.lineId} is not in this ledger`);
  }
  const open = [...state.disputes.values()].some((d) => d.status === 'open' && d.lineId === data.lineId);
  if (state.disputes.has(data.disputeId) || open) {
    throw new CreditingError('CREDIT_DISPUTE_ALREADY_OPEN', `line ${data.lineId} already has dispute ${data.disputeId} or another open one`);
  }
  return [{ type: 'DisputeFiled', data: { ...data, policyNo: state.policyNo } }];
}

function resolveDispute({ data }: ResolveDispute, state: PolicyCreditState): LedgerEvent[] {
  const dispute = state.disputes.get(data.disputeId);
  if (!dispute || state.policyNo === null) throw new CreditingError('CREDIT_DISPUTE_NOT_FOUND', `no dispute ${data.disputeId}`);
  if (dispute.status !== 'open') throw new CreditingError('CREDIT_DISPUTE_ALREADY_RESOLVED', `dispute ${data.disputeId} is ${dispute.status}`);
  const { disputeId, reason, resolvedBy, resolvedAt } = data;
  const policyNo = state.policyNo;
  if (data.outcome === 'reject') return [{ type: 'DisputeRejected', data: { disputeId, policyNo, reason, resolvedBy, resolvedAt } }];
  const delta = data.standardPremiumDelta;
  if (delta === undefined || !isMoney(delta)) {
    throw new CreditingError('CREDIT_INVALID_AMOUNT', `upholding ${disputeId} needs a standard-premium adjustment amount`);
  }
  const lineId = canonicalId(state.lines.get(dispute.lineId)!);
  const line = disputeLine({ kind: 'dispute-upheld', disputeId, lineId, standardPremiumDelta: delta, effectiveDate: resolvedAt.slice(0, 10) }, state);
  return [{ type: 'DisputeUpheld', data: { disputeId, policyNo, lineId, standardPremiumDelta: delta, reason, resolvedBy, resolvedAt, line } }];
}

export function decide(command: LedgerCommand, state: PolicyCreditState): LedgerEvent[] {
  switch (command.type) {
    case 'RecordPolicyTransaction':
      return recordPolicyTransaction(command, state);
    case 'ReassignServicing':
      return reassignServicing(command, state);
    case 'RecalculateCredits':
      return recalculateCredits(command, state);
    case 'FileDispute':
      return fileDispute(command, state);
    case 'ResolveDispute':
      return resolveDispute(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}


export const ledgerDecider = { decide, evolve, initialState };
