/**
 * The `credit-<sub>-<policyNo>` ledger as the wiring runs it: the domain's ledger decider plus
 * three facts the domain has no command for. Pure, like the domain: no I/O, no clock.
 * - a coordinator's conflict decision that arrives after the sale was credited re-credits the
 *   sale as compensating lines, and is written into the sale's history so any later replay
 *   (retroactive rule set, recomputation) keeps it;
 * - a policy transaction the rules cannot credit is recorded with its reason instead of
 *   failing the subsidiary's event (its portfolio record is valid either way); an endorsement so
 *   refused is kept for the term it is dated in to try again (see the decider's settleEndorsements),
 *   and one whose credit a later-arriving fact withdraws is recorded refused so too;
 * - an orphaned policy waiting for a coordinator is recorded on its ledger.
 */
import {
  ConflictDecision, CreditContext, CreditLine, CreditingError, LedgerCommand, LedgerEvent, PolicyCreditState, PolicyHistoryItem, PolicyTransaction,
  ReattributedLine, RepricedLine, applyReattribution, applyRepricing, cloneState, decide, evolve, initialState, linesOf, noteRefused, postLines,
  notAllowed, reattributedField, recalculate, repricedField,
} from '../domain';
import { RecordedSeller, SaleReferral, relinked, sameSale } from './referral-link';

type Msg<T extends string, D> = { readonly type: T; readonly data: D };

/** `decision: null` retracts a decision (its conflict was superseded and nothing governs the sale now). */
export type ApplyConflictDecision = Msg<'ApplyConflictDecision', { conflictId: string; decision: ConflictDecision | null; context: CreditContext }>;
/**
 * The referral the sale converts changed after it was credited (the registration arrived later on
 * another topic, or an earlier-filed one did): `referral: null` when it converts none now. `seller`
 * is the sale as recorded, before any referral made its referrer the sales side.
 */
export type ApplyReferralLink = Msg<'ApplyReferralLink', { referral: SaleReferral | null; seller: RecordedSeller; context: CreditContext }>;
export type AwaitServicingReassignment = Msg<'AwaitServicingReassignment', {
  policyNo: string; fromAgentId: string; reason: string; since: string;
}>;
export type CreditLedgerCommand = LedgerCommand | ApplyConflictDecision | ApplyReferralLink | AwaitServicingReassignment;

interface Recredit {
  lines: readonly CreditLine[]; reversalLineIds: readonly string[]; retiredLineIds: readonly string[]; repriced?: readonly RepricedLine[];
  /**
   * Lines posted before that the sale as it now reads attributes otherwise (referral, cross-sale, and for
   * the product side the selling subsidiary), with what they now read: the credit-lines read model restates
   * them, and later reversals and disputes copy it. Absent on events written before it existed (their lines
   * keep what they were first credited with) and when nothing changed.
   */
  reattributed?: readonly ReattributedLine[];
}
export type ConflictDecisionApplied = Msg<'ConflictDecisionApplied', Recredit & {
  policyNo: string; conflictId: string; transactionId: string; decision: ConflictDecision | null;
}>;
/** The sale re-credited as the conversion of a referral: `transaction` is the issue as it now reads. */
export type ReferralLinkApplied = Msg<'ReferralLinkApplied', Recredit & {
  policyNo: string; referralId: string | null; transactionId: string; transaction: PolicyTransaction;
}>;
export type PolicyTransactionNotCredited = Msg<'PolicyTransactionNotCredited', { transaction: PolicyTransaction; code: string; reason: string }>;
export type ServicingReassignmentPending = Msg<'ServicingReassignmentPending', AwaitServicingReassignment['data']>;
export type CreditLedgerEvent =
  | LedgerEvent | ConflictDecisionApplied | ReferralLinkApplied | PolicyTransactionNotCredited | ServicingReassignmentPending;

/** Event types that carry credit lines (what the credit-lines projection reads). */
export const LINE_EVENT_TYPES = ['CreditLinesRecorded', 'CreditLinesReversed', 'CreditAdjusted', 'DisputeUpheld', 'ConflictDecisionApplied', 'ReferralLinkApplied'];

const issuedOf = (state: PolicyCreditState): PolicyTransaction | undefined =>
  [...state.transactions.values()].find((t) => t.kind === 'Issued');

const withTransaction = (items: readonly PolicyHistoryItem[], tx: PolicyTransaction): PolicyHistoryItem[] =>
  items.map((item) => (item.kind === 'transaction' && item.transaction.transactionId === tx.transactionId ? { kind: 'transaction', transaction: tx } : item));

const withDecision = (tx: PolicyTransaction, decision: ConflictDecision | null): PolicyTransaction => {
  const { conflictDecision: _previous, ...rest } = tx;
  return decision ? { ...rest, conflictDecision: decision } : rest;
};

function issuedSale(state: PolicyCreditState, what: string): PolicyTransaction & { policyNo: string } {
  const issued = issuedOf(state);
  if (!issued || state.policyNo === null) throw new CreditingError('CREDIT_POLICY_NOT_ISSUED', `${what}: the policy's sale is not in this ledger`);
  return issued;
}

/**
 * The sale re-credited with its issue reading `issue`: its history replayed, the difference posted
 * as lines. Line ids embed the recalculation id, and the number of lines so far keeps a second,
 * different change from reusing the first one's ids.
 */
function recredit(state: PolicyCreditState, issue: PolicyTransaction, context: CreditContext, label: string): Recredit {
  const recalculationId = `${label}-${state.lines.size}`;
  const { lines, reversalLineIds, retiredLineIds, repriced, reattributed } = recalculate({ ...state, items: withTransaction(state.items, issue) }, context, recalculationId);
  return { lines, reversalLineIds, retiredLineIds, ...repricedField(repriced), ...reattributedField(reattributed) };
}

function applyConflictDecision({ data }: ApplyConflictDecision, state: PolicyCreditState): CreditLedgerEvent[] {
  const issued = issuedSale(state, `conflict ${data.conflictId}`);
  if (JSON.stringify(issued.conflictDecision ?? null) === JSON.stringify(data.decision)) return [];
  const decided = withDecision(issued, data.decision);
  const { policyNo } = issued;
  const changed = recredit(state, decided, data.context, `conflict-${data.conflictId}`);
  return [{ type: 'ConflictDecisionApplied', data: { policyNo, conflictId: data.conflictId, transactionId: issued.transactionId, decision: data.decision, ...changed } }];
}

function applyReferralLink({ data }: ApplyReferralLink, state: PolicyCreditState): CreditLedgerEvent[] {
  const referralId = data.referral?.referralId ?? null;
  const issued = issuedSale(state, `referral ${referralId ?? '(none)'}`);
  const linked = relinked(issued, data.seller, data.referral);
  if (sameSale(linked, issued)) return []; // linked so already (redelivery, or linked when the sale arrived)
  const changed = recredit(state, linked, data.context, `referral-${referralId ?? 'none'}`);
  return [{ type: 'ReferralLinkApplied', data: { policyNo: issued.policyNo, referralId, transactionId: issued.transactionId, transaction: linked, ...changed } }];
}

/**
 * Endorsements whose credit the events withdrew (a cancellation or lapse dated before them, or their term's
 * renewal, arriving after them) and that stand refused after them: recorded as a refusal on arrival is, as
 * business order, where the withdrawing fact came first, refused them, so a reader of refusals reads the same.
 * A termination's withdrawal (`termination-<id>`) says why in its own words; the refusal gives the lifecycle's, as
 * business order's does (the endorsement arrived while the policy was terminated).
 */
function refusalsWithdrawn(events: readonly LedgerEvent[], state: PolicyCreditState): PolicyTransactionNotCredited[] {
  const withdrawn = events.flatMap((e) => (e.type !== 'CreditAdjusted' ? []
    : (e.data.withdrawn ?? []).map((w) => (!e.data.recalculationId.startsWith('termination-') ? w
      : { ...w, reason: notAllowed(w.transaction, 'terminated', 'CREDIT_POLICY_NOT_IN_FORCE').message }))));
  if (withdrawn.length === 0) return [];
  const after = events.reduce(evolve, state);
  return withdrawn.filter((w) => after.refused.has(w.transaction.transactionId))
    .map(({ transaction, code, reason }) => ({ type: 'PolicyTransactionNotCredited', data: { transaction, code, reason } }));
}

/**
 * A transaction the rules refuse (lifecycle, missing factor, no rule set) is recorded, not lost, and so is an
 * endorsement whose credit it withdraws (refusalsWithdrawn); double counting stays an error.
 */
function recordOrExplain(command: Extract<LedgerCommand, { type: 'RecordPolicyTransaction' }>, state: PolicyCreditState): CreditLedgerEvent[] {
  try {
    const events = decide(command, state);
    return [...events, ...refusalsWithdrawn(events, state)];
  } catch (error) {
    if (!(error instanceof CreditingError) || error.code === 'CREDIT_DOUBLE_COUNTING') throw error;
    return [{ type: 'PolicyTransactionNotCredited', data: { transaction: command.data.transaction, code: error.code, reason: error.message } }];
  }
}

export function decideLedger(command: CreditLedgerCommand, state: PolicyCreditState): CreditLedgerEvent[] {
  switch (command.type) {
    case 'ApplyConflictDecision':
      return applyConflictDecision(command, state);
    case 'ApplyReferralLink':
      return applyReferralLink(command, state);
    case 'AwaitServicingReassignment':
      return [{ type: 'ServicingReassignmentPending', data: command.data }];
    case 'RecordPolicyTransaction':
      return recordOrExplain(command, state);
    default:
      return decide(command, state);
  }
}

function evolveRecredit(state: PolicyCreditState, tx: PolicyTransaction, data: Recredit): PolicyCreditState {
  const s = cloneState(state);
  s.transactions.set(tx.transactionId, tx);
  s.items = withTransaction(s.items, tx);
  postLines(s, data.lines);
  s.lastReversalIds = data.reversalLineIds;
  for (const id of data.retiredLineIds) s.net.delete(id);
  applyRepricing(s, data.repriced);
  applyReattribution(s, data.reattributed);
  return s;
}

export function evolveLedger(state: PolicyCreditState, event: CreditLedgerEvent): PolicyCreditState {
  switch (event.type) {
    case 'ConflictDecisionApplied':
      return evolveRecredit(state, withDecision(state.transactions.get(event.data.transactionId)!, event.data.decision), event.data);
    case 'ReferralLinkApplied':
      return evolveRecredit(state, event.data.transaction, event.data);
    case 'PolicyTransactionNotCredited':
      return noteRefused(state, event.data.transaction);
    case 'ServicingReassignmentPending':
      return state;
    default:
      return evolve(state, event);
  }
}

export const creditLedgerDecider = { decide: decideLedger, evolve: evolveLedger, initialState };

/** The lines an event restates in the read model without posting them again (see Recredit's `reattributed`). */
export function ledgerEventReattributed(event: CreditLedgerEvent): readonly ReattributedLine[] {
  return event.type === 'ConflictDecisionApplied' || event.type === 'ReferralLinkApplied' ? event.data.reattributed ?? [] : [];
}

export function ledgerEventLines(event: CreditLedgerEvent): readonly CreditLine[] {
  switch (event.type) {
    case 'ConflictDecisionApplied':
    case 'ReferralLinkApplied':
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
