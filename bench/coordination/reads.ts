/**
 * GET /v1/clients/{partyId} at a fixed request rate against random parties, with a
 * coordinator key. Every read also appends its ClientViewRead access event, as in production.
 *
 * The target is measured with an open-loop paced load (bench/lib/paced-load: one request due
 * every 1/rate s, latency from the moment it was due). For comparison with earlier reports the
 * same rate is also offered the way autocannon's `overallRate` offers it: each second's requests
 * sent back to back by every connection as the second starts (`bursts`).
 */
import autocannon from 'autocannon';
import type { Pool } from 'pg';
import { performance } from 'node:perf_hooks';
import { pacedLoad, percentiles, type Percentiles } from '../lib/paced-load';
import { CpuSample, CpuTargets, cpuPer, sampleCpu } from './probe';

export interface ReadResult {
  parties: number;
  targetRate: number;
  connections: number;
  seconds: number;
  achievedRate: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Paced: from the moment each request was due to its response. */
  latencyMs: Percentiles;
  /** Paced: from the moment each request was written. */
  serviceMs: Percentiles;
  maxInFlight: number;
  cpuMsPerRequest: CpuSample;
  /**
   * Alongside the paced reads, on its own connection to the same server: one-row INSERT commits
   * (synchronous_commit as configured) at `commitProbeRate`/s. Every read waits for its access
   * event's commit, so this is the floor under the reads' tail on this machine's disk.
   */
  commitProbe?: { rate: number; commits: number; latencyMs: Percentiles };
  /** The same rate offered as autocannon bursts (see above); autocannon's own percentiles. */
  bursts?: { ok: number; non2xx: number; errors: number; latencyMs: Percentiles };
}

export async function partyIds(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ party_id: string }>('SELECT party_id FROM coordination.client_view');
  return rows.map((r) => r.party_id);
}

/** Paced one-row commits (see ReadResult.commitProbe) until `stop` resolves. */
export async function commitProbe(pool: Pool, rate: number, stop: Promise<unknown>): Promise<{ rate: number; commits: number; latencyMs: Percentiles }> {
  const client = await pool.connect();
  const latencies: number[] = [];
  let stopped = false;
  void stop.then(() => (stopped = true));
  try {
    await client.query('CREATE TABLE IF NOT EXISTS public.bench_commit_probe (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
    const started = performance.now();
    for (let i = 0; !stopped; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const t0 = performance.now();
      await client.query('INSERT INTO public.bench_commit_probe DEFAULT VALUES');
      latencies.push(performance.now() - t0);
    }
    await client.query('DROP TABLE public.bench_commit_probe');
  } finally {
    client.release();
  }
  return { rate, commits: latencies.length, latencyMs: percentiles(latencies) };
}

export async function readLoad(url: string, apiKey: string, ids: string[], opts: { rate: number; seconds: number; connections: number; cpu: CpuTargets; probePool?: Pool; commitProbeRate?: number }): Promise<ReadResult> {
  const headers = { 'x-api-key': apiKey };
  const pick = () => ids[Math.floor(Math.random() * ids.length)];
  const next = () => ({ method: 'GET' as const, path: `/v1/clients/${pick()}`, headers });
  // Warm-up: JIT, connection pools and the first pages of the view table.
  await pacedLoad({ url, rate: opts.rate, seconds: 5, connections: opts.connections, next });
  const cpu0 = sampleCpu(opts.cpu);
  const reads = pacedLoad({ url, rate: opts.rate, seconds: opts.seconds, connections: opts.connections, next });
  const probe = opts.probePool && opts.commitProbeRate ? commitProbe(opts.probePool, opts.commitProbeRate, reads) : undefined;
  const r = await reads;
  const cpuMsPerRequest = cpuPer(cpu0, sampleCpu(opts.cpu), r.ok + r.non2xx);
  const commitProbeResult = await probe;
  const b = await autocannon({
    url, connections: opts.connections, duration: Math.min(opts.seconds, 15), overallRate: opts.rate,
    requests: [{ method: 'GET', setupRequest: (req: autocannon.Request) => ({ ...req, path: `/v1/clients/${pick()}`, headers }) }],
  });
  return {
    parties: ids.length, targetRate: opts.rate, connections: opts.connections, seconds: opts.seconds,
    achievedRate: r.achievedRate, ok: r.ok, non2xx: r.non2xx, errors: r.errors,
    latencyMs: r.latencyMs, serviceMs: r.serviceMs, maxInFlight: r.maxInFlight, cpuMsPerRequest, commitProbe: commitProbeResult,
    bursts: { ok: b['2xx'], non2xx: b.non2xx, errors: b.errors + b.timeouts, latencyMs: { p50: b.latency.p50, p90: b.latency.p90, p99: b.latency.p99, max: b.latency.max } },
  };
}
