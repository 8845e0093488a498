/** Runs the party and match-review deciders against their streams inside an inbound event's transaction. */
import type { EventStore, RecordedEvent } from '@lib/event-store';
import { PoisonMessageError } from '@lib/messaging';
import { Decider, execute, fold } from '../../infrastructure/decider-runner';
import type { InboundContext } from '../../infrastructure/inbound/inbound.types';
import {
  decide, decideMatchReview, evolve, evolveMatchReview, IdentityDomainError, initialMatchReviewState, initialState,
  MatchReviewCommand, MatchReviewEvent, MatchReviewState, matchReviewStreamId, PartyCommand, PartyEvent, PartyState, partyStreamId,
} from '../domain';

export const partyDecider: Decider<PartyCommand, PartyEvent, PartyState> = { decide, evolve, initialState };
export const matchReviewDecider: Decider<MatchReviewCommand, MatchReviewEvent, MatchReviewState> = {
  decide: decideMatchReview,
  evolve: evolveMatchReview,
  initialState: initialMatchReviewState,
};

export const partyEventsOf = (recorded: RecordedEvent[]): PartyEvent[] => recorded.map((e) => ({ type: e.type, data: e.data }) as PartyEvent);

export async function loadParty(store: EventStore, ctx: Pick<InboundContext, 'manager'>, partyId: string): Promise<PartyState> {
  return fold(partyDecider, await store.readStream(partyStreamId(partyId), { manager: ctx.manager }));
}

/** A domain refusal will refuse again on every retry: dead-letter the event instead of looping. */
function asInboundError(error: unknown): unknown {
  return error instanceof IdentityDomainError ? new PoisonMessageError(`${error.code}: ${error.message}`, error.code) : error;
}

async function run<C, E extends { type: string; data: unknown }, S>(
  store: EventStore, ctx: InboundContext, streamId: string, decider: Decider<C, E, S>, command: C, newStream = false,
): Promise<{ events: readonly E[]; state: S }> {
  try {
    return await execute(store, streamId, decider, command, {
      manager: ctx.manager,
      metadata: ctx.metadata,
      eventId: (_event, index) => ctx.eventId(streamId, String(index)),
      newStream,
    });
  } catch (error) {
    throw asInboundError(error);
  }
}

export const runPartyCommand = (store: EventStore, ctx: InboundContext, partyId: string, command: PartyCommand) =>
  run(store, ctx, partyStreamId(partyId), partyDecider, command);

/** A party created by the event in hand (its id derives from that event's id): nothing to read. */
export const runNewPartyCommand = (store: EventStore, ctx: InboundContext, partyId: string, command: PartyCommand) =>
  run(store, ctx, partyStreamId(partyId), partyDecider, command, true);

export const runMatchReviewCommand = (store: EventStore, ctx: InboundContext, reviewId: string, command: MatchReviewCommand) =>
  run(store, ctx, matchReviewStreamId(reviewId), matchReviewDecider, command);
