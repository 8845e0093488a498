import { Claimant, DetectedConflict, IsoTimestamp, Subsidiary } from '../conflicts.types';
import { Precedence, ResolutionRuleName } from '../resolution/precedence';
import { QueueReason, Resolution } from '../resolution/resolve';
import { ConflictFacts } from '../rules/facts';

export interface ClaimantRef {
  readonly subsidiary: Subsidiary;
  readonly agentId: string;
}

/** pct is a decimal string with 2 places ("60.00"): crediting multiplies money by it. */
export interface CreditShare extends ClaimantRef {
  readonly pct: string;
}

export type DecisionMode = 'award' | 'split' | 'reject';

export type CoordinatorDecision =
  | { readonly mode: 'award'; readonly claimant: ClaimantRef }
  | { readonly mode: 'split'; readonly shares: readonly (ClaimantRef & { readonly pct: string | number })[] }
  | { readonly mode: 'reject' };

export type DetectConflict = {
  type: 'DetectConflict';
  data: { conflictId: string; conflict: DetectedConflict; facts: ConflictFacts; precedence: Precedence; detectedAt: IsoTimestamp };
};
export type AssignConflict = {
  type: 'AssignConflict';
  data: { conflictId: string; coordinatorId: string; assignedBy: string; assignedAt: IsoTimestamp };
};
export type ResolveConflict = {
  type: 'ResolveConflict';
  data: { conflictId: string; decision: CoordinatorDecision; rationale: string; decidedBy: string; decidedAt: IsoTimestamp };
};
/** The facts a conflict was decided on turned out incomplete: a fact from earlier in business time arrived late. */
export type SupersedeConflict = {
  type: 'SupersedeConflict';
  data: { conflictId: string; reason: string; replacedBy: readonly string[]; supersededAt: IsoTimestamp };
};

export type ConflictCommand = DetectConflict | AssignConflict | ResolveConflict | SupersedeConflict;

export type ConflictDetected = {
  type: 'ConflictDetected';
  data: { conflictId: string; conflict: DetectedConflict; facts: ConflictFacts; detectedAt: IsoTimestamp };
};
export type ConflictAutoResolved = {
  type: 'ConflictAutoResolved';
  data: { conflictId: string; winner: Claimant; decidedByRule: ResolutionRuleName; precedence: Precedence; decidedAt: IsoTimestamp };
};
export type ConflictQueued = {
  type: 'ConflictQueued';
  data: { conflictId: string; reason: QueueReason; precedence: Precedence; queuedAt: IsoTimestamp };
};
export type ConflictAssigned = { type: 'ConflictAssigned'; data: AssignConflict['data'] };
export type ConflictResolved = {
  type: 'ConflictResolved';
  data: {
    conflictId: string;
    mode: DecisionMode;
    shares: readonly CreditShare[];
    rationale: string;
    decidedBy: string;
    decidedAt: IsoTimestamp;
  };
};
export type ConflictSuperseded = { type: 'ConflictSuperseded'; data: SupersedeConflict['data'] & { previousStatus: string } };

export type ConflictEvent = ConflictDetected | ConflictAutoResolved | ConflictQueued | ConflictAssigned | ConflictResolved | ConflictSuperseded;

export interface ConflictOutcome {
  readonly mode: DecisionMode;
  readonly shares: readonly CreditShare[];
  readonly rationale: string;
  readonly decidedBy: string;
  readonly decidedAt: IsoTimestamp;
  /** Set only when a precedence rule decided, so the audit shows rule decisions apart from people's. */
  readonly rule?: ResolutionRuleName;
}

interface Known {
  readonly conflictId: string;
  readonly conflict: DetectedConflict;
  readonly facts: ConflictFacts;
  readonly detectedAt: IsoTimestamp;
}

export type ConflictState =
  | { readonly status: 'none' }
  | (Known & { readonly status: 'detected' })
  | (Known & { readonly status: 'queued'; readonly triage: Resolution; readonly assignee?: string; readonly assignedAt?: IsoTimestamp })
  | (Known & { readonly status: 'auto-resolved'; readonly triage: Resolution; readonly outcome: ConflictOutcome; readonly closedAt: IsoTimestamp })
  | (Known & {
      readonly status: 'superseded';
      readonly previousStatus: string;
      readonly reason: string;
      readonly replacedBy: readonly string[];
      readonly closedAt: IsoTimestamp;
    })
  | (Known & {
      readonly status: 'resolved';
      readonly triage: Resolution;
      readonly assignee?: string;
      readonly outcome: ConflictOutcome;
      readonly closedAt: IsoTimestamp;
    });

export const conflictStreamId = (conflictId: string): string => `conflict-${conflictId}`;
