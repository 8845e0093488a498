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
import { pacedLoad, type Percentiles } from '../lib/paced-load';
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
  /** The same rate offered as autocannon bursts (see above); autocannon's own percentiles. */
  bursts?: { ok: number; non2xx: number; errors: number; latencyMs: Percentiles };
}

export async function partyIds(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ party_id: string }>('SELECT party_id FROM coordination.client_view');
  return rows.map((r) => r.party_id);
}

export async function readLoad(url: string, apiKey: string, ids: string[], opts: { rate: number; seconds: number; connections: number; cpu: CpuTargets }): Promise<ReadResult> {
  const headers = { 'x-api-key': apiKey };
  const pick = () => ids[Math.floor(Math.random() * ids.length)];
  const next = () => ({ method: 'GET' as const, path: `/v1/clients/${pick()}`, headers });
  // Warm-up: JIT, connection pools and the first pages of the view table.
  await pacedLoad({ url, rate: opts.rate, seconds: 5, connections: opts.connections, next });
  const cpu0 = sampleCpu(opts.cpu);
  const r = await pacedLoad({ url, rate: opts.rate, seconds: opts.seconds, connections: opts.connections, next });
  const cpuMsPerRequest = cpuPer(cpu0, sampleCpu(opts.cpu), r.ok + r.non2xx);
  const b = await autocannon({
    url, connections: opts.connections, duration: Math.min(opts.seconds, 15), overallRate: opts.rate,
    requests: [{ method: 'GET', setupRequest: (req: autocannon.Request) => ({ ...req, path: `/v1/clients/${pick()}`, headers }) }],
  });
  return {
    parties: ids.length, targetRate: opts.rate, connections: opts.connections, seconds: opts.seconds,
    achievedRate: r.achievedRate, ok: r.ok, non2xx: r.non2xx, errors: r.errors,
    latencyMs: r.latencyMs, serviceMs: r.serviceMs, maxInFlight: r.maxInFlight, cpuMsPerRequest,
    bursts: { ok: b['2xx'], non2xx: b.non2xx, errors: b.errors + b.timeouts, latencyMs: { p50: b.latency.p50, p90: b.latency.p90, p99: b.latency.p99, max: b.latency.max } },
  };
}
