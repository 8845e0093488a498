import { LinkMethod, MatchEvidence, PartyKind, PartyLink, SourceClientRecord, Subsidiary } from './identity.types';

type Msg<T extends string, D> = { type: T; data: D };

export interface MergeProvenance {
  reason: string;
  evidence: MatchEvidence[];
  actor: string;
}

export type PartyEvent =
  | Msg<'PartyRegistered', { partyId: string; kind: PartyKind; registeredAt: string }>
  | Msg<'SourceRecordLinked', {
      partyId: string; record: SourceClientRecord; method: LinkMethod;
      score: number | null; evidence: MatchEvidence[]; linkedAt: string;
    }>
  | Msg<'SourceRecordUpdated', { partyId: string; record: SourceClientRecord; updatedAt: string }>
  | Msg<'ConsentChanged', {
      partyId: string; subsidiary: Subsidiary; localId: string;
      groupSharing: boolean; marketing: boolean; changedAt: string;
    }>
  | Msg<'PartiesMerged', MergeProvenance & {
      mergeId: string; survivorId: string; absorbedId: string; links: PartyLink[]; mergedAt: string;
    }>
  | Msg<'PartyMergedInto', MergeProvenance & {
      mergeId: string; partyId: string; survivorId: string; links: PartyLink[]; mergedAt: string;
    }>
  | Msg<'PartiesUnmerged', {
      mergeId: string; survivorId: string; absorbedId: string; links: PartyLink[];
      reason: string; actor: string; unmergedAt: string;
    }>
  | Msg<'PartyRestored', {
      mergeId: string; partyId: string; survivorId: string; links: PartyLink[];
      reason: string; actor: string; restoredAt: string;
    }>;

/**
 * `currentPartyId` is what the link index (a unique constraint in the read
 * side) says owns the subsidiary identity now; the decider refuses to take a
 * link another party holds, which keeps "one link, one party".
 */
export type PartyCommand =
  | Msg<'RegisterSourceRecord', { partyId: string; record: SourceClientRecord; currentPartyId: string | null; now: string }>
  | Msg<'LinkSourceRecord', {
      partyId: string; record: SourceClientRecord; currentPartyId: string | null;
      method: Exclude<LinkMethod, 'origin'>; score: number | null; evidence: MatchEvidence[]; now: string;
    }>
  | Msg<'UpdateSourceRecord', { partyId: string; record: SourceClientRecord; now: string }>
  | Msg<'ChangeConsent', {
      partyId: string; subsidiary: Subsidiary; localId: string;
      groupSharing: boolean; marketing: boolean; now: string;
    }>
  /** Survivor side of a merge: carries the links the absorbed stream gave up. */
  | Msg<'AbsorbParty', MergeProvenance & { mergeId: string; survivorId: string; absorbedId: string; links: PartyLink[]; now: string }>
  /** Absorbed side of a merge. */
  | Msg<'MergeIntoParty', MergeProvenance & { mergeId: string; partyId: string; survivorId: string; now: string }>
  | Msg<'ReleaseMergedLinks', { mergeId: string; survivorId: string; reason: string; actor: string; now: string }>
  | Msg<'RestoreParty', { mergeId: string; partyId: string; links: PartyLink[]; reason: string; actor: string; now: string }>;

export interface MergeRecord {
  mergeId: string;
  absorbedId: string;
  /** Link keys the merge brought: an unmerge moves exactly these back. */
  linkKeys: string[];
  undone: boolean;
}

export type PartyState =
  | { status: 'empty' }
  | {
      status: 'active' | 'merged';
      partyId: string;
      kind: PartyKind;
      links: Record<string, PartyLink>;
      merges: Record<string, MergeRecord>;
      /** Set while this party lives on inside a survivor. */
      mergedInto: { survivorId: string; mergeId: string } | null;
    };

export type ExistingParty = Exclude<PartyState, { status: 'empty' }>;
