import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { NewEvent, PostgresEventStore, RecordedEvent } from '@lib/event-store';
import { START_POSITION } from '@lib/event-store';
import { backendCpuSpent, type BackendCpu } from './cpu';

export interface Measurement {
  name: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  /** CPU of this Node process during the workload (all of it: the benchmark's own event generation too). */
  nodeCpuMs: number;
  /** CPU of the PostgreSQL backends of the benchmark database, when readable. */
  pgCpuMs?: number;
  extra?: Record<string, number>;
}

let probeBackends: () => Promise<BackendCpu> = async () => undefined;

/** Lets `timed` report PostgreSQL CPU as well (see cpu.ts). */
export function measureBackendsWith(probe: () => Promise<BackendCpu>): void {
  probeBackends = probe;
}

/** A PolicyIssued-sized event (~450 bytes of JSON) with the metadata the coordination service writes. */
export function sampleEvent(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'PolicyIssued',
    schemaVersion: 1,
    data: {
      policyNo: `LP-2026-${String(i).padStart(6, '0')}`, productCode: 'WL20', holderLocalId: `LIFE-${String(i % 50_000).padStart(7, '0')}`,
      insuredLocalIds: [`LIFE-${String(i % 50_000).padStart(7, '0')}`], premium: { amount: '12000.00', currency: 'CNY', mode: 'ANNUAL' },
      effectiveDate: '2026-03-01', expiryDate: '2046-02-28', sellingAgentId: 'A-1001', servicingAgentId: 'A-1001', channel: 'AGENCY', referralId: null,
    },
    metadata: {
      correlationId: randomUUID(), causationId: randomUUID(), actor: 'subsidiary:life',
      source: { kind: 'kafka', topic: 'subsidiary.life.events', partition: i % 12, offset: String(i) }, occurredAt: '2026-03-01T08:00:00.000Z',
    },
  };
}

async function timed(name: string, events: number, work: () => Promise<void>): Promise<Measurement> {
  const backends = await probeBackends();
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  const pgCpuMs = backendCpuSpent(backends, await probeBackends());
  return { name, events, seconds, eventsPerSecond: events / seconds, nodeCpuMs: (used.user + used.system) / 1000, ...(pgCpuMs === undefined ? {} : { pgCpuMs }) };
}

/** `writers` concurrent loops, each doing `perWriter` calls of `call(writer, i)`. */
function parallel(writers: number, perWriter: number, call: (w: number, i: number) => Promise<unknown>): Promise<void> {
  return Promise.all(Array.from({ length: writers }, async (_, w) => {
    for (let i = 0; i < perWriter; i++) await call(w, i);
  })).then(() => undefined);
}

export function appendSingles(store: PostgresEventStore, writers: number, perWriter: number): Promise<Measurement> {
  return timed(`append, 1 event per call, ${writers} writer(s)`, writers * perWriter, () =>
    parallel(writers, perWriter, (w, i) => store.append(`single-${writers}-${w}-${i % 100}`, [sampleEvent(i)], 'any')),
  );
}

export function appendBatches(store: PostgresEventStore, writers: number, batches: number, size = 100): Promise<Measurement> {
  const run = randomUUID().slice(0, 8);
  return timed(`append, batches of ${size}, ${writers} writer(s)`, writers * batches * size, () =>
    parallel(writers, batches, (w, b) => store.append(`batch-${run}-${w}-${b}`, Array.from({ length: size }, (_, i) => sampleEvent(b * size + i)), 'no_stream')),
  );
}

/** The ceiling: the same rows in one plain INSERT ... SELECT unnest(...) per batch, no checks at all. */
export function rawInsertBatches(db: DataSource, writers: number, batches: number, size = 100): Promise<Measurement> {
  return timed(`raw INSERT ... unnest, batches of ${size}, ${writers} writer(s)`, writers * batches * size, () =>
    parallel(writers, batches, (w, b) => {
      const events = Array.from({ length: size }, (_, i) => sampleEvent(b * size + i));
      return db.query(
        `INSERT INTO event_store.events (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[])`,
        [
          events.map((e) => e.eventId), events.map(() => `raw-${writers}-${w}-${b}`), events.map((_, i) => i), events.map((e) => e.type),
          events.map((e) => e.schemaVersion), events.map((e) => JSON.stringify(e.data)), events.map((e) => JSON.stringify(e.metadata)),
        ],
      );
    }),
  );
}

export async function readAllThroughput(store: PostgresEventStore, pageSize = 1000): Promise<Measurement> {
  let count = 0;
  const m = await timed(`readAll, pages of ${pageSize}`, 0, async () => {
    for (let position = START_POSITION, done = false; !done; ) {
      const page = await store.readAll({ fromPosition: position, maxCount: pageSize });
      count += page.events.length;
      position = page.nextPosition;
      done = page.isEnd;
    }
  });
  return { ...m, events: count, eventsPerSecond: count / m.seconds };
}

/** Reading the whole log the way a projection rebuild does: a subscription, which reads the next page while the handler runs. */
export async function catchUpThroughput(store: PostgresEventStore, batchSize = 1000): Promise<Measurement> {
  let count = 0;
  const m = await timed(`subscription catch-up, batches of ${batchSize}`, 0, async () => {
    const sub = store.subscribeToAll({ batchSize, pollIntervalMs: 10, onEvents: async (events) => void (count += events.length) });
    await sub.caughtUp();
    await sub.stop();
  });
  return { ...m, events: count, eventsPerSecond: count / m.seconds };
}

export async function sealThroughput(store: PostgresEventStore): Promise<Measurement> {
  let count = 0;
  const m = await timed('seal (hash chain)', 0, async () => {
    count = await store.seal(5000);
  });
  const verify = await timed('verifyIntegrity', count, async () => {
    const report = await store.verifyIntegrity();
    if (!report.ok) throw new Error(`integrity check failed: ${JSON.stringify(report.problems.slice(0, 3))}`);
  });
  return { ...m, events: count, eventsPerSecond: count / m.seconds, extra: { verifyEventsPerSecond: Math.round(verify.eventsPerSecond) } };
}

/**
 * Lag from commit to delivery while `writers` append batches of `size` as fast as they can
 * for `seconds`: recordedAt (database clock, same machine) to the handler's clock.
 */
export async function subscriptionLag(store: PostgresEventStore, writers: number, size: number, seconds: number, pollIntervalMs: number): Promise<Measurement> {
  const { nextPosition } = await drainPosition(store);
  const lags: number[] = [];
  let written = 0;
  const sub = store.subscribeToAll({ fromPosition: nextPosition, pollIntervalMs, onEvents: async (events: RecordedEvent[]) => {
    const now = Date.now();
    for (const e of events) lags.push(now - e.recordedAt.getTime());
  } });
  const until = Date.now() + seconds * 1000;
  const m = await timed(`subscription under load (${writers} writers x batches of ${size}, poll ${pollIntervalMs} ms)`, 0, async () => {
    await Promise.all(Array.from({ length: writers }, async (_, w) => {
      for (let b = 0; Date.now() < until; b++, written += size) {
        await store.append(`lag-${w}-${b}`, Array.from({ length: size }, (_, i) => sampleEvent(i)), 'no_stream');
      }
    }));
    const deadline = Date.now() + 30_000;
    while (lags.length < written && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  });
  await sub.stop();
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))] ?? NaN;
  return { ...m, events: lags.length, eventsPerSecond: lags.length / m.seconds, extra: { written, p50LagMs: pct(50), p95LagMs: pct(95), p99LagMs: pct(99), maxLagMs: lags[lags.length - 1] ?? NaN } };
}

async function drainPosition(store: PostgresEventStore): Promise<{ nextPosition: string }> {
  let position = START_POSITION;
  for (let done = false; !done; ) {
    const page = await store.readAll({ fromPosition: position, maxCount: 5000 });
    position = page.nextPosition;
    done = page.isEnd;
  }
  return { nextPosition: position };
}
