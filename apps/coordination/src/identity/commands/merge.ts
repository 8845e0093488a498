/**
 * Merge and unmerge as one unit of work each: both party streams appended together
 * (appendMany, each at the revision read) and the inline tables changed in the same
 * transaction, so the link index never disagrees with the streams.
 */
import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import type { EventMetadata, EventStore, RecordedEvent } from '@lib/event-store';
import type { EntityManager } from 'typeorm';
import { fold } from '../../infrastructure/decider-runner';
import {
  decideMerge, decideUnmerge, evolve, IdentityErrorCode, identityError, MatchEvidence, PartyEvent, PartyLink, PartyState, partyStreamId,
} from '../domain';
import { partyDecider } from '../inbound/party-streams';
import { applyMerge, applyUnmerge } from '../persistence/merge.store';

export interface MergeInput {
  survivorId: string;
  absorbedId: string;
  reason: string;
  evidence: MatchEvidence[];
  actor: string;
  now: string;
}
export type UnmergeInput = Omit<MergeInput, 'evidence'>;

export interface MergeOutcome {
  mergeId: string;
  survivorId: string;
  absorbedId: string;
  links: Array<{ subsidiary: string; localId: string }>;
}

interface Loaded {
  streamId: string;
  state: PartyState;
  expected: 'no_stream' | bigint;
}

async function load(store: EventStore, manager: EntityManager, partyId: string): Promise<Loaded> {
  const streamId = partyStreamId(partyId);
  const recorded: RecordedEvent[] = await store.readStream(streamId, { manager });
  return { streamId, state: fold(partyDecider, recorded), expected: recorded.length ? recorded[recorded.length - 1].streamRevision : 'no_stream' };
}

async function appendPair(
  store: EventStore, manager: EntityManager, operationId: string, metadata: EventMetadata,
  pairs: Array<[Loaded, PartyEvent[]]>,
): Promise<void> {
  const batch = pairs.filter(([, events]) => events.length > 0).map(([loaded, events]) => ({
    streamId: loaded.streamId,
    expected: loaded.expected,
    events: events.map((e, i) => ({
      eventId: deterministicEventId(COORDINATION_EVENT_NAMESPACE, operationId, loaded.streamId, String(i)),
      type: e.type, data: e.data, metadata,
    })),
  }));
  await store.appendMany(batch, { manager });
}

const refs = (links: PartyLink[]) => links.map(({ subsidiary, localId }) => ({ subsidiary, localId }));

export async function mergeParties(store: EventStore, manager: EntityManager, input: MergeInput, metadata: EventMetadata): Promise<MergeOutcome> {
  const survivor = await load(store, manager, input.survivorId);
  const absorbed = await load(store, manager, input.absorbedId);
  // The absorbed stream's revision makes the id stable for a retried request and new for a re-merge after an unmerge.
  const mergeId = deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'merge', input.survivorId, input.absorbedId, String(absorbed.expected));
  const decision = decideMerge({ ...input, mergeId }, survivor.state, absorbed.state);
  await appendPair(store, manager, mergeId, metadata, [[survivor, decision.survivor], [absorbed, decision.absorbed]]);
  await applyMerge(manager, input.survivorId, input.absorbedId);
  const moved = decision.absorbed.flatMap((e) => (e.type === 'PartyMergedInto' ? e.data.links : []));
  return { mergeId, survivorId: input.survivorId, absorbedId: input.absorbedId, links: refs(moved) };
}

/** Undoes the latest merge of `absorbedId` into `survivorId` still in effect. */
export async function unmergeParties(store: EventStore, manager: EntityManager, input: UnmergeInput, metadata: EventMetadata): Promise<MergeOutcome> {
  const survivor = await load(store, manager, input.survivorId);
  const absorbed = await load(store, manager, input.absorbedId);
  const merges = survivor.state.status === 'empty' ? [] : Object.values(survivor.state.merges);
  const merge = merges.filter((m) => m.absorbedId === input.absorbedId && !m.undone).at(-1);
  if (!merge) throw identityError(IdentityErrorCode.MergeNotFound, `party ${input.absorbedId} is not merged into ${input.survivorId}`);
  const decision = decideUnmerge({ ...input, mergeId: merge.mergeId }, survivor.state, absorbed.state);
  await appendPair(store, manager, `${merge.mergeId}:unmerge`, metadata, [[survivor, decision.survivor], [absorbed, decision.absorbed]]);
  const restored = decision.survivor.flatMap((e) => (e.type === 'PartiesUnmerged' ? e.data.links : []));
  const after = decision.survivor.reduce(evolve, survivor.state);
  const kept = after.status === 'empty' ? [] : Object.values(after.links);
  await applyUnmerge(manager, input.absorbedId, restored, kept);
  return { mergeId: merge.mergeId, survivorId: input.survivorId, absorbedId: input.absorbedId, links: refs(restored) };
}
