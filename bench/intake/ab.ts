/**
 * A/B intake benchmark: the bench's `POST /v1/policies` load on two builds of the life
 * service running side by side, in short phases taken in turn (ABBAAB...), so both meet the
 * same neighbours on a shared machine. Each build has its own database (same PostgreSQL)
 * and topic prefix (same broker). Reports each phase and the medians per build.
 *
 *   npm run build && flock /tmp/bench.lock node dist/bench/intake/ab.js <distA> <distB>
 *
 * <distA>/<distB>: dist directories of the two builds (e.g. a copy of dist built from main,
 * and ./dist). Env: AB_ROUNDS (default 6), AB_SECONDS (per phase, default 6), AB_CONNECTIONS
 * (default 32), AB_RATE (paced instead of saturation), AB_NODE_ARGS_A / AB_NODE_ARGS_B
 * (the services' node flags), plus the infra variables of run.ts.
 */
import autocannon from 'autocannon';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { postgresBackendPids, processCpuMs } from '../lib/proc-cpu';
import { createApiKey, seed, sql, startInfra, startService, type BenchInfra, type ServiceProcess } from './infra';
import { policyRequests } from './requests';

const ROUNDS = Number(process.env.AB_ROUNDS ?? 6);
const SECONDS = Number(process.env.AB_SECONDS ?? 6);
const CONNECTIONS = Number(process.env.AB_CONNECTIONS ?? 32);
const RATE = process.env.AB_RATE ? Number(process.env.AB_RATE) : undefined;
const log = (line: string) => process.stderr.write(`[ab] ${line}\n`);

interface Side {
  label: 'A' | 'B';
  dist: string;
  database: string;
  service: ServiceProcess;
  apiKey: string;
  holders: string[];
  phases: Array<{ perSec: number; p50: number; p99: number; serviceMs: number; postgresMs: number }>;
}

const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + (processCpuMs(pid) ?? 0), 0);

async function start(label: Side['label'], dist: string, infra: BenchInfra): Promise<Side> {
  const service = await startService(infra, {
    LOG_LEVEL: 'info', RATE_LIMIT_PER_MINUTE: '100000000', DATABASE_POOL_SIZE: '16', KAFKA_INBOUND: 'off', TOPIC_PREFIX: `ab${label.toLowerCase()}.`,
  }, { dist, nodeArgs: process.env[`AB_NODE_ARGS_${label}`] ?? '' });
  const apiKey = await createApiKey(infra.databaseUrl);
  const holders = await seed(service.url, apiKey, 100);
  await autocannon({ url: service.url, connections: 8, duration: 3, requests: policyRequests(apiKey, holders) });
  return { label, dist, database: infra.database, service, apiKey, holders, phases: [] };
}

async function phase(side: Side): Promise<void> {
  const pg = postgresBackendPids(side.database);
  const [service0, postgres0, load] = [cpuOf([side.service.pid]), cpuOf(pg), loadavg()[0]];
  const result = await autocannon({
    url: side.service.url, connections: CONNECTIONS, duration: SECONDS, requests: policyRequests(side.apiKey, side.holders), ...(RATE ? { overallRate: RATE } : {}),
  });
  const accepted = Math.max(1, result['2xx']);
  const p = {
    perSec: result['2xx'] / SECONDS, p50: result.latency.p50, p99: result.latency.p99,
    serviceMs: (cpuOf([side.service.pid]) - service0) / accepted, postgresMs: (cpuOf(postgresBackendPids(side.database)) - postgres0) / accepted,
  };
  side.phases.push(p);
  log(`${side.label} ${p.perSec.toFixed(0)}/s p50 ${p.p50} p99 ${p.p99} ms; CPU ms/req service ${p.serviceMs.toFixed(3)} pg ${p.postgresMs.toFixed(3)}; ` +
    `non-2xx ${result.non2xx}; load ${load.toFixed(1)}`);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const [distA, distB] = process.argv.slice(2, 4).map((d) => (d ? resolve(d) : ''));
  if (!distA || !distB) throw new Error('usage: node dist/bench/intake/ab.js <distA> <distB>');
  const infra = await startInfra(log);
  const databaseB = `${infra.database}_b`;
  await sql(infra.databaseUrl, `CREATE DATABASE "${databaseB}"`);
  const url = new URL(infra.databaseUrl);
  url.pathname = `/${databaseB}`;
  const sides: Side[] = [];
  try {
    sides.push(await start('A', distA, infra));
    sides.push(await start('B', distB, { ...infra, database: databaseB, databaseUrl: url.toString() }));
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        await phase(side);
        await new Promise((r) => setTimeout(r, 1500)); // the relay drains between phases
      }
    }
    console.log(`\nPOST /v1/policies, ${CONNECTIONS} connections, ${RATE ? `paced ${RATE}/s` : 'saturation'}, ${ROUNDS} x ${SECONDS} s phases per build, in turn`);
    console.table(sides.map((s) => ({
      build: `${s.label} ${s.dist}`, 'accepted/s': Math.round(median(s.phases.map((p) => p.perSec))), 'p50 ms': median(s.phases.map((p) => p.p50)),
      'p99 ms': median(s.phases.map((p) => p.p99)), 'cpu ms/req svc': median(s.phases.map((p) => p.serviceMs)).toFixed(3),
      pg: median(s.phases.map((p) => p.postgresMs)).toFixed(3),
    })));
    console.log(`medians of ${ROUNDS} phases; load average at the end ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  } finally {
    for (const side of sides) await side.service.stop();
    await sql(infra.databaseUrl.replace(`/${infra.database}`, '/postgres'), `DROP DATABASE IF EXISTS "${databaseB}" WITH (FORCE)`).catch(() => undefined);
    await infra.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
