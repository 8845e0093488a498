/**
 * Party aggregate: one stream per party (`party-<partyId>`), person or
 * organisation, holding the subsidiary identities linked to it. Merges touch two
 * streams; see party-merge.ts for the pair of decisions.
 */
import { IdentityErrorCode as Code, identityError } from './identity.errors';
import { linkKey, PartyLink } from './identity.types';
import { ExistingParty, PartyCommand, PartyEvent, PartyState } from './party.events';

export const initialState = (): PartyState => ({ status: 'empty' });

type Cmd<T extends PartyCommand['type']> = Extract<PartyCommand, { type: T }>['data'];
type Evt<T extends PartyEvent['type']> = Extract<PartyEvent, { type: T }>;

export function decide(command: PartyCommand, state: PartyState): PartyEvent[] {
  switch (command.type) {
    case 'RegisterSourceRecord': return register(command.data, state);
    case 'LinkSourceRecord': return link(command.data, state);
    case 'UpdateSourceRecord': return update(command.data, state);
    case 'ChangeConsent': return changeConsent(command.data, state);
    case 'AbsorbParty': return absorb(command.data, state);
    case 'MergeIntoParty': return mergeInto(command.data, state);
    case 'ReleaseMergedLinks': return release(command.data, state);
    case 'RestoreParty': return restore(command.data, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

function requireActive(state: PartyState): ExistingParty {
  if (state.status === 'empty') throw identityError(Code.PartyNotFound, 'party does not exist');
  if (state.status === 'merged') {
    throw identityError(Code.PartyMerged, `party ${state.partyId} was merged into ${state.mergedInto?.survivorId}`);
  }
  return state;
}

function requireLink(party: ExistingParty, key: string): PartyLink {
  const found = party.links[key];
  if (!found) throw identityError(Code.LinkNotOnParty, `${key} is not linked to party ${party.partyId}`);
  return found;
}

function requireFreeLink(partyId: string, key: string, currentPartyId: string | null): void {
  if (currentPartyId !== null && currentPartyId !== partyId) {
    throw identityError(Code.LinkOwnedByOtherParty, `${key} belongs to party ${currentPartyId}`);
  }
}

function register(cmd: Cmd<'RegisterSourceRecord'>, state: PartyState): PartyEvent[] {
  if (state.status !== 'empty') throw identityError(Code.PartyAlreadyRegistered, `party ${cmd.partyId} exists`);
  requireFreeLink(cmd.partyId, linkKey(cmd.record), cmd.currentPartyId);
  return [
    { type: 'PartyRegistered', data: { partyId: cmd.partyId, kind: cmd.record.kind, registeredAt: cmd.now } },
    {
      type: 'SourceRecordLinked',
      data: { partyId: cmd.partyId, record: cmd.record, method: 'origin', score: null, evidence: [], linkedAt: cmd.now },
    },
  ];
}

function link(cmd: Cmd<'LinkSourceRecord'>, state: PartyState): PartyEvent[] {
  const party = requireActive(state);
  const key = linkKey(cmd.record);
  if (party.kind !== cmd.record.kind) throw identityError(Code.KindMismatch, `${key} is not a ${party.kind}`);
  if (party.links[key]) throw identityError(Code.LinkAlreadyOnParty, `${key} is already linked to ${party.partyId}`);
  requireFreeLink(party.partyId, key, cmd.currentPartyId);
  const { partyId, record, method, score, evidence, now } = cmd;
  return [{ type: 'SourceRecordLinked', data: { partyId, record, method, score, evidence, linkedAt: now } }];
}

/** Updates can arrive out of order across partitions: an older record changes nothing. */
function update(cmd: Cmd<'UpdateSourceRecord'>, state: PartyState): PartyEvent[] {
  const current = requireLink(requireActive(state), linkKey(cmd.record));
  if (cmd.record.occurredAt <= current.record.occurredAt) return [];
  return [{ type: 'SourceRecordUpdated', data: { partyId: cmd.partyId, record: cmd.record, updatedAt: cmd.now } }];
}

function changeConsent(cmd: Cmd<'ChangeConsent'>, state: PartyState): PartyEvent[] {
  requireLink(requireActive(state), linkKey(cmd));
  const { partyId, subsidiary, localId, groupSharing, marketing, now } = cmd;
  return [{ type: 'ConsentChanged', data: { partyId, subsidiary, localId, groupSharing, marketing, changedAt: now } }];
}

function absorb(cmd: Cmd<'AbsorbParty'>, state: PartyState): PartyEvent[] {
  const survivor = requireActive(state);
  if (cmd.survivorId === cmd.absorbedId) throw identityError(Code.SelfMerge, 'cannot merge a party into itself');
  if (survivor.merges[cmd.mergeId]) return []; // the same merge delivered twice
  const { mergeId, survivorId, absorbedId, links, reason, evidence, actor, now } = cmd;
  return [{ type: 'PartiesMerged', data: { mergeId, survivorId, absorbedId, links, reason, evidence, actor, mergedAt: now } }];
}

function mergeInto(cmd: Cmd<'MergeIntoParty'>, state: PartyState): PartyEvent[] {
  const absorbed = requireActive(state);
  if (cmd.partyId === cmd.survivorId) throw identityError(Code.SelfMerge, 'cannot merge a party into itself');
  const { mergeId, partyId, survivorId, reason, evidence, actor, now } = cmd;
  const links = Object.values(absorbed.links);
  return [{ type: 'PartyMergedInto', data: { mergeId, partyId, survivorId, links, reason, evidence, actor, mergedAt: now } }];
}

function release(cmd: Cmd<'ReleaseMergedLinks'>, state: PartyState): PartyEvent[] {
  const survivor = requireActive(state);
  const merge = survivor.merges[cmd.mergeId];
  if (!merge) throw identityError(Code.MergeNotFound, `merge ${cmd.mergeId} did not happen on ${survivor.partyId}`);
  if (merge.undone) throw identityError(Code.MergeAlreadyUndone, `merge ${cmd.mergeId} is already undone`);
  // The current version of each link goes back: updates and consent since the merge are kept.
  const links = merge.linkKeys.map((key) => survivor.links[key]).filter((l): l is PartyLink => !!l);
  const { mergeId, survivorId, reason, actor, now } = cmd;
  return [{ type: 'PartiesUnmerged', data: { mergeId, survivorId, absorbedId: merge.absorbedId, links, reason, actor, unmergedAt: now } }];
}

function restore(cmd: Cmd<'RestoreParty'>, state: PartyState): PartyEvent[] {
  if (state.status !== 'merged' || state.mergedInto?.mergeId !== cmd.mergeId) {
    throw identityError(Code.PartyNotMerged, `party ${cmd.partyId} is not merged by ${cmd.mergeId}`);
  }
  const { mergeId, partyId, links, reason, actor, now } = cmd;
  const survivorId = state.mergedInto.survivorId;
  return [{ type: 'PartyRestored', data: { mergeId, partyId, survivorId, links, reason, actor, restoredAt: now } }];
}

export function evolve(state: PartyState, event: PartyEvent): PartyState {
  if (event.type === 'PartyRegistered') {
    const { partyId, kind } = event.data;
    return { status: 'active', partyId, kind, links: {}, merges: {}, mergedInto: null };
  }
  if (state.status === 'empty') return state;
  switch (event.type) {
    case 'SourceRecordLinked': return withLink(state, linkOf(event));
    case 'SourceRecordUpdated': {
      const key = linkKey(event.data.record);
      return withLink(state, { ...state.links[key], record: event.data.record });
    }
    case 'ConsentChanged': {
      const { groupSharing, marketing, changedAt } = event.data;
      return withLink(state, { ...state.links[linkKey(event.data)], consent: { groupSharing, marketing, changedAt } });
    }
    case 'PartiesMerged': return absorbed(state, event);
    case 'PartyMergedInto':
      return { ...state, status: 'merged', links: {}, mergedInto: { survivorId: event.data.survivorId, mergeId: event.data.mergeId } };
    case 'PartiesUnmerged': return released(state, event);
    case 'PartyRestored':
      return { ...state, status: 'active', links: keyed(event.data.links), mergedInto: null };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}

const keyed = (links: PartyLink[]): Record<string, PartyLink> =>
  Object.fromEntries(links.map((l) => [linkKey(l), l]));

const withLink = (state: ExistingParty, l: PartyLink): ExistingParty => ({ ...state, links: { ...state.links, [linkKey(l)]: l } });

function linkOf(event: Evt<'SourceRecordLinked'>): PartyLink {
  const { record, method, score, evidence, linkedAt } = event.data;
  return { subsidiary: record.subsidiary, localId: record.localId, record, method, score, evidence, linkedAt, consent: null };
}

function absorbed(state: ExistingParty, event: Evt<'PartiesMerged'>): ExistingParty {
  const { mergeId, absorbedId, links } = event.data;
  const merge = { mergeId, absorbedId, linkKeys: links.map(linkKey), undone: false };
  return { ...state, links: { ...state.links, ...keyed(links) }, merges: { ...state.merges, [mergeId]: merge } };
}

function released(state: ExistingParty, event: Evt<'PartiesUnmerged'>): ExistingParty {
  const gone = new Set(event.data.links.map(linkKey));
  const links = Object.fromEntries(Object.entries(state.links).filter(([key]) => !gone.has(key)));
  const merge = { ...state.merges[event.data.mergeId], undone: true };
  return { ...state, links, merges: { ...state.merges, [event.data.mergeId]: merge } };
}
