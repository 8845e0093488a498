/**
 * GET /v1/clients/{partyId} at a fixed request rate against random parties, with a
 * coordinator key. Every read also appends its ClientViewRead access event, as in production.
 */
import autocannon from 'autocannon';
import type { Pool } from 'pg';
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
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  cpuMsPerRequest: CpuSample;
}

function requestsFor(ids: string[], apiKey: string): autocannon.Request[] {
  return [{
    method: 'GET',
    setupRequest: (req: autocannon.Request) => ({ ...req, path: `/v1/clients/${ids[Math.floor(Math.random() * ids.length)]}`, headers: { 'x-api-key': apiKey } }),
  }];
}

export async function partyIds(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ party_id: string }>('SELECT party_id FROM coordination.client_view');
  return rows.map((r) => r.party_id);
}

export async function readLoad(url: string, apiKey: string, ids: string[], opts: { rate: number; seconds: number; connections: number; cpu: CpuTargets }): Promise<ReadResult> {
  const requests = requestsFor(ids, apiKey);
  // Warm-up: JIT, connection pools and the first pages of the view table.
  await autocannon({ url, connections: opts.connections, duration: 5, overallRate: opts.rate, requests });
  const cpu0 = sampleCpu(opts.cpu);
  const r = await autocannon({ url, connections: opts.connections, duration: opts.seconds, overallRate: opts.rate, requests });
  return {
    parties: ids.length, targetRate: opts.rate, connections: opts.connections, seconds: opts.seconds,
    achievedRate: Math.round(r['2xx'] / r.duration), ok: r['2xx'], non2xx: r.non2xx, errors: r.errors + r.timeouts,
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    cpuMsPerRequest: cpuPer(cpu0, sampleCpu(opts.cpu), r['2xx'] + r.non2xx),
  };
}
