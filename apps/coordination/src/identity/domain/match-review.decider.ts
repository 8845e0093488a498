/**
 * A probabilistic match in the review band waits for a person. One stream per
 * review (`match-review-<reviewId>`); an approval is followed by a manual
 * LinkSourceRecord (or a merge) issued by the handler.
 */
import { IdentityErrorCode as Code, identityError } from './identity.errors';
import { LinkRef, MatchEvidence } from './identity.types';

type Msg<T extends string, D> = { type: T; data: D };

export type MatchReviewResolution = 'approved' | 'rejected';

export type MatchReviewCommand =
  | Msg<'OpenMatchReview', {
      reviewId: string; candidate: LinkRef; partyId: string; score: number; evidence: MatchEvidence[]; now: string;
    }>
  | Msg<'ResolveMatchReview', { reviewId: string; resolution: MatchReviewResolution; actor: string; note: string; now: string }>;

export type MatchReviewEvent =
  | Msg<'MatchReviewOpened', {
      reviewId: string; candidate: LinkRef; partyId: string; score: number; evidence: MatchEvidence[]; openedAt: string;
    }>
  | Msg<'MatchReviewResolved', {
      reviewId: string; candidate: LinkRef; partyId: string; resolution: MatchReviewResolution;
      actor: string; note: string; resolvedAt: string;
    }>;

export type MatchReviewState =
  | { status: 'none' }
  | { status: 'open'; reviewId: string; candidate: LinkRef; partyId: string; score: number }
  | { status: 'resolved'; reviewId: string; candidate: LinkRef; partyId: string; resolution: MatchReviewResolution };

export const matchReviewStreamId = (reviewId: string): string => `match-review-${reviewId}`;
export const initialMatchReviewState = (): MatchReviewState => ({ status: 'none' });

export function decideMatchReview(command: MatchReviewCommand, state: MatchReviewState): MatchReviewEvent[] {
  switch (command.type) {
    case 'OpenMatchReview': {
      if (state.status !== 'none') throw identityError(Code.ReviewAlreadyOpen, `review ${command.data.reviewId} exists`);
      const { reviewId, candidate, partyId, score, evidence, now } = command.data;
      return [{ type: 'MatchReviewOpened', data: { reviewId, candidate, partyId, score, evidence, openedAt: now } }];
    }
    case 'ResolveMatchReview': {
      if (state.status !== 'open') throw identityError(Code.ReviewNotOpen, `review ${command.data.reviewId} is not open`);
      const { reviewId, resolution, actor, note, now } = command.data;
      const { candidate, partyId } = state;
      return [{ type: 'MatchReviewResolved', data: { reviewId, candidate, partyId, resolution, actor, note, resolvedAt: now } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveMatchReview(state: MatchReviewState, event: MatchReviewEvent): MatchReviewState {
  switch (event.type) {
    case 'MatchReviewOpened': {
      const { reviewId, candidate, partyId, score } = event.data;
      return { status: 'open', reviewId, candidate, partyId, score };
    }
    case 'MatchReviewResolved': {
      const { reviewId, candidate, partyId, resolution } = event.data;
      return { status: 'resolved', reviewId, candidate, partyId, resolution };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}
