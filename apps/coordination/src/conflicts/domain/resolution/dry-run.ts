import { DetectedConflict } from '../conflicts.types';
import { ConflictFacts } from '../rules/facts';
import { Precedence } from './precedence';
import { Resolution, resolve, sameOutcome } from './resolve';

export interface PastConflict {
  readonly conflictId: string;
  readonly conflict: DetectedConflict;
  /** The facts as they stood at detection (stored in ConflictDetected), not as they are today. */
  readonly facts: ConflictFacts;
  /** What the precedence in force at the time decided. */
  readonly triage: Resolution;
}

export interface DryRunChange {
  readonly conflictId: string;
  readonly before: Resolution;
  readonly after: Resolution;
}

/** Which past conflicts a new precedence would have decided differently: a coordinator checks this before switching. */
export function dryRunPrecedence(history: readonly PastConflict[], newPrecedence: Precedence): DryRunChange[] {
  return history
    .map((past) => ({ conflictId: past.conflictId, before: past.triage, after: resolve(past.conflict, past.facts, newPrecedence) }))
    .filter((change) => !sameOutcome(change.before, change.after));
}
