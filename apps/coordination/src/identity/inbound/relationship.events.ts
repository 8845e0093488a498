import type { RelationshipType, Subsidiary } from '../domain';

/**
 * A declared relationship between two of one subsidiary's clients, resolved to parties.
 * Its own stream (`relationship-<id>`): the party decider does not model relationships,
 * and an edge belongs to neither end alone. Re-declaring (e.g. with `until`) appends again.
 */
export interface RelationshipRecordedData {
  relationshipId: string;
  subsidiary: Subsidiary;
  type: RelationshipType;
  fromLocalId: string;
  toLocalId: string;
  fromPartyId: string;
  toPartyId: string;
  since: string | null;
  until: string | null;
  role: string | null;
  declaredAt: string;
}

export type RelationshipEvent = { type: 'RelationshipRecorded'; data: RelationshipRecordedData };

export const relationshipStreamId = (relationshipId: string): string => `relationship-${relationshipId}`;
