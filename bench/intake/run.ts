/**
 * Intake benchmark: accepted `POST /v1/policies` per second on one life service (a real
 * process), and how fast the outbox relay publishes them to Kafka.
 *
 *   npm run bench:intake
 *
 * Env: BENCH_DURATION (s, default 20), BENCH_CONNECTIONS (default 32), BENCH_RATE (paced
 * phase, default 1500 req/s), BENCH_LOG_LEVEL (service log level, default info),
 * BENCH_PG_URL (admin URL, default the local server), KAFKA_BROKERS (else a broker is started).
 * Targets: >= 1,500 accepted req/s with p99 < 50 ms, and a bounded outbox backlog.
 */
import autocannon from 'autocannon';
import { cpus, loadavg } from 'node:os';
import { perRequest, sampleCpu, type CpuSample, type CpuTargets } from './cpu';
import { createApiKey, seed, sql, startInfra, startService, type ServiceProcess } from './infra';
import { policyRequests } from './requests';

const DURATION = Number(process.env.BENCH_DURATION ?? 20);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const RATE = Number(process.env.BENCH_RATE ?? 1500);
const HOLDERS = 100;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

interface Phase {
  name: string;
  acceptedPerSec: number;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  backlog: { max: number; end: number };
  publish: { perSec: number; lagMsP50: number; lagMsP99: number; drainMs: number };
  /** Accepted requests per PostgreSQL transaction (group commit's batch size, on average). */
  requestsPerCommit: number;
  /** CPU milliseconds per accepted request (service incl. relay, broker, PostgreSQL backends). */
  cpuMsPerRequest: CpuSample;
}

const backlogSql = `SELECT count(*)::int AS n FROM sub_life.outbox WHERE published_at IS NULL`;

async function measure(name: string, service: ServiceProcess, databaseUrl: string, cpu: CpuTargets, requests: ReturnType<typeof policyRequests>, overallRate?: number): Promise<Phase> {
  const backlogs: number[] = [];
  const cpuBefore = sampleCpu(cpu);
  const sampler = setInterval(() => void sql<{ n: number }>(databaseUrl, backlogSql).then(([r]) => backlogs.push(r.n), () => undefined), 500);
  const started = new Date();
  const result = await autocannon({ url: service.url, connections: CONNECTIONS, duration: DURATION, requests, ...(overallRate ? { overallRate } : {}) });
  const ended = new Date();
  clearInterval(sampler);
  const drainMs = await drain(databaseUrl);
  const cpuMsPerRequest = perRequest(cpuBefore, sampleCpu(cpu), result['2xx']);
  const [pub] = await sql<{ n: number; commits: number; p50: number; p99: number; first: Date; last: Date }>(databaseUrl,
    `SELECT count(*)::int AS n, count(DISTINCT tx_id)::int AS commits, min(published_at) AS first, max(published_at) AS last,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY published_at - created_at) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY published_at - created_at) AS p99
       FROM (SELECT published_at, created_at, tx_id FROM sub_life.outbox WHERE created_at BETWEEN $1 AND $2) t`, [started, ended]);
  const ms = (interval: unknown) => intervalMs(interval);
  return {
    name,
    acceptedPerSec: round(result['2xx'] / ((ended.getTime() - started.getTime()) / 1000)),
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    backlog: { max: Math.max(0, ...backlogs), end: backlogs[backlogs.length - 1] ?? 0 },
    publish: {
      perSec: round(pub.n / Math.max(0.001, (new Date(pub.last).getTime() - new Date(pub.first).getTime()) / 1000)),
      lagMsP50: ms(pub.p50), lagMsP99: ms(pub.p99), drainMs,
    },
    requestsPerCommit: round(pub.n / Math.max(1, pub.commits)),
    cpuMsPerRequest,
  };
}

/** Time from the end of the load until the relay has published everything. */
async function drain(databaseUrl: string): Promise<number> {
  const started = Date.now();
  while ((await sql<{ n: number }>(databaseUrl, backlogSql))[0].n > 0) {
    if (Date.now() - started > 120_000) throw new Error('the relay did not drain the outbox within 120 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

/** pg returns intervals as objects { seconds, milliseconds, ... }. */
function intervalMs(value: unknown): number {
  if (!value || typeof value !== 'object') return 0;
  const v = value as Record<string, number>;
  return round(((v.hours ?? 0) * 3600 + (v.minutes ?? 0) * 60 + (v.seconds ?? 0)) * 1000 + (v.milliseconds ?? 0));
}

const round = (n: number) => Math.round(n * 10) / 10;

async function main(): Promise<void> {
  const infra = await startInfra(log);
  let service: ServiceProcess | null = null;
  try {
    service = await startService(infra, {
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', RATE_LIMIT_PER_MINUTE: '100000000', DATABASE_POOL_SIZE: '16', KAFKA_INBOUND: 'off',
    });
    const apiKey = await createApiKey(infra.databaseUrl);
    const holders = await seed(service.url, apiKey, HOLDERS);
    log(`service ${service.url}, broker ${infra.brokers}; warming up`);
    await autocannon({ url: service.url, connections: 8, duration: 3, requests: policyRequests(apiKey, holders) });
    const cpu: CpuTargets = { service: service.pid, broker: infra.brokerPid, database: infra.database };
    const phases = [await measure('saturation', service, infra.databaseUrl, cpu, policyRequests(apiKey, holders))];
    phases.push(await measure(`paced ${RATE}/s`, service, infra.databaseUrl, cpu, policyRequests(apiKey, holders), RATE));
    report(phases);
  } finally {
    await service?.stop();
    await infra.stop();
  }
}

function report(phases: Phase[]): void {
  // The numbers mean little without the machine's state: a shared box skews them.
  console.log(`\nPOST /v1/policies, ${CONNECTIONS} connections, ${DURATION} s per phase, log level ${process.env.BENCH_LOG_LEVEL ?? 'info'}; ` +
    `${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.table(phases.map((p) => ({
    phase: p.name, 'accepted/s': p.acceptedPerSec, 'non-2xx': p.non2xx, errors: p.errors,
    'p50 ms': p.latencyMs.p50, 'p90 ms': p.latencyMs.p90, 'p99 ms': p.latencyMs.p99, 'max ms': p.latencyMs.max,
    'published/s': p.publish.perSec, 'publish lag p50 ms': p.publish.lagMsP50, 'publish lag p99 ms': p.publish.lagMsP99,
    'backlog max': p.backlog.max, 'drain ms': p.publish.drainMs, 'req/commit': p.requestsPerCommit,
    'cpu ms/req svc': p.cpuMsPerRequest.service, 'pg': p.cpuMsPerRequest.postgres, 'kafka': p.cpuMsPerRequest.broker,
  })));
  const total = phases[0].cpuMsPerRequest;
  const sum = total.service + total.postgres + total.broker;
  console.log(`CPU per accepted request at saturation: ${sum.toFixed(2)} ms (service ${total.service}, PostgreSQL ${total.postgres}, Kafka ${total.broker}); ` +
    `the service process alone saturates one core at ~${Math.round(1000 / Math.max(0.001, total.service))} req/s, two dedicated cores would carry ~${Math.round(2000 / Math.max(0.001, sum))} req/s.`);
  console.log(JSON.stringify(phases, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
