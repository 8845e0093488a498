/**
 * runPlan: sends a plan over HTTP, wave by wave, at most `concurrency` requests in
 * flight (Node's fetch keeps connections alive). 429, 5xx and network errors are
 * retried with exponential backoff that honours Retry-After. Any other 4xx means the
 * simulator sent something wrong: it is counted and the first bodies are kept.
 */
import { type Attempt, classify, retryDelayMs } from './retry';
import type { CredentialName, PlannedRequest, Service } from './types';

export type Endpoints = Record<Service, string>;
export type Credentials = Partial<Record<CredentialName, string>>;

export interface RunProgress {
  done: number;
  total: number;
  wave: number;
  waves: number;
  retries: number;
  problems: number;
  failures: number;
}

export interface Problem {
  kind: string;
  method: string;
  path: string;
  status: number | null;
  body: unknown;
}

export interface RunOptions {
  concurrency?: number;
  maxAttempts?: number;
  /** Attempts for a request that waits for the coordination service to catch up (404 not yet known). */
  awaitAttempts?: number;
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source for backoff (timing only; the plan's content never depends on it). */
  random?: () => number;
  onProgress?: (progress: RunProgress) => void;
  /** Called before a wave starts, e.g. to wait for the coordination service before its requests. */
  beforeWave?: (wave: number, requests: PlannedRequest[]) => Promise<void>;
  problemSamples?: number;
}

export interface RunResult {
  total: number;
  succeeded: number;
  /** Answered from the idempotency store (or already done): the plan had been sent before. */
  replayed: number;
  retries: number;
  /** 4xx answers other than an idempotent replay: simulator bugs. */
  problems: number;
  /** Requests that still failed after every retry (5xx, 429, network). */
  failures: number;
  samples: Problem[];
  byStatus: Record<string, number>;
  elapsedMs: number;
}

interface PlanLike {
  requests: PlannedRequest[];
}

export async function runPlan(plan: PlanLike, endpoints: Endpoints, credentials: Credentials, options: RunOptions = {}): Promise<RunResult> {
  const started = Date.now();
  const state = newState(plan.requests.length);
  const waves = groupByWave(plan.requests);
  for (const [index, batch] of waves.entries()) {
    await options.beforeWave?.(batch[0].wave, batch);
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const request = batch[next++];
        await send(request, endpoints, credentials, options, state);
        state.progress.done += 1;
        state.progress.wave = index + 1;
        options.onProgress?.({ ...state.progress, waves: waves.length });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 16, batch.length)) }, worker));
  }
  const { progress, result } = state;
  return { ...result, total: progress.total, retries: progress.retries, problems: progress.problems, failures: progress.failures, elapsedMs: Date.now() - started };
}

function groupByWave(requests: PlannedRequest[]): PlannedRequest[][] {
  const waves: PlannedRequest[][] = [];
  for (const r of requests) {
    const last = waves[waves.length - 1];
    if (last && last[0].wave === r.wave) last.push(r);
    else waves.push([r]);
  }
  return waves;
}

interface RunState {
  progress: RunProgress;
  result: { succeeded: number; replayed: number; samples: Problem[]; byStatus: Record<string, number> };
}

function newState(total: number): RunState {
  return {
    progress: { done: 0, total, wave: 0, waves: 0, retries: 0, problems: 0, failures: 0 },
    result: { succeeded: 0, replayed: 0, samples: [], byStatus: {} },
  };
}

async function send(r: PlannedRequest, endpoints: Endpoints, credentials: Credentials, options: RunOptions, state: RunState): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptOnce(r, endpoints, credentials, options);
    const verdict = classify(r, outcome);
    if (outcome.status !== null) state.result.byStatus[outcome.status] = (state.result.byStatus[outcome.status] ?? 0) + 1;
    if (verdict.kind === 'ok' || verdict.kind === 'replayed') {
      state.result.succeeded += 1;
      if (verdict.kind === 'replayed') state.result.replayed += 1;
      return;
    }
    const limit = verdict.kind === 'wait' ? (options.awaitAttempts ?? 40) : (options.maxAttempts ?? 8);
    if (verdict.kind === 'problem' || attempt >= limit) {
      state.progress[verdict.kind === 'problem' ? 'problems' : 'failures'] += 1;
      if (state.result.samples.length < (options.problemSamples ?? 5)) {
        state.result.samples.push({ kind: r.kind, method: r.method, path: r.path, status: outcome.status, body: outcome.body ?? outcome.error });
      }
      return;
    }
    state.progress.retries += 1;
    await sleep(retryDelayMs(attempt, outcome.retryAfterMs, verdict.kind === 'wait' ? 1000 : 250, random));
  }
}

async function attemptOnce(r: PlannedRequest, endpoints: Endpoints, credentials: Credentials, options: RunOptions): Promise<Attempt> {
  const key = credentials[r.as];
  if (!key) return { status: null, body: null, error: `no API key for ${r.as} in the credentials`, retryAfterMs: null, replayed: false, fatal: true };
  const doFetch = options.fetch ?? fetch;
  try {
    const response = await doFetch(`${endpoints[r.service].replace(/\/$/, '')}${r.path}`, {
      method: r.method,
      headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': r.idempotencyKey, 'x-correlation-id': r.idempotencyKey },
      body: JSON.stringify(r.body),
      signal: AbortSignal.timeout(options.requestTimeoutMs ?? 30_000),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: parseBody(text),
      error: null,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      replayed: response.headers.get('idempotent-replayed') === 'true',
      fatal: false,
    };
  } catch (error) {
    return { status: null, body: null, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error), retryAfterMs: null, replayed: false, fatal: false };
  }
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
