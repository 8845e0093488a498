/**
 * Contract payloads (the wire) onto the identity domain's own types. The domain never
 * sees the contract: a subsidiary adding a field changes this file, not the matcher.
 */
import type { ClientRegisteredPayload, ConsentChangedPayload, RelationshipDeclaredPayload } from '@lib/contracts';
import { v5 } from 'uuid';
import { blockingKeys, ConsentState, MatchEvidence, RelationshipType, SourceClientRecord, Subsidiary } from '../domain';

export function sourceRecordOf(subsidiary: Subsidiary, payload: ClientRegisteredPayload, occurredAt: string): SourceClientRecord {
  const contact = { phones: payload.phones ?? [], emails: payload.emails ?? [], ...(payload.address ? { address: payload.address } : {}) };
  if (payload.kind === 'organization') {
    const { localId, name, creditCode, industry, size } = payload;
    return { subsidiary, localId, kind: 'organization', name, creditCode, industry, size, ...contact, occurredAt };
  }
  const { localId, name, gender, birthDate, identity } = payload;
  return {
    subsidiary, localId, kind: 'person', name,
    // 'U' (unknown) is no evidence either way, so the matcher must not see it as a gender.
    ...(gender === 'M' || gender === 'F' ? { gender } : {}),
    ...(birthDate ? { birthDate } : {}),
    // The ciphertext stays in the subsidiary's event: the group needs only hash and mask.
    ...(identity ? { identity: { type: identity.type, hash: identity.hash, masked: identity.masked } } : {}),
    ...contact,
    occurredAt,
  };
}

export interface IdentityKey {
  kind: 'id-hash' | 'credit-code';
  value: string;
}

/** Keys that name exactly one party (deterministic resolution). */
export function identityKeysOf(record: SourceClientRecord): IdentityKey[] {
  const keys: IdentityKey[] = [];
  // The HMAC input already includes the document type, so the hash alone is unambiguous.
  if (record.identity) keys.push({ kind: 'id-hash', value: record.identity.hash });
  if (record.creditCode) keys.push({ kind: 'credit-code', value: record.creditCode.trim().toUpperCase() });
  return keys;
}

/** Advisory-lock names that serialise resolutions which could meet on the same party. */
export function resolutionLockNames(record: SourceClientRecord): string[] {
  const names = [...identityKeysOf(record).map((k) => `${k.kind}:${k.value}`), ...blockingKeys(record)];
  return [...new Set(names)].sort();
}

export type ConsentScopeChange = { field: keyof Omit<ConsentState, 'changedAt'>; granted: boolean };

/** Scopes the domain models; 'cross-sell-contact' and 'profiling' are not part of the 360° view yet. */
export function consentChangeOf(payload: ConsentChangedPayload): ConsentScopeChange | null {
  if (payload.scope === 'group-sharing') return { field: 'groupSharing', granted: payload.granted };
  if (payload.scope === 'marketing') return { field: 'marketing', granted: payload.granted };
  return null;
}

const RELATIONSHIP_NAMESPACE = 'b8a3c1d2-6f0e-4b7a-9c55-2e8f4d1a7b90';

/** One id per declared edge, so a re-declaration (e.g. with `until`) updates it in place. */
export function relationshipIdOf(subsidiary: Subsidiary, p: Pick<RelationshipDeclaredPayload, 'fromLocalId' | 'kind' | 'toLocalId'>): string {
  return v5([subsidiary, p.fromLocalId, p.kind, p.toLocalId].join('\u001f'), RELATIONSHIP_NAMESPACE);
}

export const relationshipTypeOf = (kind: RelationshipDeclaredPayload['kind']): RelationshipType => kind;

/** JSON has no Infinity: a deterministic match's "certain" weight is stored as ±1000 bits. */
export function storableEvidence(evidence: MatchEvidence[]): MatchEvidence[] {
  return evidence.map((e) => (Number.isFinite(e.weight) ? e : { ...e, weight: e.weight > 0 ? 1000 : -1000 }));
}
