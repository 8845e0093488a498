/**
 * Domain input types for identity resolution. They mirror the subsidiary
 * `ClientRegistered`/`ClientUpdated` payloads (ARCHITECTURE.md example bodies)
 * but are owned here, so the domain does not depend on the wire contract:
 * the wiring layer maps contract events onto them.
 */
export const SUBSIDIARIES = ['life', 'pnc', 'group'] as const;
export type Subsidiary = (typeof SUBSIDIARIES)[number];

export type PartyKind = 'person' | 'organization';

/** The identity number never enters the domain: only its HMAC and a masked form. */
export interface IdentityDocument {
  type: string;
  hash: string;
  masked: string;
}

export interface SourceClientRecord {
  subsidiary: Subsidiary;
  localId: string;
  kind: PartyKind;
  name: string;
  gender?: 'M' | 'F';
  birthDate?: string;
  identity?: IdentityDocument;
  phones: string[];
  emails: string[];
  address?: string;
  creditCode?: string;
  industry?: string;
  size?: string;
  /** True when the subsidiary verified the contact data (e.g. KYC at issue). */
  verified?: boolean;
  occurredAt: string;
}

export interface LinkRef {
  subsidiary: Subsidiary;
  localId: string;
}

export const linkKey = (ref: LinkRef): string => `${ref.subsidiary}:${ref.localId}`;

export const partyStreamId = (partyId: string): string => `party-${partyId}`;

export type LinkMethod = 'origin' | 'deterministic' | 'probabilistic' | 'manual';

export interface MatchEvidence {
  field: string;
  comparison: string;
  weight: number;
}

export interface ConsentState {
  groupSharing: boolean;
  marketing: boolean;
  changedAt: string;
}

/** A subsidiary identity attached to a party, with the latest record it reported. */
export interface PartyLink {
  subsidiary: Subsidiary;
  localId: string;
  record: SourceClientRecord;
  method: LinkMethod;
  score: number | null;
  evidence: MatchEvidence[];
  linkedAt: string;
  consent: ConsentState | null;
}
