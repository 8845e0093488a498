import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import type { EventMetadata, EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fold } from '../../infrastructure/decider-runner';
import { CLOCK, type Clock, EVENT_STORE } from '../../infrastructure/tokens';
import { MatchEvidence, MatchReviewEvent, matchReviewStreamId } from '../domain';
import { matchReviewDecider } from '../inbound/party-streams';
import { followRedirects, linkedParty } from '../persistence/identity.store';
import { listReviews, MatchReviewRow, recordReviewEvent, ReviewStatus } from '../persistence/match-reviews.store';
import { reviewNotFound } from '../http/identity-http.errors';
import { mergeParties, MergeOutcome, unmergeParties } from './merge';
import { inUnitOfWork } from './unit-of-work';

export interface Actor {
  id: string;
  correlationId: string;
}

export interface ReviewDecisionOutcome {
  reviewId: string;
  resolution: 'approved' | 'rejected';
  merge: MergeOutcome | null;
}

/** The coordination team's identity commands: merge, unmerge, decide a match review. */
@Injectable()
export class IdentityAdminService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  merge(survivorId: string, absorbedId: string, body: { reason: string; evidence: MatchEvidence[] }, actor: Actor): Promise<MergeOutcome> {
    const now = this.clock.now().toISOString();
    return inUnitOfWork(this.dataSource, (manager) =>
      mergeParties(this.store, manager, { survivorId, absorbedId, ...body, actor: actor.id, now }, this.metadata(actor, now)),
    );
  }

  unmerge(survivorId: string, absorbedId: string, reason: string, actor: Actor): Promise<MergeOutcome> {
    const now = this.clock.now().toISOString();
    return inUnitOfWork(this.dataSource, (manager) =>
      unmergeParties(this.store, manager, { survivorId, absorbedId, reason, actor: actor.id, now }, this.metadata(actor, now)),
    );
  }

  listReviews(status: ReviewStatus | null, limit: number): Promise<MatchReviewRow[]> {
    return listReviews(this.dataSource.manager, status, limit);
  }

  /** Approval merges the candidate's party into the suggested one, in the same transaction as the resolution. */
  decideReview(reviewId: string, decision: 'approve' | 'reject', reason: string, actor: Actor): Promise<ReviewDecisionOutcome> {
    const now = this.clock.now().toISOString();
    const metadata = this.metadata(actor, now);
    return inUnitOfWork(this.dataSource, async (manager) => {
      const streamId = matchReviewStreamId(reviewId);
      const recorded = await this.store.readStream(streamId, { manager });
      if (recorded.length === 0) throw reviewNotFound(reviewId);
      const resolution = decision === 'approve' ? 'approved' : 'rejected';
      const events = matchReviewDecider.decide(
        { type: 'ResolveMatchReview', data: { reviewId, resolution, actor: actor.id, note: reason, now } },
        fold(matchReviewDecider, recorded),
      );
      await this.store.append(
        streamId,
        events.map((e, i) => ({ eventId: this.idFor(reviewId, i), type: e.type, data: e.data, metadata })),
        recorded[recorded.length - 1].streamRevision,
        { manager },
      );
      for (const e of events) await recordReviewEvent(manager, e);
      const opened = recorded.find((e) => e.type === 'MatchReviewOpened')?.data as Extract<MatchReviewEvent, { type: 'MatchReviewOpened' }>['data'];
      const merge = decision === 'approve' ? await this.mergeCandidate(manager, opened, reason, actor, now, metadata) : null;
      return { reviewId, resolution, merge };
    });
  }

  private async mergeCandidate(
    manager: DataSource['manager'], opened: Extract<MatchReviewEvent, { type: 'MatchReviewOpened' }>['data'],
    reason: string, actor: Actor, now: string, metadata: EventMetadata,
  ): Promise<MergeOutcome | null> {
    const survivorId = await followRedirects(manager, opened.partyId);
    const candidateParty = await linkedParty(manager, opened.candidate);
    const absorbedId = candidateParty ? await followRedirects(manager, candidateParty) : null;
    // Someone merged the two by hand meanwhile: the approval has nothing left to do.
    if (!absorbedId || absorbedId === survivorId) return null;
    return mergeParties(this.store, manager, { survivorId, absorbedId, reason, evidence: opened.evidence, actor: actor.id, now }, metadata);
  }

  private idFor(reviewId: string, index: number): string {
    return deterministicEventId(COORDINATION_EVENT_NAMESPACE, reviewId, 'resolution', String(index));
  }

  private metadata(actor: Actor, now: string): EventMetadata {
    return { actor: actor.id, correlationId: actor.correlationId, causationId: null, occurredAt: now, source: { kind: 'admin-api' } };
  }
}
