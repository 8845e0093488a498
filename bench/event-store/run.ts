/**
 * Event store benchmark (PostgreSQL adapter), on a database created for the run and
 * dropped afterwards.
 *
 *   npm run bench:event-store
 *
 * Env: DATABASE_URL (admin URL; default postgres://postgres@127.0.0.1:5432/postgres),
 * BENCH_SCALE (multiplies event counts, default 1), BENCH_OUT (also write the JSON there).
 * Besides wall rates it reports CPU per event of this process and of the PostgreSQL
 * backends (from /proc, local server only) and the load average: the machine is shared.
 * Targets: batched append >= 20,000 events/s and >= 50% of the raw INSERT ceiling;
 * readAll >= 100,000 events/s.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresEventStore, eventStoreMigrations } from '@lib/event-store';
import { backendCpuProbe } from './cpu';
import {
  appendBatches, measureBackendsWith, appendSingles, catchUpThroughput, rawInsertBatches, readAllThroughput, sealThroughput, subscriptionLag, type Measurement,
} from './workloads';

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const WRITERS = 4;

async function main(): Promise<void> {
  const name = `bench_es_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  await admin(`CREATE DATABASE "${name}"`);
  const db = new DataSource({ type: 'postgres', url: withDatabase(ADMIN_URL, name), poolSize: 12, migrations: eventStoreMigrations });
  try {
    await db.initialize();
    await db.runMigrations();
    const report = await measure(db);
    print(report);
    if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${JSON.stringify(report, null, 2)}\n`);
    process.exitCode = report.pass ? 0 : 1;
  } finally {
    await db.destroy().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

async function measure(db: DataSource) {
  const store = new PostgresEventStore(db);
  measureBackendsWith(backendCpuProbe(db));
  const loadBefore = loadavg().map((x) => round(x, 2));
  const n = (count: number) => Math.max(1, Math.round(count * SCALE));
  await appendBatches(store, 1, 5); // warm-up: plans, caches, pool
  const results: Measurement[] = [
    await appendSingles(store, 1, n(2000)),
    await appendSingles(store, WRITERS, n(1000)),
    await appendBatches(store, 1, n(150)),
    await appendBatches(store, WRITERS, n(100)),
    await rawInsertBatches(db, 1, n(150)),
    await rawInsertBatches(db, WRITERS, n(100)),
  ];
  results.push(await readAllThroughput(store), await catchUpThroughput(store), await sealThroughput(store), await subscriptionLag(store, WRITERS, 10, 5, 20));
  const rate = (prefix: string) => results.find((r) => r.name.startsWith(prefix))!.eventsPerSecond;
  const batched = rate(`append, batches of 100, ${WRITERS} writer`);
  const raw = rate(`raw INSERT ... unnest, batches of 100, ${WRITERS} writer`);
  const readAll = rate('readAll');
  const targets = [
    { target: `batched append (${WRITERS} writers) >= 20,000 events/s`, value: Math.round(batched), pass: batched >= 20_000 },
    { target: 'batched append >= 50% of raw INSERT ceiling (same writers)', value: Math.round((batched / raw) * 100), pass: batched / raw >= 0.5 },
    { target: 'readAll >= 100,000 events/s', value: Math.round(readAll), pass: readAll >= 100_000 },
  ];
  const [{ version }] = await db.query(`SELECT version()`);
  return {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, postgres: String(version).split(',')[0] },
    loadAverage: { before: loadBefore, after: loadavg().map((x) => round(x, 2)) },
    results: results.map((r) => ({
      ...r, seconds: round(r.seconds, 3), eventsPerSecond: Math.round(r.eventsPerSecond), nodeCpuMs: Math.round(r.nodeCpuMs),
      nodeCpuUsPerEvent: round((r.nodeCpuMs * 1000) / r.events, 1), pgCpuUsPerEvent: r.pgCpuMs === undefined ? undefined : round((r.pgCpuMs * 1000) / r.events, 1),
    })),
    targets,
    pass: targets.every((t) => t.pass),
  };
}

function print(report: Awaited<ReturnType<typeof measure>>): void {
  const rows = report.results.map((r) => [
    r.name, String(r.events), r.seconds.toFixed(2), String(r.eventsPerSecond), String(r.nodeCpuUsPerEvent), String(r.pgCpuUsPerEvent ?? '-'), r.extra ? JSON.stringify(r.extra) : '',
  ]);
  console.log(`load average ${report.loadAverage.before.join(' ')} before, ${report.loadAverage.after.join(' ')} after (${report.machine.cpus} CPUs)`);
  table(['workload', 'events', 'seconds', 'events/s', 'node CPU µs/event', 'PostgreSQL CPU µs/event', 'extra'], rows);
  console.log('');
  table(['target', 'value', 'pass'], report.targets.map((t) => [t.target, String(t.value), t.pass ? 'yes' : 'NO']));
  console.log(`\n${JSON.stringify(report)}`);
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
