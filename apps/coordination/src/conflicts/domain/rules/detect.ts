import { DetectedConflict, claimantKey } from '../conflicts.types';
import { detectChannelQuoteClash } from './channel-quote-clash.rule';
import { detectDuplicateRegistration } from './duplicate-registration.rule';
import { ConflictFacts, DEFAULT_DETECTION_CONFIG, DetectionConfig, NewFact } from './facts';
import { detectPolicyVsRegistration } from './policy-vs-registration.rule';
import { DetectionRule } from './rule';
import { detectServicingRelationship } from './servicing-relationship.rule';
import { detectStrategicAccount } from './strategic-account.rule';

export const DETECTION_RULES: readonly DetectionRule[] = [
  detectDuplicateRegistration,
  detectPolicyVsRegistration,
  detectServicingRelationship,
  detectStrategicAccount,
  detectChannelQuoteClash,
];

/** Runs every rule on one new fact; one fact may cause several conflicts of different kinds. */
export function detectConflicts(fact: NewFact, facts: ConflictFacts, config: DetectionConfig = DEFAULT_DETECTION_CONFIG): DetectedConflict[] {
  return DETECTION_RULES.flatMap((rule) => rule(fact, facts, config));
}

/**
 * A stable natural key for a conflict. The wiring derives conflictId = UUIDv5(source event id + this key),
 * so a redelivered fact detects the same conflict id and appends nothing twice, while the same claimants
 * clashing again later (a new source event) open a new conflict.
 */
export function conflictKey(conflict: DetectedConflict): string {
  const claimants = conflict.claimants.map((c) => `${claimantKey(c)}/${c.referralId ?? ''}`).sort();
  const subject = `${conflict.subject?.policyNo ?? ''}/${conflict.subject?.referralId ?? ''}`;
  return [conflict.kind, conflict.partyId, conflict.productLine, subject, ...claimants].join('|');
}
