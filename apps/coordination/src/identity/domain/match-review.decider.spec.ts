import { IdentityErrorCode as Code } from './identity.errors';
import { decideMatchReview, evolveMatchReview, initialMatchReviewState, MatchReviewEvent } from './match-review.decider';
import { deciderSpec } from './testing/decider-spec';
import { T0, T1 } from './testing/fixtures';

const spec = deciderSpec({ decide: decideMatchReview, evolve: evolveMatchReview, initialState: initialMatchReviewState });
const candidate = { subsidiary: 'pnc' as const, localId: 'PNC-1' };
const evidence = [{ field: 'name', comparison: 'same-pinyin', weight: 4.9 }];
const opened: MatchReviewEvent = { type: 'MatchReviewOpened', data: { reviewId: 'R1', candidate, partyId: 'P1', score: 0.8, evidence, openedAt: T0 } };

describe('MatchReview decider', () => {
  it('given nothing, when a review-band match is opened, then MatchReviewOpened', () =>
    spec([]).when({ type: 'OpenMatchReview', data: { reviewId: 'R1', candidate, partyId: 'P1', score: 0.8, evidence, now: T0 } }).then([opened]));

  it('given an open review, when approved, then MatchReviewResolved names candidate and party', () =>
    spec([opened])
      .when({ type: 'ResolveMatchReview', data: { reviewId: 'R1', resolution: 'approved', actor: 'coordinator:li', note: 'same ID on paper form', now: T1 } })
      .then([{ type: 'MatchReviewResolved', data: { reviewId: 'R1', candidate, partyId: 'P1', resolution: 'approved', actor: 'coordinator:li', note: 'same ID on paper form', resolvedAt: T1 } }]));

  it('given a resolved review, when rejected again, then it refuses', () => {
    const resolved: MatchReviewEvent = { type: 'MatchReviewResolved', data: { reviewId: 'R1', candidate, partyId: 'P1', resolution: 'rejected', actor: 'x', note: '', resolvedAt: T1 } };
    spec([opened, resolved])
      .when({ type: 'ResolveMatchReview', data: { reviewId: 'R1', resolution: 'rejected', actor: 'x', note: '', now: T1 } })
      .thenThrows(Code.ReviewNotOpen);
  });

  it('given an open review, when opened again, then it refuses', () =>
    spec([opened])
      .when({ type: 'OpenMatchReview', data: { reviewId: 'R1', candidate, partyId: 'P1', score: 0.8, evidence, now: T1 } })
      .thenThrows(Code.ReviewAlreadyOpen));
});
