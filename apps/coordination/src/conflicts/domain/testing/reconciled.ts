/* Test helper: ConflictRecorder.reconcile's outcome in memory, for the as-of rules' every-order specs. */
import type { DetectedConflict } from '../conflicts.types';
import { RecordedScopeConflict, ScopeFacts, reconcileScope } from '../rules/as-of';
import { expectedScopeConflicts } from '../rules/sales-as-of';

export type Recorded = (RecordedScopeConflict & { conflict: DetectedConflict })[];

/** The conflicts recorded once the scope is reconciled: new ones detected, stale ones superseded (ConflictRecorder.reconcile). */
export function reconciled(recorded: Recorded, scope: ScopeFacts): Recorded {
  const plan = reconcileScope(expectedScopeConflicts(scope), recorded);
  const gone = new Set(plan.supersede.map((s) => s.key));
  return [
    ...recorded.map((r) => (gone.has(r.key) ? { ...r, status: 'superseded' } : r)),
    ...plan.detect.map((d) => ({ conflictId: d.key, key: d.key, status: 'detected', conflict: d.conflict })),
  ];
}
