/**
 * ClientRegistered / ClientUpdated: find the record's party — deterministically by
 * identity key, else probabilistically among blocked candidates — and append to its
 * stream, keeping the inline tables in step in the same transaction.
 */
import type { EventStore } from '@lib/event-store';
import type { InboundContext } from '../../infrastructure/inbound/inbound.types';
import { blockingKeys, MatchOutcome, MatchThresholds, SourceClientRecord } from '../domain';
import {
  claimIdentityKey, identityKeyOwner, lockAndFindLink, ownerOrCandidates, partyRecords, replaceCandidate,
} from '../persistence/identity.store';
import { hasOpenReview, recordReviewEvent } from '../persistence/match-reviews.store';
import type { PartyDirectory } from '../persistence/party-directory';
import { IdentityKey, identityKeysOf, resolutionLockNames, storableEvidence } from './client-record.mapping';
import { runMatchReviewCommand, runNewPartyCommand, runPartyCommand } from './party-streams';
import { resolveAgainst } from './resolution';

export interface ResolutionDeps {
  store: EventStore;
  directory: PartyDirectory;
  thresholds: MatchThresholds;
}

/**
 * Another consumer claimed the identity key between our look-up and our claim. Not a
 * domain error: retrying the batch finds the winner's party and links to it.
 */
export class ConcurrentResolutionError extends Error {
  readonly retryable = true;
  constructor(key: IdentityKey) {
    super(`identity key ${key.kind} was claimed by a concurrent registration; retrying`);
    this.name = 'ConcurrentResolutionError';
  }
}

const certain = (key: IdentityKey): MatchOutcome => ({
  score: 1, decision: 'auto-link', method: 'deterministic', guard: null,
  evidence: [{ field: key.kind === 'id-hash' ? 'identity' : 'creditCode', comparison: 'exact', weight: Infinity }],
});

export async function registerClient(deps: ResolutionDeps, ctx: InboundContext, record: SourceClientRecord): Promise<string> {
  const keys = identityKeysOf(record);
  // The look-up is sent with the locks and runs once they are held (the connection is pipelined):
  // one round trip. A second registration of a known client id is a full snapshot, like an update.
  const [linked, found] = await Promise.all([
    lockAndFindLink(ctx.manager, resolutionLockNames(record), record, { wait: ctx.mayWait }),
    ownerOrCandidates(ctx.manager, keys, blockingKeys(record)),
  ]);
  if (linked) return updateClient(deps, ctx, record);
  if (found.candidates === null) return linkRecord(deps, ctx, record, found.owner, certain(keys[0]));
  const resolution = resolveAgainst(record, await withTheirParties(ctx, found.candidates), deps.thresholds);
  if (resolution.kind === 'link') return linkRecord(deps, ctx, record, resolution.partyId, resolution.outcome);
  const partyId = ctx.eventId('party');
  const now = record.occurredAt;
  // The new party's first event and its claims in one round trip (a refused append fails the claim behind it).
  await Promise.all([
    runNewPartyCommand(deps.store, ctx, partyId, { type: 'RegisterSourceRecord', data: { partyId, record, currentPartyId: null, now } }),
    claimAndLink(ctx, keys, record, partyId),
  ]);
  if (resolution.kind === 'review') await openReview(deps, ctx, record, resolution.partyId, resolution.outcome, 'probabilistic');
  return partyId;
}

/** Blocked candidates plus every other record of their parties, so one conflicting document rules a party out. */
async function withTheirParties(ctx: InboundContext, blocked: Array<{ partyId: string; record: SourceClientRecord }>) {
  const parties = [...new Set(blocked.map((c) => c.partyId))];
  return parties.length === 0 ? blocked : [...blocked, ...(await partyRecords(ctx.manager, parties))];
}

async function linkRecord(deps: ResolutionDeps, ctx: InboundContext, record: SourceClientRecord, partyId: string, outcome: MatchOutcome): Promise<string> {
  const method = outcome.method === 'deterministic' ? 'deterministic' : 'probabilistic';
  await runPartyCommand(deps.store, ctx, partyId, {
    type: 'LinkSourceRecord',
    data: { partyId, record, currentPartyId: null, method, score: outcome.score, evidence: storableEvidence(outcome.evidence), now: record.occurredAt },
  });
  await claimAndLink(ctx, identityKeysOf(record), record, partyId);
  return partyId;
}

/**
 * Claims the record's keys for the party and links the client id (one statement). A key it
 * could not claim must already be this party's: held by another, a concurrent registration
 * won the race, and retrying the batch links to the winner instead.
 */
async function claimAndLink(ctx: InboundContext, keys: IdentityKey[], record: SourceClientRecord, partyId: string): Promise<void> {
  for (const key of await replaceCandidate(ctx.manager, record, partyId, { link: { keys } })) {
    if ((await identityKeyOwner(ctx.manager, [key])) !== partyId) throw new ConcurrentResolutionError(key);
  }
  ctx.shared.set('partyId', partyId);
}

export async function updateClient(deps: ResolutionDeps, ctx: InboundContext, record: SourceClientRecord): Promise<string> {
  const partyId = await deps.directory.requirePartyId(ctx.manager, record.subsidiary, record.localId);
  ctx.shared.set('partyId', partyId);
  const { events } = await runPartyCommand(deps.store, ctx, partyId, { type: 'UpdateSourceRecord', data: { partyId, record, now: record.occurredAt } });
  if (events.length === 0) return partyId; // an older snapshot than the one we hold
  await replaceCandidate(ctx.manager, record, partyId);
  for (const key of identityKeysOf(record)) {
    const owner = await claimIdentityKey(ctx.manager, key, partyId);
    // A newly reported document that another party holds: the two are probably one person.
    if (owner !== partyId) await openReview(deps, ctx, record, owner, certain(key), key.kind);
  }
  return partyId;
}

async function openReview(
  deps: ResolutionDeps, ctx: InboundContext, record: SourceClientRecord, partyId: string, outcome: MatchOutcome, qualifier: string,
): Promise<void> {
  const candidate = { subsidiary: record.subsidiary, localId: record.localId };
  if (await hasOpenReview(ctx.manager, candidate, partyId)) return;
  const reviewId = ctx.eventId('match-review', qualifier);
  const { events } = await runMatchReviewCommand(deps.store, ctx, reviewId, {
    type: 'OpenMatchReview',
    data: {
      reviewId, candidate, partyId,
      score: outcome.score, evidence: storableEvidence(outcome.evidence), now: record.occurredAt,
    },
  });
  for (const event of events) await recordReviewEvent(ctx.manager, event);
}
