import { generateResidentId, seededRng } from '@lib/contracts';
import { ApiKeyStore, openAuthDataSource } from '@lib/platform';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { startKafkaBroker } from '../../test/infra/kafka-broker';
import { freePort } from '../../test/infra/ports';
import { serviceNodeArgs } from '../../scripts/lib/service-node-args';

export interface BenchInfra {
  databaseUrl: string;
  database: string;
  brokers: string;
  /** The broker's JVM when this run started it. */
  brokerPid?: number;
  stop(): Promise<void>;
}

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database on the local (or BENCH_PG_URL) server and a broker (KAFKA_BROKERS, else one started here). */
export async function startInfra(log: (line: string) => void): Promise<BenchInfra> {
  const adminUrl = process.env.BENCH_PG_URL ?? LOCAL_PG;
  const name = `bench_intake_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const broker = process.env.KAFKA_BROKERS ? null : await startKafkaBroker({ log, heap: '-Xms512m -Xmx1g' });
  return {
    databaseUrl: url.toString(),
    database: name,
    brokers: process.env.KAFKA_BROKERS ?? broker!.brokers,
    brokerPid: broker?.pid,
    stop: async () => {
      await broker?.stop();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface ServiceProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * The real life service (dist/apps/life/src/main.js) in its own process, so load generation does not share its event loop.
 * `options.dist`: another build's dist directory (bench/intake/ab.ts compares two); `options.nodeArgs` overrides BENCH_SERVICE_NODE_ARGS.
 */
export async function startService(infra: BenchInfra, env: Record<string, string>, options: { dist?: string; nodeArgs?: string } = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const main = join(options.dist ?? join(__dirname, '..', '..'), 'apps', 'life', 'src', 'main.js');
  // The services' own V8 settings, then e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the
  // service under load, or "--max-semi-space-size=16" for V8's default young generation (a later flag wins).
  const nodeArgs = [...serviceNodeArgs(), ...(options.nodeArgs ?? process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, main], {
    env: {
      ...process.env, NODE_ENV: 'test', PORT: String(port), DATABASE_URL: infra.databaseUrl, KAFKA_BROKERS: infra.brokers, ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child);
  return {
    url,
    pid: child.pid!,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the service did not become healthy within ${timeoutMs / 1000} s`);
}

export async function createApiKey(databaseUrl: string): Promise<string> {
  const dataSource = await openAuthDataSource(databaseUrl);
  try {
    return (await new ApiKeyStore(dataSource).create({ name: 'bench-life', role: 'subsidiary:life', createdBy: 'bench' })).key;
  } finally {
    await dataSource.destroy();
  }
}

/** One agent and `holders` clients for the policies to refer to. */
export async function seed(url: string, apiKey: string, holders: number): Promise<string[]> {
  const rng = seededRng(7);
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey, 'idempotency-key': randomBytes(12).toString('hex') },
      body: JSON.stringify(body),
    });
    if (res.status !== 202) throw new Error(`seeding ${path} answered ${res.status}: ${await res.text()}`);
  };
  await post('/v1/agents', { agentId: 'A-BENCH', name: '李娜', localChannelCode: 'GX01', branchId: 'BJ-01', teamId: 'T1', leaderId: null, joinedAt: '2026-01-05' });
  const ids = Array.from({ length: holders }, (_, i) => `LIFE-B${String(i).padStart(6, '0')}`);
  for (const localId of ids) {
    const birthDate = '1985-06-15';
    await post('/v1/clients', { localId, kind: 'person', name: '王芳', gender: 'F', birthDate, identity: { type: 'RESIDENT_ID', number: generateResidentId(rng, { birthDate, gender: 'F' }) } });
  }
  return ids;
}

export async function sql<T>(databaseUrl: string, query: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(query, params)).rows as T[];
  } finally {
    await client.end();
  }
}
