/**
 * What the bench reads to know how far the pipeline has got: counts in the coordination
 * schema, and CPU time by process from /proc, so a figure taken on a shared machine can
 * still say what an event costs each component.
 */
import { loadavg } from 'node:os';
import type { Pool } from 'pg';
import { postgresBackendPids, processCpuMs } from '../lib/proc-cpu';

/** A process that is gone counts as no CPU. */
const cpuMs = (pid: number) => processCpuMs(pid) ?? 0;

export interface Progress {
  /** Inbound events applied (parked ones count once replayed). */
  processed: number;
  /** client_lookup rows: source records the 360° projection has applied. */
  links: number;
  /** client_view_policies rows: policies the 360° projection has applied. */
  policies: number;
  parked: number;
  deadLetters: number;
}

export async function progress(pool: Pool): Promise<Progress> {
  const { rows: [r] } = await pool.query(`SELECT
      (SELECT count(*) FROM coordination.processed_events)::int AS processed,
      (SELECT count(*) FROM coordination.client_lookup)::int AS links,
      (SELECT count(*) FROM coordination.client_view_policies)::int AS policies,
      (SELECT count(*) FROM coordination.parked_events)::int AS parked,
      (SELECT count(*) FROM coordination.dead_letters)::int AS "deadLetters"`);
  return r as Progress;
}

/**
 * Polls until `done` holds, calling `onSample` at every poll; throws after `timeoutMs`
 * with the last progress so a stuck run says where it stuck.
 */
export async function waitFor(pool: Pool, done: (p: Progress) => boolean, timeoutMs: number, intervalMs = 250, onSample?: (p: Progress, at: number) => void): Promise<Progress> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const p = await progress(pool);
    onSample?.(p, Date.now());
    if (done(p)) return p;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s at ${JSON.stringify(p)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface CpuTargets {
  service: number;
  broker?: number;
  database: string;
}
export type CpuSample = { service: number; broker: number; postgres: number; bench: number };
/** PostgreSQL backends by pid: a backend that exits between two samples takes its CPU time with it. */
export type CpuSnapshot = Omit<CpuSample, 'postgres'> & { backends: Map<number, number> };

export function sampleCpu(t: CpuTargets): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    service: cpuMs(t.service), broker: t.broker ? cpuMs(t.broker) : 0,
    backends: new Map(postgresBackendPids(t.database).map((pid) => [pid, cpuMs(pid)])),
    bench: (usage.user + usage.system) / 1000,
  };
}

/** CPU milliseconds per unit of work, by component; backends that ended in between are not counted. */
export function cpuPer(before: CpuSnapshot, after: CpuSnapshot, units: number): CpuSample {
  const per = (ms: number) => Math.round((ms / Math.max(1, units)) * 1000) / 1000;
  let postgres = 0;
  for (const [pid, ms] of after.backends) postgres += ms - (before.backends.get(pid) ?? 0);
  return { service: per(after.service - before.service), broker: per(after.broker - before.broker), postgres: per(postgres), bench: per(after.bench - before.bench) };
}

export const load = (): number[] => loadavg().map((x) => Math.round(x * 100) / 100);

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface TableStats {
  [table: string]: { seqScan: number; idxScan: number; inserted: number; updated: number; deleted: number };
}

/** Cumulative per-table access counters (PostgreSQL flushes them about once a second). */
export async function tableStats(pool: Pool): Promise<{ tables: TableStats; commits: number }> {
  const { rows } = await pool.query(`SELECT schemaname || '.' || relname AS t, seq_scan, coalesce(idx_scan, 0) AS idx_scan, n_tup_ins, n_tup_upd, n_tup_del
    FROM pg_stat_user_tables`);
  const tables: TableStats = {};
  for (const r of rows) {
    tables[r.t] = { seqScan: Number(r.seq_scan), idxScan: Number(r.idx_scan), inserted: Number(r.n_tup_ins), updated: Number(r.n_tup_upd), deleted: Number(r.n_tup_del) };
  }
  const { rows: [db] } = await pool.query('SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()');
  return { tables, commits: Number(db.xact_commit) };
}

/** Per event, between two snapshots: the busiest tables' scans and writes, and commits. */
export function statsPer(before: Awaited<ReturnType<typeof tableStats>>, after: Awaited<ReturnType<typeof tableStats>>, units: number) {
  const per = (x: number) => Math.round((x / Math.max(1, units)) * 100) / 100;
  const rows = Object.entries(after.tables).map(([t, a]) => {
    const b = before.tables[t] ?? { seqScan: 0, idxScan: 0, inserted: 0, updated: 0, deleted: 0 };
    return { table: t, seqScan: per(a.seqScan - b.seqScan), idxScan: per(a.idxScan - b.idxScan), writes: per(a.inserted - b.inserted + a.updated - b.updated + a.deleted - b.deleted) };
  });
  const total = (k: 'seqScan' | 'idxScan' | 'writes') => Math.round(rows.reduce((s, r) => s + r[k], 0) * 100) / 100;
  const busiest = rows.filter((r) => r.seqScan + r.idxScan + r.writes > 0).sort((x, y) => y.seqScan + y.idxScan + y.writes - (x.seqScan + x.idxScan + x.writes)).slice(0, 12);
  return { commits: per(after.commits - before.commits), seqScans: total('seqScan'), indexScans: total('idxScan'), rowWrites: total('writes'), busiest };
}
