/**
 * The measured phases: a backlog drained as fast as the pipeline goes (sustained events/s)
 * and a paced stream whose every event is watched until the 360° view shows it (freshness).
 */
import type { Producer } from 'kafkajs';
import type { Pool } from 'pg';
import { log } from './harness';
import { CpuSample, CpuTargets, cpuPer, percentile, progress, Progress, sampleCpu, statsPer, tableStats, waitFor } from './probe';
import { StatementCost, statementCosts, statementSnapshot } from './statements';
import { BenchMessage, expectedRows } from './workload';

export interface Ctx {
  pool: Pool;
  producer: Producer;
  cpu: CpuTargets;
}

/** Sends in topic-grouped batches; resolves when the broker has acknowledged all of them. */
export async function produce(producer: Producer, messages: BenchMessage[], chunk = 2_000): Promise<void> {
  for (let i = 0; i < messages.length; i += chunk) {
    const byTopic = new Map<string, Array<{ key: string; value: string }>>();
    for (const m of messages.slice(i, i + chunk)) {
      const list = byTopic.get(m.topic) ?? [];
      list.push({ key: m.key, value: m.value });
      byTopic.set(m.topic, list);
    }
    await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) });
  }
}

export interface ThroughputResult {
  events: number;
  produceSeconds: number;
  /** First send until every event is applied by the inbound handlers (event store + inline tables). */
  inboundSeconds: number;
  /** First send until the 360° projection shows every record and policy. */
  viewSeconds: number;
  eventsPerSecond: { inbound: number; view: number; steady: number };
  cpuMsPerEvent: CpuSample;
  /** PostgreSQL work per event from pg_stat_user_tables (approximate: counters flush about once a second). */
  dbPerEvent: ReturnType<typeof statsPer>;
  /** With BENCH_STATEMENTS=1 and pg_stat_statements on the server: the statements that took most time (statements.ts). */
  statements?: StatementCost[];
  parked: number;
  deadLetters: number;
}

/** Produces the whole backlog at once and times the pipeline draining it. */
export async function drain(ctx: Ctx, messages: BenchMessage[], timeoutMs: number): Promise<ThroughputResult> {
  const before = await progress(ctx.pool);
  const rows = expectedRows(messages);
  const target = { processed: before.processed + messages.length, links: before.links + rows.links, policies: before.policies + rows.policies };
  const cpu0 = sampleCpu(ctx.cpu);
  const stats0 = await tableStats(ctx.pool);
  const statements0 = await statementSnapshot(ctx.pool);
  const t0 = Date.now();
  const samples: Array<{ at: number; processed: number }> = [];
  let inboundAt = 0;
  const watching = waitFor(ctx.pool, (p) => p.processed >= target.processed && p.links >= target.links && p.policies >= target.policies, timeoutMs, 500, (p, at) => {
    samples.push({ at, processed: p.processed - before.processed });
    if (!inboundAt && p.processed >= target.processed) inboundAt = at;
  });
  await produce(ctx.producer, messages);
  const producedAt = Date.now();
  log(`produced ${messages.length} events in ${((producedAt - t0) / 1000).toFixed(1)} s; waiting for the pipeline`);
  const end: Progress = await watching;
  const doneAt = Date.now();
  const cpu1 = sampleCpu(ctx.cpu);
  // Let the backends flush their statistics before the second snapshot.
  await new Promise((r) => setTimeout(r, 1_500));
  const dbPerEvent = statsPer(stats0, await tableStats(ctx.pool), messages.length);
  const statements = statementCosts(statements0, await statementSnapshot(ctx.pool), messages.length);
  const seconds = (t: number) => round((t - t0) / 1000, 2);
  return {
    events: messages.length, produceSeconds: seconds(producedAt), inboundSeconds: seconds(inboundAt), viewSeconds: seconds(doneAt),
    eventsPerSecond: {
      inbound: Math.round(messages.length / ((inboundAt - t0) / 1000)), view: Math.round(messages.length / ((doneAt - t0) / 1000)),
      steady: steadyRate(samples, messages.length),
    },
    cpuMsPerEvent: cpuPer(cpu0, cpu1, messages.length),
    dbPerEvent,
    ...(statements ? { statements } : {}),
    parked: end.parked, deadLetters: end.deadLetters,
  };
}

/** Applied events/s between 10% and 90% of the backlog: the rate without start-up and tail. */
function steadyRate(samples: Array<{ at: number; processed: number }>, total: number): number {
  const first = samples.find((s) => s.processed >= total * 0.1);
  const last = samples.find((s) => s.processed >= total * 0.9);
  if (!first || !last || last.at === first.at) return NaN;
  return Math.round((last.processed - first.processed) / ((last.at - first.at) / 1000));
}

export interface FreshnessResult {
  targetRate: number;
  producedRate: number;
  events: number;
  seen: number;
  /** Produced -> visible in the 360° view (client_view / client_view_policies). */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** Produced -> applied by the inbound handlers (processed_events): the part before the projection. */
  inboundMs: { p50: number; p99: number };
  byKind: Record<string, { p50: number; p99: number; n: number }>;
  /** Mean time between polls: the resolution of the figures above. */
  pollMs: number;
}

interface Watch {
  view: Map<string, number>;
  inbound: Map<string, number>;
  viewMs: Array<{ kind: string; ms: number }>;
  inboundMs: number[];
}

/**
 * Sends `messages` at `rate`/s and polls for each one, in processed_events and in the
 * projection's tables; an event's freshness is from just before its send to the start of the
 * first poll whose snapshot shows it (an upper bound, within one poll interval).
 */
export async function freshness(ctx: Ctx, messages: BenchMessage[], rate: number, timeoutMs: number): Promise<FreshnessResult> {
  const w: Watch = { view: new Map(), inbound: new Map(), viewMs: [], inboundMs: [] };
  let producing = true;
  let polls = 0;
  const started = Date.now();
  const poller = (async () => {
    while (producing || w.view.size > 0 || w.inbound.size > 0) {
      if (Date.now() - started > timeoutMs) throw new Error(`freshness: ${w.view.size} events still not visible after ${timeoutMs / 1000} s`);
      const at = Date.now();
      polls += 1;
      await pollOnce(ctx.pool, w, at);
      // Every ~25 ms, but never spending more than a third of the time polling (a big backlog makes polls slow).
      const took = Date.now() - at;
      await new Promise((r) => setTimeout(r, Math.max(25 - took, 2 * took)));
    }
  })();
  const t0 = Date.now();
  try {
    await paced(ctx.producer, messages, rate, (slice, now) => {
      for (const m of slice) {
        w.view.set(`${m.kind}|${m.subsidiary}|${m.ref}`, now);
        w.inbound.set(m.eventId, now);
      }
    });
  } finally {
    producing = false;
  }
  const producedRate = Math.round(messages.length / ((Date.now() - t0) / 1000));
  await poller;
  return summarise(w, rate, producedRate, messages.length, (Date.now() - started) / Math.max(1, polls));
}

/** Sends what is due every few milliseconds, so a slow acknowledgement is caught up at the next send. */
async function paced(producer: Producer, messages: BenchMessage[], rate: number, onSend: (slice: BenchMessage[], now: number) => void): Promise<void> {
  const t0 = Date.now();
  let sent = 0;
  while (sent < messages.length) {
    const due = Math.min(messages.length, Math.floor(((Date.now() - t0) / 1000) * rate));
    if (due <= sent) {
      await new Promise((r) => setTimeout(r, 2));
      continue;
    }
    const slice = messages.slice(sent, due);
    onSend(slice, Date.now());
    await produce(producer, slice);
    sent = due;
  }
}

async function pollOnce(pool: Pool, w: Watch, at: number): Promise<void> {
  for (const key of await visible(pool, [...w.view.keys()])) {
    w.viewMs.push({ kind: key.split('|')[0], ms: at - w.view.get(key)! });
    w.view.delete(key);
  }
  if (w.inbound.size === 0) return;
  const { rows } = await pool.query<{ id: string }>('SELECT event_id::text AS id FROM coordination.processed_events WHERE event_id = ANY($1::uuid[])', [[...w.inbound.keys()]]);
  for (const { id } of rows) {
    w.inboundMs.push(at - w.inbound.get(id)!);
    w.inbound.delete(id);
  }
}

async function visible(pool: Pool, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const split = (kind: string) => keys.filter((k) => k.startsWith(`${kind}|`)).map((k) => k.split('|'));
  const clients = split('client');
  const policies = split('policy');
  const { rows } = await pool.query(
    `SELECT 'client|' || l.subsidiary || '|' || l.local_id AS key
       FROM unnest($1::text[], $2::text[]) AS w(s, id)
       JOIN coordination.client_lookup l ON l.subsidiary = w.s AND l.local_id = w.id
       JOIN coordination.client_view v ON v.party_id = l.party_id
     UNION ALL
     SELECT 'policy|' || p.subsidiary || '|' || p.policy_no
       FROM unnest($3::text[], $4::text[]) AS w(s, id)
       JOIN coordination.client_view_policies p ON p.subsidiary = w.s AND p.policy_no = w.id`,
    [clients.map((c) => c[1]), clients.map((c) => c[2]), policies.map((c) => c[1]), policies.map((c) => c[2])],
  );
  return rows.map((r: { key: string }) => r.key);
}

function summarise(w: Watch, rate: number, producedRate: number, events: number, pollMs: number): FreshnessResult {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const all = sorted(w.viewMs.map((l) => l.ms));
  const inbound = sorted(w.inboundMs);
  const byKind: FreshnessResult['byKind'] = {};
  for (const kind of new Set(w.viewMs.map((l) => l.kind))) {
    const ms = sorted(w.viewMs.filter((l) => l.kind === kind).map((l) => l.ms));
    byKind[kind] = { p50: percentile(ms, 50), p99: percentile(ms, 99), n: ms.length };
  }
  return {
    targetRate: rate, producedRate, events, seen: all.length,
    latencyMs: { p50: percentile(all, 50), p90: percentile(all, 90), p99: percentile(all, 99), max: all[all.length - 1] ?? NaN },
    inboundMs: { p50: percentile(inbound, 50), p99: percentile(inbound, 99) },
    byKind, pollMs: Math.round(pollMs),
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
