/**
 * What the coordination benches run against: a database of their own on the local
 * PostgreSQL, a real Kafka broker (KAFKA_BROKERS, else one started from the cached jars),
 * topics under a unique TOPIC_PREFIX, and the coordination service as a real process.
 */
import { DECISIONS_TOPIC, dlqTopic, eventsTopic, inboundTopic, SUBSIDIARIES } from '@lib/contracts';
import { ApiKeyStore, openAuthDataSource } from '@lib/platform';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { startKafkaBroker } from '../../test/infra/kafka-broker';
import { freePort } from '../../test/infra/ports';
import { serviceNodeArgs } from '../../scripts/lib/service-node-args';

export const HMAC_KEY = 'bench-identity-hmac-key-0123456789abcdef';
const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';
export const log = (line: string): void => void process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

export interface Infra {
  adminUrl: string;
  database: string;
  databaseUrl: string;
  brokers: string;
  brokerPid?: number;
  kafkaVersion: string;
  kafka: Kafka;
  prefix: string;
  pool: Pool;
  /** How tables get analysed during the run: by the server's autovacuum, or by the bench standing in for it. */
  analyze: string;
  stop(): Promise<void>;
}

export async function startInfra(partitions: number): Promise<Infra> {
  const adminUrl = process.env.BENCH_PG_URL ?? LOCAL_PG;
  const database = `bench_coord_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${database}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const broker = process.env.KAFKA_BROKERS ? null : await startKafkaBroker({ log, heap: '-Xms512m -Xmx1g' });
  const brokers = process.env.KAFKA_BROKERS ?? broker!.brokers;
  const kafka = new Kafka({ clientId: 'bench-coordination', brokers: brokers.split(','), logLevel: logLevel.ERROR });
  const prefix = `bench${randomBytes(3).toString('hex')}.`;
  await createTopics(kafka, prefix, partitions);
  const pool = new Pool({ connectionString: url.toString(), max: 4 });
  const analyzer = await standInForAutovacuum(pool);
  return {
    adminUrl, database, databaseUrl: url.toString(), brokers, brokerPid: broker?.pid, kafka, prefix, pool,
    kafkaVersion: kafkaVersionOf(broker?.dataDir), analyze: analyzer.description,
    stop: async () => {
      await analyzer.stop();
      await pool.end().catch(() => undefined);
      await broker?.stop();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    },
  };
}

export const AUTO_ANALYZE_MS = 10_000;

/**
 * Tables autovacuum would analyse now: changed since their last analysis by more than
 * autovacuum_analyze_threshold + autovacuum_analyze_scale_factor x their rows (its own rule).
 */
const DUE_FOR_ANALYZE = `
  SELECT format('%I.%I', t.schemaname, t.relname) AS name
    FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid
   WHERE t.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
                                 + current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)`;

/**
 * Production PostgreSQL analyses a growing table on its own (autovacuum, on by default), and
 * each ANALYZE makes every connection re-plan its prepared statements on the current size.
 * This machine's server runs with autovacuum off, so a plan cached while a table was nearly
 * empty (a sequential scan) would stay for the whole run and make every look-up cost O(table).
 * When the server has autovacuum off, the bench stands in for it: every 10 s it analyses the
 * tables autovacuum's rule says are due. The ANALYZE runs on the bench database's own
 * backends, so its CPU counts as PostgreSQL's.
 */
async function standInForAutovacuum(pool: Pool): Promise<{ description: string; stop(): Promise<void> }> {
  const { rows } = await pool.query<{ autovacuum: string }>('SHOW autovacuum');
  if (rows[0]?.autovacuum === 'on') return { description: 'server autovacuum', stop: async () => undefined };
  const analyzeDue = async () => {
    for (const { name } of (await pool.query<{ name: string }>(DUE_FOR_ANALYZE)).rows) await pool.query(`ANALYZE ${name}`);
  };
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(analyzeDue).catch((error: unknown) => log(`ANALYZE failed: ${(error as Error).message}`));
  }, AUTO_ANALYZE_MS);
  return {
    description: `the bench analyses tables by autovacuum's rule every ${AUTO_ANALYZE_MS / 1000} s (server autovacuum is off)`,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

async function createTopics(kafka: Kafka, prefix: string, partitions: number): Promise<void> {
  const base = SUBSIDIARIES.flatMap((s) => [eventsTopic(s), inboundTopic(s), dlqTopic(eventsTopic(s)), dlqTopic(inboundTopic(s))]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [...base, DECISIONS_TOPIC].map((t) => ({ topic: `${prefix}${t}`, numPartitions: partitions })) });
  } finally {
    await admin.disconnect();
  }
}

/** The broker's version from its jar names (the cached jars the broker runs from). */
function kafkaVersionOf(dataDir?: string): string {
  if (!dataDir) return 'external (KAFKA_BROKERS)';
  const match = /Kafka version: (\S+)/.exec(readText(join(dataDir, 'server.log')));
  return match?.[1] ?? 'unknown';
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export async function adminQuery(url: string, sql: string): Promise<unknown[]> {
  const pool = new Pool({ connectionString: url, max: 1 });
  try {
    return (await pool.query(sql)).rows;
  } finally {
    await pool.end();
  }
}

export interface ServiceProcess {
  url: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/**
 * The service's own V8 settings, then e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it
 * under load, or "--max-semi-space-size=16" for V8's default young generation (a later flag wins).
 */
export function coordinationNodeArgs(): string[] {
  return [...serviceNodeArgs(), ...(process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean)];
}

/** dist/apps/coordination/src/main.js in its own process, so the bench's producers and load generator do not share its event loop. */
export async function startCoordination(infra: Infra, env: Record<string, string> = {}): Promise<ServiceProcess> {
  const port = await freePort();
  const main = join(__dirname, '..', '..', 'apps', 'coordination', 'src', 'main.js');
  const logFile = join(tmpdir(), `${infra.database}-coordination-${port}.log`);
  const out = openSync(logFile, 'a');
  const child: ChildProcess = spawn(process.execPath, [...coordinationNodeArgs(), main], {
    env: {
      ...process.env, NODE_ENV: 'test', HOST: '127.0.0.1', PORT: String(port), DATABASE_URL: infra.databaseUrl, KAFKA_BROKERS: infra.brokers,
      TOPIC_PREFIX: infra.prefix, IDENTITY_HMAC_KEY: HMAC_KEY, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', RATE_LIMIT_PER_MINUTE: '100000000',
      DATABASE_POOL_SIZE: '10', ...env,
    },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(url, child, logFile);
  return {
    url, pid: child.pid!, logFile,
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGTERM')))),
  };
}

async function waitHealthy(url: string, child: ChildProcess, logFile: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`coordination exited with ${child.exitCode}:\n${readText(logFile).slice(-3000)}`);
    if (await fetch(`${url}/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGKILL');
  throw new Error(`coordination did not become healthy within ${timeoutMs / 1000} s:\n${readText(logFile).slice(-3000)}`);
}

export async function coordinatorKey(databaseUrl: string): Promise<string> {
  const dataSource = await openAuthDataSource(databaseUrl);
  try {
    return (await new ApiKeyStore(dataSource).create({ name: 'bench-coordinator', role: 'coordinator', createdBy: 'bench' })).key;
  } finally {
    await dataSource.destroy();
  }
}
