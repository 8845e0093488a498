import { AppError } from '@lib/platform';
import { IdentityDomainError, IdentityErrorCode as Code } from '../domain';

/** Every identity code maps to one HTTP status, here and nowhere else. */
const STATUS: Record<Code, number> = {
  [Code.PartyNotFound]: 404,
  [Code.MergeNotFound]: 404,
  [Code.SelfMerge]: 422,
  [Code.KindMismatch]: 422,
  [Code.InvalidThresholds]: 422,
  [Code.PartyAlreadyRegistered]: 409,
  [Code.PartyMerged]: 409,
  [Code.PartyNotMerged]: 409,
  [Code.LinkAlreadyOnParty]: 409,
  [Code.LinkOwnedByOtherParty]: 409,
  [Code.LinkNotOnParty]: 409,
  [Code.MergeAlreadyUndone]: 409,
  [Code.ReviewAlreadyOpen]: 409,
  [Code.ReviewNotOpen]: 409,
};

export function toHttpError(error: unknown): unknown {
  if (error instanceof IdentityDomainError) return new AppError(STATUS[error.code], error.code, error.message);
  if ((error as { retryable?: unknown })?.retryable === true) {
    return new AppError(409, 'IDENTITY_CONCURRENT_CHANGE', 'The parties changed while the command ran; send it again.');
  }
  return error;
}

export const partyNotFound = (partyId: string) => new AppError(404, Code.PartyNotFound, `No client view for party ${partyId}.`);
export const clientNotFound = () => new AppError(404, Code.PartyNotFound, 'No party is known for that client.');
export const reviewNotFound = (reviewId: string) => new AppError(404, 'IDENTITY_REVIEW_NOT_FOUND', `No match review ${reviewId}.`);
