/**
 * A merge or unmerge changes two party streams. Each side is decided by the
 * party decider on its own state; these functions compose the two decisions so
 * the handler can append both event lists in one transaction (or not at all).
 */
import { IdentityErrorCode as Code, identityError } from './identity.errors';
import { MatchEvidence } from './identity.types';
import { decide } from './party.decider';
import { PartyEvent, PartyState } from './party.events';

export interface MergePartiesCommand {
  mergeId: string;
  survivorId: string;
  absorbedId: string;
  reason: string;
  evidence: MatchEvidence[];
  actor: string;
  now: string;
}

export interface UnmergePartiesCommand {
  mergeId: string;
  survivorId: string;
  absorbedId: string;
  reason: string;
  actor: string;
  now: string;
}

export interface TwoStreamDecision {
  survivor: PartyEvent[];
  absorbed: PartyEvent[];
}

export function decideMerge(cmd: MergePartiesCommand, survivor: PartyState, absorbed: PartyState): TwoStreamDecision {
  if (cmd.survivorId === cmd.absorbedId) throw identityError(Code.SelfMerge, 'cannot merge a party into itself');
  if (survivor.status !== 'empty' && absorbed.status !== 'empty' && survivor.kind !== absorbed.kind) {
    throw identityError(Code.KindMismatch, 'cannot merge a person with an organisation');
  }
  const { mergeId, survivorId, absorbedId, reason, evidence, actor, now } = cmd;
  // Survivor first: merging into a merged party must fail before anything else.
  decide({ type: 'AbsorbParty', data: { mergeId, survivorId, absorbedId, links: [], reason, evidence, actor, now } }, survivor);
  const absorbedEvents = decide({ type: 'MergeIntoParty', data: { mergeId, partyId: absorbedId, survivorId, reason, evidence, actor, now } }, absorbed);
  const moved = absorbedEvents.flatMap((e) => (e.type === 'PartyMergedInto' ? e.data.links : []));
  const survivorEvents = decide(
    { type: 'AbsorbParty', data: { mergeId, survivorId, absorbedId, links: moved, reason, evidence, actor, now } },
    survivor,
  );
  return { survivor: survivorEvents, absorbed: absorbedEvents };
}

export function decideUnmerge(cmd: UnmergePartiesCommand, survivor: PartyState, absorbed: PartyState): TwoStreamDecision {
  const { mergeId, survivorId, absorbedId, reason, actor, now } = cmd;
  const survivorEvents = decide({ type: 'ReleaseMergedLinks', data: { mergeId, survivorId, reason, actor, now } }, survivor);
  const released = survivorEvents.find((e) => e.type === 'PartiesUnmerged');
  if (released?.type !== 'PartiesUnmerged' || released.data.absorbedId !== absorbedId) {
    throw identityError(Code.MergeNotFound, `merge ${mergeId} did not absorb party ${absorbedId}`);
  }
  const links = released.data.links;
  const absorbedEvents = decide({ type: 'RestoreParty', data: { mergeId, partyId: absorbedId, links, reason, actor, now } }, absorbed);
  return { survivor: survivorEvents, absorbed: absorbedEvents };
}
