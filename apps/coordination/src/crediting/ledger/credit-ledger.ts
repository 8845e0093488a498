/**
 * The `credit-<sub>-<policyNo>` ledger as the wiring runs it: the domain's ledger decider plus
 * three facts the domain has no command for. Pure, like the domain: no I/O, no clock.
 * - a coordinator's conflict decision that arrives after the sale was credited re-credits the
 *   sale as compensating lines, and is written into the sale's history so any later replay
 *   (retroactive rule set, recomputation) keeps it;
 * - a policy transaction the rules cannot credit is recorded with its reason instead of
 *   failing the subsidiary's event (its portfolio record is valid either way);
 * - an orphaned policy waiting for a coordinator is recorded on its ledger.
 */
import {
  ConflictDecision, CreditContext, CreditLine, CreditingError, LedgerCommand, LedgerEvent, PolicyCreditState,
  PolicyHistoryItem, PolicyTransaction, RepricedLine, applyRepricing, cloneState, decide, evolve, initialState, linesOf, postLines, recalculate,
  repricedField,
} from '../domain';

type Msg<T extends string, D> = { readonly type: T; readonly data: D };

export type ApplyConflictDecision = Msg<'ApplyConflictDecision', { conflictId: string; decision: ConflictDecision; context: CreditContext }>;
export type AwaitServicingReassignment = Msg<'AwaitServicingReassignment', {
  policyNo: string; fromAgentId: string; reason: string; since: string;
}>;
export type CreditLedgerCommand = LedgerCommand | ApplyConflictDecision | AwaitServicingReassignment;

export type ConflictDecisionApplied = Msg<'ConflictDecisionApplied', {
  policyNo: string; conflictId: string; transactionId: string; decision: ConflictDecision; lines: readonly CreditLine[];
  reversalLineIds: readonly string[]; retiredLineIds: readonly string[]; repriced?: readonly RepricedLine[];
}>;
export type PolicyTransactionNotCredited = Msg<'PolicyTransactionNotCredited', { transaction: PolicyTransaction; code: string; reason: string }>;
export type ServicingReassignmentPending = Msg<'ServicingReassignmentPending', AwaitServicingReassignment['data']>;
export type CreditLedgerEvent = LedgerEvent | ConflictDecisionApplied | PolicyTransactionNotCredited | ServicingReassignmentPending;

/** Event types that carry credit lines (what the credit-lines projection reads). */
export const LINE_EVENT_TYPES = ['CreditLinesRecorded', 'CreditLinesReversed', 'CreditAdjusted', 'DisputeUpheld', 'ConflictDecisionApplied'];

const issuedOf = (state: PolicyCreditState): PolicyTransaction | undefined =>
  [...state.transactions.values()].find((t) => t.kind === 'Issued');

const withTransaction = (items: readonly PolicyHistoryItem[], tx: PolicyTransaction): PolicyHistoryItem[] =>
  items.map((item) => (item.kind === 'transaction' && item.transaction.transactionId === tx.transactionId ? { kind: 'transaction', transaction: tx } : item));

function applyConflictDecision({ data }: ApplyConflictDecision, state: PolicyCreditState): CreditLedgerEvent[] {
  const issued = issuedOf(state);
  if (!issued || state.policyNo === null) {
    throw new CreditingError('CREDIT_POLICY_NOT_ISSUED', `conflict ${data.conflictId}: the policy's sale is not in this ledger`);
  }
  if (JSON.stringify(issued.conflictDecision ?? null) === JSON.stringify(data.decision)) return [];
  const decided: PolicyTransaction = { ...issued, conflictDecision: data.decision };
  // Line ids of an adjustment embed the recalculation id: the number of lines so far keeps a
  // second, different decision on the same conflict from reusing the first one's ids.
  const recalculationId = `conflict-${data.conflictId}-${state.lines.size}`;
  const { lines, reversalLineIds, retiredLineIds, repriced } = recalculate({ ...state, items: withTransaction(state.items, decided) }, data.context, recalculationId);
  return [{
    type: 'ConflictDecisionApplied',
    data: {
      policyNo: state.policyNo, conflictId: data.conflictId, transactionId: issued.transactionId, decision: data.decision, lines, reversalLineIds,
      retiredLineIds, ...repricedField(repriced),
    },
  }];
}

/** A transaction the rules refuse (lifecycle, missing factor, no rule set) is recorded, not lost; double counting stays an error. */
function recordOrExplain(command: Extract<LedgerCommand, { type: 'RecordPolicyTransaction' }>, state: PolicyCreditState): CreditLedgerEvent[] {
  try {
    return decide(command, state);
  } catch (error) {
    if (!(error instanceof CreditingError) || error.code === 'CREDIT_DOUBLE_COUNTING') throw error;
    return [{ type: 'PolicyTransactionNotCredited', data: { transaction: command.data.transaction, code: error.code, reason: error.message } }];
  }
}

export function decideLedger(command: CreditLedgerCommand, state: PolicyCreditState): CreditLedgerEvent[] {
  switch (command.type) {
    case 'ApplyConflictDecision':
      return applyConflictDecision(command, state);
    case 'AwaitServicingReassignment':
      return [{ type: 'ServicingReassignmentPending', data: command.data }];
    case 'RecordPolicyTransaction':
      return recordOrExplain(command, state);
    default:
      return decide(command, state);
  }
}

function evolveDecision(state: PolicyCreditState, { data }: ConflictDecisionApplied): PolicyCreditState {
  const s = cloneState(state);
  const tx: PolicyTransaction = { ...s.transactions.get(data.transactionId)!, conflictDecision: data.decision };
  s.transactions.set(tx.transactionId, tx);
  s.items = withTransaction(s.items, tx);
  postLines(s, data.lines);
  s.lastReversalIds = data.reversalLineIds;
  for (const id of data.retiredLineIds) s.net.delete(id);
  applyRepricing(s, data.repriced);
  return s;
}

export function evolveLedger(state: PolicyCreditState, event: CreditLedgerEvent): PolicyCreditState {
  switch (event.type) {
    case 'ConflictDecisionApplied':
      return evolveDecision(state, event);
    case 'PolicyTransactionNotCredited':
    case 'ServicingReassignmentPending':
      return state;
    default:
      return evolve(state, event);
  }
}

export const creditLedgerDecider = { decide: decideLedger, evolve: evolveLedger, initialState };

export function ledgerEventLines(event: CreditLedgerEvent): readonly CreditLine[] {
  switch (event.type) {
    case 'ConflictDecisionApplied':
      return event.data.lines;
    case 'PolicyTransactionNotCredited':
    case 'ServicingReassignmentPending':
      return [];
    default:
      return linesOf(event);
  }
}

export const foldLedger = (events: readonly CreditLedgerEvent[]): PolicyCreditState => events.reduce(evolveLedger, initialState());

/** The replayable history of a ledger (what a from-scratch recomputation starts from). */
export const ledgerHistory = (events: readonly CreditLedgerEvent[]): PolicyHistoryItem[] => [...foldLedger(events).items];

export const ledgerStreamId = (subsidiary: string, policyNo: string): string => `credit-${subsidiary}-${policyNo}`;
