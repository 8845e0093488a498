/*
 * Steady load for the reliability tests: a simulator plan (scripts/simulate) sent through
 * the subsidiaries' REST APIs, paced, with every answer recorded so a test can check
 * afterwards that each accepted request became exactly its expected effects.
 */
import { generatePlan, runPlan, type Plan, type PlannedRequest, type RunResult } from '../../scripts/simulate/index';

export interface AcceptedRequest {
  kind: string;
  service: string;
  path: string;
  body: Record<string, unknown>;
  /** The canonical event id the subsidiary answered with (UUIDv5 of its Idempotency-Key). */
  eventId: string;
}

export interface TrafficResult {
  run: RunResult;
  /** By Idempotency-Key: what the services accepted (202, or an idempotent replay of one). */
  accepted: Map<string, AcceptedRequest>;
  /** Answers by status across all attempts (5xx and network errors were retried by runPlan). */
  attempts: Record<string, number>;
}

export interface TrafficOptions {
  concurrency?: number;
  /** Requests per second started, at most; unpaced when absent. */
  ratePerSec?: number;
  maxAttempts?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * A plan of subsidiary traffic only: the simulator's few coordination-side admin commands
 * (MarkReferralLost) never travel through Kafka, so a replay of the topics could not
 * reproduce them; the reliability checks compare against such replays.
 */
export function subsidiaryPlan(options: { clients: number; agents: number; branches?: number; months?: number; seed?: number }): Plan {
  const plan = generatePlan({ branches: 3, months: 12, start: '2025-07-01', seed: 7, ...options });
  return { ...plan, requests: plan.requests.filter((r) => r.service !== 'coordination') };
}

export async function sendPlan(plan: Pick<Plan, 'requests'>, urls: Record<string, string>, keys: Record<string, string>, options: TrafficOptions = {}): Promise<TrafficResult> {
  const accepted = new Map<string, AcceptedRequest>();
  const attempts: Record<string, number> = {};
  const byKey = new Map<string, PlannedRequest>(plan.requests.map((r) => [r.idempotencyKey, r]));
  const pace = pacer(options.ratePerSec);
  const recordingFetch: typeof fetch = async (input, init) => {
    await pace();
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      attempts.network = (attempts.network ?? 0) + 1;
      throw error;
    }
    attempts[response.status] = (attempts[response.status] ?? 0) + 1;
    const text = await response.text();
    const key = new Headers(init?.headers).get('idempotency-key');
    const request = key ? byKey.get(key) : undefined;
    if (response.status === 202 && request) {
      const eventId = (JSON.parse(text) as { eventId: string }).eventId;
      accepted.set(request.idempotencyKey, { kind: request.kind, service: request.service, path: request.path, body: request.body, eventId });
    }
    return new Response(text, { status: response.status, headers: response.headers });
  };
  let done = 0;
  const run = await runPlan(plan, urls as never, keys, {
    concurrency: options.concurrency ?? 8,
    maxAttempts: options.maxAttempts ?? 40,
    fetch: recordingFetch,
    onProgress: (p) => {
      done = p.done;
      options.onProgress?.(done, p.total);
    },
  });
  return { run, accepted, attempts };
}

/** At most `rate` calls per second, spread evenly (no bursts after a stall longer than 1 s). */
function pacer(rate: number | undefined): () => Promise<void> {
  if (!rate) return async () => undefined;
  const interval = 1000 / rate;
  let next = Date.now();
  return async () => {
    const now = Date.now();
    next = Math.max(next + interval, now - 1000);
    const wait = next - now;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  };
}
