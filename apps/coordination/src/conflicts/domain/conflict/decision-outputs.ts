import { ConflictKind, IsoTimestamp, ProductLine, Subsidiary } from '../conflicts.types';
import { PastConflict } from '../resolution/dry-run';
import { ResolutionRuleName } from '../resolution/precedence';
import { ConflictState, CreditShare, DecisionMode } from './conflict.types';

type Decided = Extract<ConflictState, { status: 'resolved' | 'auto-resolved' }>;

/** What crediting consumes: who gets which share of the credit for this party, line and policy/referral. */
export interface CreditDecision {
  readonly conflictId: string;
  readonly policyNo?: string;
  readonly referralId?: string;
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly mode: DecisionMode;
  readonly shares: readonly { readonly subsidiary: Subsidiary; readonly agentId: string; readonly pct: string }[];
}

/** Payload of the ConflictResolved message on `coordination.decisions`, sent back to the subsidiaries. */
export interface ConflictResolvedMessage {
  readonly conflictId: string;
  readonly kind: ConflictKind;
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly outcome: DecisionMode;
  readonly shares: readonly CreditShare[];
  readonly rationale: string;
  readonly decidedBy: string;
  readonly decidedAt: IsoTimestamp;
  readonly rule?: ResolutionRuleName;
}

export const isDecided = (state: ConflictState): state is Decided => state.status === 'resolved' || state.status === 'auto-resolved';

export function toCreditDecision(state: Decided): CreditDecision {
  const { subject, partyId, productLine } = state.conflict;
  return {
    conflictId: state.conflictId,
    ...(subject?.policyNo ? { policyNo: subject.policyNo } : {}),
    ...(subject?.referralId ? { referralId: subject.referralId } : {}),
    partyId,
    productLine,
    mode: state.outcome.mode,
    shares: state.outcome.shares.map((s) => ({ ...s })),
  };
}

export function toConflictResolvedMessage(state: Decided): ConflictResolvedMessage {
  const { outcome } = state;
  return {
    conflictId: state.conflictId,
    kind: state.conflict.kind,
    partyId: state.conflict.partyId,
    productLine: state.conflict.productLine,
    outcome: outcome.mode,
    shares: outcome.shares.map((s) => ({ ...s })),
    rationale: outcome.rationale,
    decidedBy: outcome.decidedBy,
    decidedAt: outcome.decidedAt,
    ...(outcome.rule ? { rule: outcome.rule } : {}),
  };
}

/** A triaged conflict as dry-run input; undefined while it has not been triaged, or once superseded (no longer standing). */
export function toPastConflict(state: ConflictState): PastConflict | undefined {
  if (state.status === 'none' || state.status === 'detected' || state.status === 'superseded') return undefined;
  return { conflictId: state.conflictId, conflict: state.conflict, facts: state.facts, triage: state.triage };
}
