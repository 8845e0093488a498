import { DeadLetterError } from '@lib/messaging';
import { AppError } from '@lib/platform';

export const AdminErrorCode = {
  ApiKeyNotFound: 'API_KEY_NOT_FOUND',
  DeadLetterNotFound: 'DEAD_LETTER_NOT_FOUND',
  DeadLetterNotOpen: 'DEAD_LETTER_NOT_OPEN',
} as const;

export const apiKeyNotFound = (id: string) => new AppError(404, AdminErrorCode.ApiKeyNotFound, `No API key has id ${id}.`);
export const deadLetterNotFound = (id: string) => new AppError(404, AdminErrorCode.DeadLetterNotFound, `Dead letter ${id} does not exist.`);

/** The messaging library's dead-letter refusals as problem+json; anything else passes through. */
export function fromDeadLetterError(error: unknown): unknown {
  if (!(error instanceof DeadLetterError)) return error;
  return error.code === 'DEAD_LETTER_NOT_FOUND'
    ? new AppError(404, AdminErrorCode.DeadLetterNotFound, error.message)
    : new AppError(409, AdminErrorCode.DeadLetterNotOpen, error.message);
}
