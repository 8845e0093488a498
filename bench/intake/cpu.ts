import { postgresBackendPids, processCpuMs } from '../lib/proc-cpu';

/**
 * CPU time by process from /proc (Linux), so a run on a shared machine can still say
 * what one request costs each component, independent of how busy the neighbours are.
 */

/** A process that is gone counts as no CPU. */
const cpuMs = (pid: number) => processCpuMs(pid) ?? 0;

export interface CpuTargets {
  service: number;
  broker?: number;
  /** PostgreSQL backends serving this database (matched in their process title). */
  database: string;
}

export type CpuSample = Record<'service' | 'broker' | 'postgres', number>;

export function sampleCpu(targets: CpuTargets): CpuSample {
  return {
    service: cpuMs(targets.service),
    broker: targets.broker ? cpuMs(targets.broker) : 0,
    postgres: postgresBackendPids(targets.database).reduce((sum, pid) => sum + cpuMs(pid), 0),
  };
}

/** Milliseconds of CPU per request, by component, between two samples. */
export function perRequest(before: CpuSample, after: CpuSample, requests: number): CpuSample {
  const per = (k: keyof CpuSample) => Math.round(((after[k] - before[k]) / Math.max(1, requests)) * 1000) / 1000;
  return { service: per('service'), broker: per('broker'), postgres: per('postgres') };
}
