import { CreditLine } from './credit-line';
import { CreditContext } from './credit-lines';
import { ReinstatedBefore, RepricedLine } from './policy-credit-state';
import { PolicyTransaction } from './policy-transaction';

type Msg<T extends string, D> = { readonly type: T; readonly data: D };

export type RecordPolicyTransaction = Msg<'RecordPolicyTransaction', { transaction: PolicyTransaction; context: CreditContext }>;
export type ReassignServicing = Msg<'ReassignServicing', {
  policyNo: string; fromAgentId: string; toAgentId: string; effectiveDate: string; reason: string;
  /** Rules and hierarchy for re-crediting renewals recorded before the reassignment arrived but effective after it. */
  context?: CreditContext;
}>;
/** Sent to every affected `credit-<policyNo>` stream after a rule set is published. */
export type RecalculateCredits = Msg<'RecalculateCredits', { recalculationId: string; ruleSetVersion: string; context: CreditContext }>;
export type FileDispute = Msg<'FileDispute', { disputeId: string; lineId: string; reason: string; filedBy: string; filedAt: string }>;
export type ResolveDispute = Msg<'ResolveDispute', {
  disputeId: string; outcome: 'uphold' | 'reject'; standardPremiumDelta?: string; reason: string; resolvedBy: string; resolvedAt: string;
}>;

export type LedgerCommand = RecordPolicyTransaction | ReassignServicing | RecalculateCredits | FileDispute | ResolveDispute;

export type CreditLinesRecorded = Msg<'CreditLinesRecorded', {
  transaction: PolicyTransaction; lines: readonly CreditLine[];
  /**
   * Set on a renewal or endorsement that takes its place before a cancellation or lapse recorded earlier but
   * dated on or after it (see late-placement; a CreditAdjusted with that termination's reversal of it
   * follows); absent: appended.
   */
  inBusinessOrder?: true;
}>;
/**
 * A reinstatement reported while the policy stands in force on its date (it reinstates no termination the
 * ledger holds): the cancellation or lapse it undoes, dated on or before it, may arrive after it, from
 * another partition. Kept with no line, it is recorded as that termination's arrival ends (see the
 * late-placement's reinstatementKeptFor), as business order has it; until then it changes nothing.
 */
export type ReinstatementKept = Msg<'ReinstatementKept', { transaction: PolicyTransaction }>;
/**
 * A cancellation or lapse reported while the policy stands terminated by one dated before it: a repeat as it came,
 * kept with no line. A reinstatement dated between the two may arrive after it (another partition): recorded, it
 * undoes the standing one, and this one ends the policy again, as in business order (see repeatedTerminationAfter).
 */
export type TerminationRepeated = Msg<'TerminationRepeated', { transaction: PolicyTransaction }>;
export type CreditLinesReversed = Msg<'CreditLinesReversed', {
  transaction: PolicyTransaction; lines: readonly CreditLine[];
  /**
   * Set on a cancellation or lapse that ends a term before a renewed one, arriving after a later termination ended that
   * (see endsEarlierTerm): it takes its place before the renewal, and the later one stays standing; absent: appended.
   */
  inBusinessOrder?: true;
}>;
export type ServicingReassigned = Msg<'ServicingReassigned', {
  policyNo: string; fromAgentId: string; toAgentId: string; effectiveDate: string; reason: string;
  /** Set when it takes its place before renewals effective after it (a CreditAdjusted follows); absent: appended. */
  inBusinessOrder?: true;
}>;
export type CreditAdjusted = Msg<'CreditAdjusted', {
  policyNo: string; recalculationId: string; ruleSetVersion: string; lines: readonly CreditLine[]; reversalLineIds: readonly string[];
  retiredLineIds: readonly string[];
  /** Absent on events written before lines could be re-priced without an amount changing. */
  repriced?: readonly RepricedLine[];
  /**
   * Endorsements re-read against the term just recorded (they arrived before it and were credited with
   * the previous term's premium mode and dates), as they now read: the lines re-credit them. Absent otherwise.
   */
  endorsements?: readonly PolicyTransaction[];
  /**
   * Endorsements credited as read against the term before whose credit the term just recorded withdraws:
   * read against it, the rules refuse them. Absent otherwise.
   */
  withdrawn?: readonly WithdrawnEndorsement[];
  /**
   * A cancellation or lapse recorded in the place of a later-dated one of its terminated span, which arrived
   * before it and repeated it in business order: that one leaves the history (see restatedTermination). Absent otherwise.
   */
  restatedTermination?: { transaction: PolicyTransaction; repeated: PolicyTransaction };
  /**
   * A cancellation or lapse recorded, with the kept reinstatement that undid it, before a later-dated one that arrived
   * before it (and stays: it ended the policy again in business order, see terminationBeforeKept). Absent otherwise.
   */
  terminationBefore?: { transaction: PolicyTransaction; reinstatement: PolicyTransaction; later: PolicyTransaction };
  /**
   * A reinstatement recorded, with the cancellation or lapse that ended the policy again after it, before a later-dated
   * reinstatement recorded first that undid the termination it undoes; one of the two arriving, the other kept (see
   * reinstatementBeforeRepeat). Absent otherwise.
   */
  reinstatementBefore?: ReinstatedBefore;
}>;
/** An endorsement as read against its own term, and why the rules refuse it so (the code and message of their refusal). */
export interface WithdrawnEndorsement {
  readonly transaction: PolicyTransaction;
  readonly code: string;
  readonly reason: string;
}
export type DisputeFiled = Msg<'DisputeFiled', { disputeId: string; policyNo: string; lineId: string; reason: string; filedBy: string; filedAt: string }>;
export type DisputeUpheld = Msg<'DisputeUpheld', {
  disputeId: string; policyNo: string; lineId: string; standardPremiumDelta: string; reason: string; resolvedBy: string;
  resolvedAt: string; line: CreditLine | null;
}>;
export type DisputeRejected = Msg<'DisputeRejected', { disputeId: string; policyNo: string; reason: string; resolvedBy: string; resolvedAt: string }>;

export type LedgerEvent =
  | CreditLinesRecorded
  | CreditLinesReversed
  | ReinstatementKept
  | TerminationRepeated
  | ServicingReassigned
  | CreditAdjusted
  | DisputeFiled
  | DisputeUpheld
  | DisputeRejected;

/** Every line an event adds to the ledger (for projections and totals). */
export function linesOf(event: LedgerEvent): readonly CreditLine[] {
  switch (event.type) {
    case 'CreditLinesRecorded':
    case 'CreditLinesReversed':
    case 'CreditAdjusted':
      return event.data.lines;
    case 'DisputeUpheld':
      return event.data.line ? [event.data.line] : [];
    case 'ReinstatementKept':
    case 'TerminationRepeated':
    case 'ServicingReassigned':
    case 'DisputeFiled':
    case 'DisputeRejected':
      return [];
  }
}

export const creditStreamId = (policyNo: string): string => `credit-${policyNo}`;

export const ledgerLines = (events: readonly LedgerEvent[]): CreditLine[] => events.flatMap((e) => [...linesOf(e)]);
