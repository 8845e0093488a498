import type { DataSource } from 'typeorm';
import { processCpuMs } from '../lib/proc-cpu';

/** CPU milliseconds per PostgreSQL backend pid; undefined when the server's /proc is not ours to read. */
export type BackendCpu = Map<number, number> | undefined;

/**
 * Wall rates on a shared machine say little; CPU time per event says what a workload costs.
 * This reads the CPU of every backend serving the benchmark database from /proc (the
 * server runs on this machine in development; elsewhere the columns stay empty).
 */
export function backendCpuProbe(db: DataSource): () => Promise<BackendCpu> {
  return async () => {
    // Client backends only: an autovacuum worker cleaning up after the appends is not the workload's cost.
    const rows: Array<{ pid: number }> = await db.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'`,
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (ms === undefined) return undefined;
      cpu.set(pid, ms);
    }
    return cpu;
  };
}

/** Backend CPU spent between two snapshots; a connection opened in between counts from its start. */
export function backendCpuSpent(before: BackendCpu, after: BackendCpu): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  let spent = 0;
  for (const [pid, ms] of after) spent += ms - (before.get(pid) ?? 0);
  return spent;
}
