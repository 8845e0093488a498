import { WrongExpectedRevisionError } from '@lib/event-store';
import { AppError } from '@lib/platform';
import { ConflictsDomainError } from '../domain';
import { toHttpError } from './conflicts-http.errors';

describe('toHttpError', () => {
  it.each([
    ['SPLIT_TOTAL_NOT_100', 400],
    ['CONFLICT_UNKNOWN_CLAIMANT', 400],
    ['CONFLICT_NOT_FOUND', 404],
    ['CONFLICT_ALREADY_RESOLVED', 409],
    ['REFERRAL_ILLEGAL_TRANSITION', 409],
  ] as const)('given the domain refuses with %s, when answered over HTTP, then %i with the same code', (code, status) => {
    const error = toHttpError(new ConflictsDomainError(code, 'refused', { conflictId: 'c-1' }));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status, code, extra: { details: { conflictId: 'c-1' } } });
  });

  it('given a revision conflict that survived the retries, when answered, then 409 CONCURRENT_MODIFICATION', () => {
    expect(toHttpError(new WrongExpectedRevisionError('conflict-1', 0n, 1n))).toMatchObject({ status: 409, code: 'CONCURRENT_MODIFICATION' });
  });

  it('given an unexpected error, when answered, then it passes through untouched', () => {
    const error = new Error('boom');
    expect(toHttpError(error)).toBe(error);
  });
});
