import { ExpectedConflict, ScopeFacts, factsAt } from './as-of';
import { conflictKey, detectConflicts } from './detect';
import { ApproachActivity, ConflictFacts, DEFAULT_DETECTION_CONFIG, DetectionConfig } from './facts';

/**
 * Approaches other than quotes (visits, calls...) judged by business time, like quotes: each with the
 * party as it stood when it was made (its tier and relationship team then), so a policy, renewal or
 * status change that arrives after the approach and changes the tier at its time judges it again.
 */
export interface ScopeApproach extends ApproachActivity {
  /** `<subsidiary>:<activityId>`: names the conflict's trigger, so each approach raises its own. */
  readonly approachId: string;
}

const strip = ({ approachId: _id, ...a }: ScopeApproach): ApproachActivity => a;

/** The facts as they stood when `approach` was made: policies issued and registrations holding then, the party then. */
export const factsWhenApproached = (scope: ScopeFacts, approach: ScopeApproach): ConflictFacts => factsAt(scope, approach.at);

/** Every strategic-account conflict the party's approaches in this scope raise, each judged as of its own time. */
export function approachConflicts(scope: ScopeFacts, config: DetectionConfig = DEFAULT_DETECTION_CONFIG): ExpectedConflict[] {
  return (scope.approaches ?? []).flatMap((approach) => {
    const facts = factsWhenApproached(scope, approach);
    return detectConflicts({ kind: 'activity', activity: strip(approach) }, facts, config)
      .filter((c) => c.kind === 'strategic-account')
      .map((conflict) => ({ key: `${conflictKey(conflict)}|approach:${approach.approachId}`, conflict, facts, productSubsidiary: approach.subsidiary }));
  });
}
