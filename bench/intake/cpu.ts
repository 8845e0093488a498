import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time by process from /proc (Linux), so a run on a shared machine can still say
 * what one request costs each component, independent of how busy the neighbours are.
 */
const TICKS_PER_SECOND = 100;

export interface CpuTargets {
  service: number;
  broker?: number;
  /** PostgreSQL backends serving this database (matched in their process title). */
  database: string;
}

export type CpuSample = Record<'service' | 'broker' | 'postgres', number>;

function cpuMs(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function postgresBackends(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${database} `)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

export function sampleCpu(targets: CpuTargets): CpuSample {
  return {
    service: cpuMs(targets.service),
    broker: targets.broker ? cpuMs(targets.broker) : 0,
    postgres: postgresBackends(targets.database).reduce((sum, pid) => sum + cpuMs(pid), 0),
  };
}

/** Milliseconds of CPU per request, by component, between two samples. */
export function perRequest(before: CpuSample, after: CpuSample, requests: number): CpuSample {
  const per = (k: keyof CpuSample) => Math.round(((after[k] - before[k]) / Math.max(1, requests)) * 1000) / 1000;
  return { service: per('service'), broker: per('broker'), postgres: per('postgres') };
}
