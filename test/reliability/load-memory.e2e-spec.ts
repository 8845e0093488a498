import { testBrokers } from '../infra/kafka';
import { settledDigest } from '../support/coordination-state';
import { CLEAN_VERDICT, checkEffects, effectsVerdict } from '../support/effects';
import type { TrafficResult } from '../support/plan-traffic';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';
import { acceptedClients, crashesOf, describeFaults, FAULT_ENV, log, startLoad } from './fault-harness';

/**
 * Sustained load: a simulated year of a 3,000-client group (about 22,000 requests, all
 * seventeen operations; at the default plan's density that is about 120 business hours of
 * the full 50,000-client group) sent through REST at a fixed 120 req/s, while the coordination
 * process's memory is sampled every 5 s (RSS from /proc, V8 heap from its /metrics).
 * Bound, after a 60 s warm-up: the last minute's heap and RSS stay within 25% + 32 MiB of
 * the first post-warm-up minute's. Then every request is checked as in the fault tests.
 */
jest.setTimeout(1_200_000);

const RATE = Number(process.env.REL_LOAD_RATE ?? 120);
const CLIENTS = Number(process.env.REL_LOAD_CLIENTS ?? 3000);
const WARM_UP_MS = 60_000;
const MiB = 1024 * 1024;

let system: ProcessSystem | undefined;
afterAll(async () => system?.stop());

interface Sample {
  t: number;
  rss: number;
  heap: number;
}

describeFaults('an hour of traffic and more, compressed', () => {
  it('keeps the coordination service memory flat after warm-up and loses nothing', async () => {
    system = await startProcessSystem({ brokers: testBrokers().join(','), env: FAULT_ENV });
    const sys = system;
    const samples: Sample[] = [];
    const started = Date.now();
    const sampler = setInterval(() => void sample(sys, started).then((s) => s && samples.push(s)), 5_000);
    let traffic: TrafficResult;
    try {
      traffic = await startLoad(sys, { clients: CLIENTS, agents: 60, months: 12, seed: 71, traffic: { ratePerSec: RATE, concurrency: 16 } }).done;
      await settledDigest(sys.database.url, [...traffic.accepted.values()].map((a) => a.eventId), { timeoutMs: 600_000 });
    } finally {
      clearInterval(sampler);
    }
    const drainedMs = Date.now() - started - traffic.run.elapsedMs;
    const effects = await checkEffects(sys.database.url, traffic.accepted.values());

    const after = samples.filter((s) => s.t >= WARM_UP_MS);
    const first = after.filter((s) => s.t < WARM_UP_MS + 60_000);
    const last = after.filter((s) => s.t >= after[after.length - 1].t - 60_000);
    const peak = (list: Sample[], k: 'rss' | 'heap') => Math.max(...list.map((s) => s[k]));
    const report = {
      requests: traffic.run.total, rate: RATE, sendMs: traffic.run.elapsedMs, achievedPerSec: +(traffic.run.total / (traffic.run.elapsedMs / 1000)).toFixed(1),
      drainedMsAfterSend: drainedMs, events: effects.accepted, samples: samples.length,
      rssMiB: { firstMinute: +(peak(first, 'rss') / MiB).toFixed(1), lastMinute: +(peak(last, 'rss') / MiB).toFixed(1) },
      heapMiB: { firstMinute: +(peak(first, 'heap') / MiB).toFixed(1), lastMinute: +(peak(last, 'heap') / MiB).toFixed(1) },
      series: samples.map((s) => [Math.round(s.t / 1000), Math.round(s.rss / MiB), Math.round(s.heap / MiB)]),
    };
    log(JSON.stringify({ fault: 'sustained load', crashes: crashesOf(sys), ...report }));

    expect(after.length).toBeGreaterThanOrEqual(20); // at least ~100 s observed after warm-up
    expect(peak(last, 'heap')).toBeLessThanOrEqual(peak(first, 'heap') * 1.25 + 32 * MiB);
    expect(peak(last, 'rss')).toBeLessThanOrEqual(peak(first, 'rss') * 1.25 + 32 * MiB);
    expect(effectsVerdict(effects, acceptedClients(traffic))).toEqual(CLEAN_VERDICT);
    expect(crashesOf(sys)).toEqual([]);
  });
});

async function sample(sys: ProcessSystem, started: number): Promise<Sample | null> {
  const coordination = sys.services.coordination;
  const res = await fetch(`${coordination.url}/metrics`, { headers: { 'X-Api-Key': sys.keys.admin } }).catch(() => null);
  if (!res?.ok) return null;
  const heap = /^nodejs_heap_size_used_bytes (\d+(?:\.\d+)?)/m.exec(await res.text());
  return heap ? { t: Date.now() - started, rss: coordination.rssBytes(), heap: Number(heap[1]) } : null;
}
