/**
 * Errors of the auth layer. They carry `status` and `code`, which is all the platform's
 * problem+json filter needs; they stay plain `Error`s so this folder depends on no filter.
 */
export const AuthErrorCode = {
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
} as const;

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export const unauthenticated = (message = 'Send a valid X-Api-Key header or Authorization: Bearer token.') =>
  new AuthError(401, AuthErrorCode.Unauthenticated, message);

export const forbidden = (message: string) => new AuthError(403, AuthErrorCode.Forbidden, message);

/** 429 from the rate limiter; the guard has already set Retry-After on the response. */
export class RateLimitError extends Error {
  readonly status = 429;
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s.`);
    this.name = 'RateLimitError';
  }
}

/** A key-management request that cannot be honoured (bad role, subsidiary mismatch). */
export class ApiKeyRequestError extends Error {
  readonly status = 400;
  readonly code = 'INVALID_API_KEY_REQUEST';
  constructor(message: string) {
    super(message);
    this.name = 'ApiKeyRequestError';
  }
}
