/**
 * Failures that say "try again shortly", not "this request is wrong" or "this is a bug":
 * the database connection went away, the server is restarting or out of connections, a
 * serialization failure or deadlock rolled the transaction back, the pool timed out.
 * Nothing was committed when one of these reaches the caller, so a retry is safe
 * (and with the same Idempotency-Key, answered once).
 */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '55P03', // lock_not_available
  '57P01', // admin_shutdown (backend terminated)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up / shutting down)
  '57014', // query_canceled (statement timeout)
]);

const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN']);

const TRANSIENT_MESSAGES = [
  /Connection terminated/i,
  /connection (?:is )?(?:closed|lost)/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /terminating connection/i,
  /the database system is (?:starting up|shutting down|in recovery mode)/i,
];

const TRANSIENT_ERROR_NAMES = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError', 'ConnectionIsNotSetError']);

export function isTransientDatabaseError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
  if (typeof e.code === 'string') {
    if (TRANSIENT_NODE_CODES.has(e.code)) return true;
    if (TRANSIENT_SQLSTATES.has(e.code) || e.code.startsWith('08')) return true; // class 08: connection exception
  }
  if (typeof e.name === 'string' && TRANSIENT_ERROR_NAMES.has(e.name)) return true;
  if (typeof e.message === 'string' && TRANSIENT_MESSAGES.some((re) => re.test(e.message as string))) return true;
  return isTransientDatabaseError(e.driverError, depth + 1) || isTransientDatabaseError(e.cause, depth + 1);
}

/** Seconds a client should wait before retrying a request refused for a transient failure. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 1;
