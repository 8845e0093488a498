/**
 * What to do with one HTTP answer: done, done before (idempotent replay), try again
 * (429, 5xx, network), wait for the coordination service to catch up, or give up
 * because the request itself was wrong.
 */
import type { PlannedRequest } from './types';

export interface Attempt {
  status: number | null;
  body: unknown;
  error: string | null;
  retryAfterMs: number | null;
  /** The service answered from its idempotency store (Idempotent-Replayed: true). */
  replayed: boolean;
  /** Not worth retrying whatever happens (e.g. no API key for the role). */
  fatal: boolean;
}

export type Verdict = { kind: 'ok' } | { kind: 'replayed' } | { kind: 'retry' } | { kind: 'wait' } | { kind: 'problem' };

const MAX_DELAY_MS = 15_000;

function problemField(body: unknown, field: string): unknown {
  return body && typeof body === 'object' ? (body as Record<string, unknown>)[field] : undefined;
}

export function classify(r: PlannedRequest, a: Attempt): Verdict {
  if (a.fatal) return { kind: 'problem' };
  if (a.status === null) return { kind: 'retry' };
  if (a.status >= 200 && a.status < 300) return { kind: a.replayed ? 'replayed' : 'ok' };
  const code = problemField(a.body, 'code');
  if (r.service === 'coordination' && r.kind === 'MarkReferralLost') {
    // The lead reaches the coordination service through Kafka; until then it is unknown here.
    if (a.status === 404 && code === 'REFERRAL_NOT_FOUND') return { kind: 'wait' };
    const details = problemField(a.body, 'details') as Record<string, unknown> | undefined;
    if (a.status === 409 && code === 'REFERRAL_ILLEGAL_TRANSITION' && details?.from === 'lost') return { kind: 'replayed' };
  }
  if (a.status === 429 || a.status === 408 || a.status >= 500) return { kind: 'retry' };
  if (a.status === 409 && code === 'CONCURRENT_MODIFICATION') return { kind: 'retry' };
  return { kind: 'problem' };
}

/** Retry-After when the server sent one, else exponential backoff with jitter, capped. */
export function retryDelayMs(attempt: number, retryAfterMs: number | null, baseMs: number, random: () => number): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, 60_000) + Math.floor(random() * 100);
  const exponential = Math.min(MAX_DELAY_MS, baseMs * 2 ** (attempt - 1));
  return Math.floor(exponential * (0.5 + random() * 0.5));
}
