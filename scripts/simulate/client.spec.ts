import { parseRetryAfter, runPlan, type Endpoints } from './client';
import { classify, retryDelayMs } from './retry';
import type { PlannedRequest } from './types';

const ENDPOINTS: Endpoints = { life: 'http://life', pnc: 'http://pnc', group: 'http://group', coordination: 'http://coord' };
const CREDENTIALS = { life: 'k-life', pnc: 'k-pnc', group: 'k-group', coordinator: 'k-coord' };

function request(seq: number, wave: number, over: Partial<PlannedRequest> = {}): PlannedRequest {
  return {
    seq, wave, service: 'life', as: 'life', method: 'POST', path: '/v1/activities', body: { n: seq },
    idempotencyKey: `sim-1-life-LogActivity-${seq}`, kind: 'LogActivity', ...over,
  };
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error;

/** A fetch that answers from a script per path and records what it was sent. */
function scriptedFetch(script: (url: string, attempt: number) => Reply) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const attempts = new Map<string, number>();
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const attempt = (attempts.get(url) ?? 0) + 1;
    attempts.set(url, attempt);
    const reply = script(url, attempt);
    if (reply instanceof Error) throw reply;
    return new Response(reply.body === undefined ? '' : JSON.stringify(reply.body), { status: reply.status, headers: reply.headers });
  }) as unknown as typeof fetch;
  return { impl, calls };
}

const noSleep = async () => undefined;

describe('runPlan', () => {
  it('sends each request with its API key and Idempotency-Key, and counts replays', async () => {
    const { impl, calls } = scriptedFetch((url) => ({ status: 202, body: { status: 'accepted' }, headers: (url.endsWith('2') ? { 'idempotent-replayed': 'true' } : {}) as Record<string, string> }));
    const plan = { requests: [request(0, 0, { path: '/v1/a1' }), request(1, 0, { path: '/v1/a2', service: 'pnc', as: 'pnc' })] };
    const result = await runPlan(plan, ENDPOINTS, CREDENTIALS, { fetch: impl, sleep: noSleep });
    expect(result).toMatchObject({ total: 2, succeeded: 2, replayed: 1, problems: 0, failures: 0 });
    const headers = calls.map((c) => c.init.headers as Record<string, string>);
    expect(calls.map((c) => c.url).sort()).toEqual(['http://life/v1/a1', 'http://pnc/v1/a2']);
    expect(headers.find((h) => h['x-api-key'] === 'k-pnc')?.['idempotency-key']).toBe('sim-1-life-LogActivity-1');
  });

  it('retries 429 honouring Retry-After, 503 and network errors, then succeeds', async () => {
    const delays: number[] = [];
    const { impl } = scriptedFetch((url, attempt) => {
      if (url.endsWith('/a')) return attempt === 1 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 202 };
      return attempt === 1 ? new TypeError('fetch failed') : attempt === 2 ? { status: 503 } : { status: 202 };
    });
    const plan = { requests: [request(0, 0, { path: '/a' }), request(1, 0, { path: '/b' })] };
    const result = await runPlan(plan, ENDPOINTS, CREDENTIALS, { fetch: impl, sleep: async (ms) => void delays.push(ms), random: () => 0 });
    expect(result).toMatchObject({ succeeded: 2, retries: 3, problems: 0, failures: 0 });
    expect(delays).toContain(2000);
  });

  it('counts a 4xx as a simulator bug and keeps its problem body, without retrying', async () => {
    const problem = { type: 'about:blank', status: 422, code: 'UNKNOWN_CLIENT', detail: 'register it first' };
    const { impl, calls } = scriptedFetch(() => ({ status: 422, body: problem }));
    const result = await runPlan({ requests: [request(0, 0)] }, ENDPOINTS, CREDENTIALS, { fetch: impl, sleep: noSleep });
    expect(result).toMatchObject({ succeeded: 0, problems: 1, failures: 0 });
    expect(result.samples[0]).toMatchObject({ status: 422, kind: 'LogActivity', body: problem });
    expect(calls).toHaveLength(1);
  });

  it('gives up after the last attempt on a persistent 5xx and reports a failure', async () => {
    const { impl, calls } = scriptedFetch(() => ({ status: 500 }));
    const result = await runPlan({ requests: [request(0, 0)] }, ENDPOINTS, CREDENTIALS, { fetch: impl, sleep: noSleep, maxAttempts: 3 });
    expect(result).toMatchObject({ failures: 1, problems: 0, retries: 2 });
    expect(calls).toHaveLength(3);
  });

  it('finishes a wave before starting the next, and never exceeds the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const order: string[] = [];
    const impl = (async (url: string) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      order.push(url);
      inFlight--;
      return new Response('', { status: 202 });
    }) as unknown as typeof fetch;
    const requests = [...Array.from({ length: 10 }, (_, i) => request(i, 0, { path: `/w0/${i}` })), request(10, 1, { path: '/w1/x' })];
    const waves: number[] = [];
    await runPlan({ requests }, ENDPOINTS, CREDENTIALS, { fetch: impl, concurrency: 3, beforeWave: async (w) => void waves.push(w) });
    expect(peak).toBeLessThanOrEqual(3);
    expect(order[order.length - 1]).toBe('http://life/w1/x');
    expect(waves).toEqual([0, 1]);
  });
});

describe('retry rules', () => {
  const lost = request(0, 9, { service: 'coordination', as: 'pnc', kind: 'MarkReferralLost', path: '/v1/referrals/R-L-1/loss' });
  const answer = (status: number, body: unknown = null) => ({ status, body, error: null, retryAfterMs: null, replayed: false, fatal: false });

  it.each([
    [request(0, 0), answer(202), 'ok'],
    [request(0, 0), { ...answer(202), replayed: true }, 'replayed'],
    [request(0, 0), answer(429), 'retry'],
    [request(0, 0), answer(502), 'retry'],
    [request(0, 0), { ...answer(0), status: null }, 'retry'],
    [request(0, 0), answer(409, { code: 'IDEMPOTENCY_KEY_REUSED' }), 'problem'],
    [request(0, 0), answer(400, { code: 'VALIDATION_FAILED' }), 'problem'],
    [lost, answer(404, { code: 'REFERRAL_NOT_FOUND' }), 'wait'],
    [lost, answer(409, { code: 'REFERRAL_ILLEGAL_TRANSITION', details: { from: 'lost' } }), 'replayed'],
    [lost, answer(409, { code: 'REFERRAL_ILLEGAL_TRANSITION', details: { from: 'converted' } }), 'problem'],
  ])('%#: classifies %j as %s', (r, a, kind) => {
    expect(classify(r, a).kind).toBe(kind);
  });

  it('waits Retry-After when given, otherwise backs off exponentially up to a cap', () => {
    expect(retryDelayMs(1, 3000, 250, () => 0)).toBe(3000);
    expect(retryDelayMs(1, null, 250, () => 1)).toBe(250);
    expect(retryDelayMs(3, null, 250, () => 1)).toBe(1000);
    expect(retryDelayMs(30, null, 250, () => 1)).toBe(15_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
