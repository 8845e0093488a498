import { EventStoreError } from '@lib/event-store';
import { AppError, conflict } from '@lib/platform';
import { ConflictsDomainError, type ConflictsErrorCode } from '../domain';

/** Each domain code's HTTP status, once: invalid input 400, unknown 404, illegal state 409. */
export const CONFLICTS_ERROR_STATUS: Readonly<Record<ConflictsErrorCode, 400 | 404 | 409>> = {
  INVALID_TIMESTAMP: 400,
  INVALID_CONFIG: 400,
  REFERRAL_NOT_FOUND: 404,
  REFERRAL_ALREADY_REGISTERED: 409,
  REFERRAL_ILLEGAL_TRANSITION: 409,
  REFERRAL_OUTSIDE_WINDOW: 409,
  REFERRAL_WINDOW_NOT_ENDED: 409,
  REFERRAL_POLICY_MISMATCH: 409,
  REFERRAL_INVALID_PRICE: 400,
  REFERRAL_REASON_REQUIRED: 400,
  CONFLICT_NOT_FOUND: 404,
  CONFLICT_NO_CLAIMANTS: 400,
  CONFLICT_NOT_QUEUED: 409,
  CONFLICT_ALREADY_RESOLVED: 409,
  CONFLICT_RATIONALE_REQUIRED: 400,
  CONFLICT_ACTOR_REQUIRED: 400,
  CONFLICT_UNKNOWN_CLAIMANT: 400,
  SPLIT_TOO_FEW_SHARES: 400,
  SPLIT_DUPLICATE_CLAIMANT: 400,
  SPLIT_INVALID_PERCENT: 400,
  SPLIT_TOTAL_NOT_100: 400,
  PRECEDENCE_INVALID: 400,
};

/** Domain refusals and exhausted revision retries as problem+json; anything else passes through. */
export function toHttpError(error: unknown): unknown {
  if (error instanceof ConflictsDomainError) {
    return new AppError(CONFLICTS_ERROR_STATUS[error.code], error.code, error.message, [], { details: error.details });
  }
  if (error instanceof EventStoreError && error.retryable) {
    return conflict('CONCURRENT_MODIFICATION', 'Someone changed this at the same time; reload and try again.');
  }
  return error;
}

export async function asHttp<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toHttpError(error);
  }
}
