import { DetectedConflict } from '../conflicts.types';
import { ConflictFacts, DetectionConfig, NewFact } from './facts';

/** Every detection rule has this shape, so each is testable alone and the list is just data. */
export type DetectionRule = (fact: NewFact, facts: ConflictFacts, config: DetectionConfig) => DetectedConflict[];
