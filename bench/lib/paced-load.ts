/**
 * An open-loop load at a fixed request rate: request i is due at start + i / rate, sent when
 * due whatever the earlier ones are doing, over a keep-alive pool of `connections` sockets.
 * Latency is measured from the moment a request was due, so a stall shows in every request
 * it delays (no coordinated omission), and service time from the moment it was written.
 *
 * Why not autocannon's `overallRate`: autocannon lets each connection send its share of a
 * second back to back as soon as the second starts, then idles (bursts of `rate` requests at
 * `connections` concurrency once a second), and corrects for coordinated omission with an
 * expected interval of ceil(1 / per-connection rate) = 1 ms, which adds a synthetic sample
 * for every millisecond of every response. Both inflate the tail of a paced measurement.
 */
import { Agent, request as httpRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface PacedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface PacedResult {
  rate: number;
  seconds: number;
  connections: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** 2xx responses per second of the run. */
  achievedRate: number;
  /** From the moment each request was due to its response's end (2xx only). */
  latencyMs: Percentiles;
  /** From the moment each request was written to its response's end (2xx only). */
  serviceMs: Percentiles;
  /** Most requests due but not yet answered at any moment. */
  maxInFlight: number;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export async function pacedLoad(opts: {
  url: string;
  rate: number;
  seconds: number;
  connections: number;
  next: () => PacedRequest;
  /** A request not answered within this is an error (default 10 s). */
  timeoutMs?: number;
}): Promise<PacedResult> {
  const base = new URL(opts.url);
  const agent = new Agent({ keepAlive: true, maxSockets: opts.connections, maxFreeSockets: opts.connections });
  const total = Math.round(opts.rate * opts.seconds);
  const interval = 1000 / opts.rate;
  const latencies: number[] = [];
  const service: number[] = [];
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let done = 0;
  // BENCH_SLOW_MS=<ms>: write each slower request to stderr with its wall-clock due time, to line stalls up with GC traces and logs.
  const slowMs = Number(process.env.BENCH_SLOW_MS ?? 0);
  const wallOffset = Date.now() - performance.now();

  const fire = (due: number, req: PacedRequest, finished: () => void) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let written = due;
    const settle = (status?: number) => {
      inFlight--;
      const end = performance.now();
      if (status === undefined) errors++;
      else if (status >= 200 && status < 300) {
        ok++;
        latencies.push(end - due);
        service.push(end - written);
        if (slowMs > 0 && end - due >= slowMs) {
          process.stderr.write(`[slow] due ${new Date(wallOffset + due).toISOString()} latency ${(end - due).toFixed(1)} service ${(end - written).toFixed(1)} inFlight ${inFlight} ${req.path}\n`);
        }
      } else non2xx++;
      finished();
    };
    const headers = { ...req.headers, ...(req.body === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(req.body)) }) };
    const r = httpRequest({ host: base.hostname, port: base.port, path: req.path, method: req.method, headers, agent, timeout: opts.timeoutMs ?? 10_000 }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => settle(res.statusCode));
      res.on('error', () => settle());
    });
    r.on('socket', () => (written = performance.now()));
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', () => settle());
    r.end(req.body);
  };

  const started = performance.now();
  await new Promise<void>((resolve) => {
    const finished = () => {
      if (++done === total) resolve();
    };
    const tick = () => {
      const now = performance.now();
      while (sent < total && started + sent * interval <= now) {
        fire(started + sent * interval, opts.next(), finished);
        sent++;
      }
      if (sent < total) setTimeout(tick, Math.max(0, Math.min(1, started + sent * interval - performance.now())));
    };
    if (total === 0) resolve();
    else tick();
  });
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return {
    rate: opts.rate, seconds: opts.seconds, connections: opts.connections, sent, ok, non2xx, errors,
    achievedRate: Math.round(ok / seconds), latencyMs: percentiles(latencies), serviceMs: percentiles(service), maxInFlight,
  };
}

export function percentiles(values: number[]): Percentiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]) : 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.length ? round(sorted[sorted.length - 1]) : 0 };
}

const round = (ms: number) => Math.round(ms * 10) / 10;
