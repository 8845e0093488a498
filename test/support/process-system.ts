/*
 * The four services as child processes on one fresh database and their own Kafka topics
 * (a unique TOPIC_PREFIX and consumer group), for the reliability tests: unlike
 * test/support/system.ts (in-process), these can be SIGKILLed, restarted, measured and
 * their stdout logs read.
 */
import { dlqTopic, DECISIONS_TOPIC, eventsTopic, inboundTopic, SUBSIDIARIES, type Subsidiary } from '@lib/contracts';
import { ApiKeyStore, openAuthDataSource, type Role } from '@lib/platform';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, dropUnlessKept, type TestDatabase } from '../infra/postgres';
import { buildServices, type Crash, type ServiceBuild, type ServiceName, type ServiceProcess, startServiceProcess } from './service-process';

export type KeyName = Subsidiary | 'coordinator' | 'auditor' | 'admin';

export interface ProcessSystem {
  database: TestDatabase;
  prefix: string;
  brokers: string;
  groupId: string;
  logDir: string;
  services: Record<ServiceName, ServiceProcess>;
  /** Extra coordination instances started with addCoordination (same group, same database). */
  extraCoordination: ServiceProcess[];
  urls: Record<ServiceName, string>;
  keys: Record<KeyName, string>;
  build: ServiceBuild;
  envOf(name: ServiceName): Record<string, string>;
  addCoordination(label: string): Promise<ServiceProcess>;
  topics(): string[];
  /** Service processes that exited without being asked to (they were restarted: supervised). */
  crashes(): Crash[];
  /** Keeps the run's database when the system stops (a check failed: its data explains why). */
  keepDatabase(): void;
  stop(): Promise<void>;
}

export interface ProcessSystemOptions {
  brokers: string;
  logLevel?: string;
  /** Extra variables for every service. */
  env?: Record<string, string>;
  partitions?: number;
  /** Reuse a build (several systems in one file); otherwise one is made and removed on stop. */
  build?: ServiceBuild;
}

export async function startProcessSystem(options: ProcessSystemOptions): Promise<ProcessSystem> {
  const build = options.build ?? (await buildServices());
  const database = await createTestDatabase('rel');
  const prefix = `t${randomBytes(4).toString('hex')}.`;
  const partitions = options.partitions ?? 3;
  const topics = allTopics(prefix);
  await createTopics(options.brokers, topics, partitions);
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rel-logs-'));
  const groupId = `${prefix}coordination`;
  const env: Record<string, string> = {
    NODE_ENV: 'test', DATABASE_URL: database.url, KAFKA_BROKERS: options.brokers, TOPIC_PREFIX: prefix,
    LOG_LEVEL: options.logLevel ?? 'warn', KAFKA_TOPIC_PARTITIONS: String(partitions), KAFKA_GROUP_ID: groupId,
    DATABASE_POOL_SIZE: '5', RATE_LIMIT_PER_MINUTE: '1000000', ...options.env,
  };
  // REL_COORDINATION_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the coordination service under a fault or load test.
  const coordinationArgs = (process.env.REL_COORDINATION_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const start = (name: ServiceName, label?: string) =>
    startServiceProcess({ buildDir: build.dir, name, label, env, logDir, supervise: true, nodeArgs: name === 'coordination' ? coordinationArgs : [] });
  const services = {} as Record<ServiceName, ServiceProcess>;
  const started = await Promise.allSettled((['life', 'pnc', 'group', 'coordination'] as const).map(async (n) => (services[n] = await start(n))));
  const extraCoordination: ServiceProcess[] = [];
  let keep = false;
  const stop = async () => {
    for (const s of [...extraCoordination, ...Object.values(services)]) await s.kill('SIGTERM');
    await dropUnlessKept(database, 'the run\'s', keep);
    if (!options.build) build.remove();
    if (process.env.REL_KEEP_LOGS !== '1') fs.rmSync(logDir, { recursive: true, force: true });
  };
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await stop();
    throw (failed as PromiseRejectedResult).reason;
  }
  return {
    database, prefix, brokers: options.brokers, groupId, logDir, services, extraCoordination, build,
    urls: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, s.url])) as Record<ServiceName, string>,
    keys: await createKeys(database.url),
    envOf: () => ({ ...env }),
    addCoordination: async (label) => {
      const instance = await start('coordination', label);
      extraCoordination.push(instance);
      return instance;
    },
    topics: () => [...topics],
    crashes: () => [...extraCoordination, ...Object.values(services)].flatMap((s) => s.crashes),
    keepDatabase: () => {
      keep = true;
    },
    stop,
  };
}

export function allTopics(prefix: string): string[] {
  const topics = SUBSIDIARIES.flatMap((s) => [eventsTopic(s), inboundTopic(s), dlqTopic(inboundTopic(s)), dlqTopic(eventsTopic(s))]);
  return [...topics, DECISIONS_TOPIC].map((t) => `${prefix}${t}`);
}

async function createTopics(brokers: string, topics: string[], numPartitions: number): Promise<void> {
  const admin = new Kafka({ clientId: 'rel-admin', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

async function createKeys(databaseUrl: string): Promise<Record<KeyName, string>> {
  const dataSource = await openAuthDataSource(databaseUrl);
  try {
    const store = new ApiKeyStore(dataSource);
    const roles: Array<[KeyName, Role, Subsidiary | undefined]> = [
      ['life', 'subsidiary:life', 'life'], ['pnc', 'subsidiary:pnc', 'pnc'], ['group', 'subsidiary:group', 'group'],
      ['coordinator', 'coordinator', undefined], ['auditor', 'auditor', undefined], ['admin', 'admin', undefined],
    ];
    const keys = {} as Record<KeyName, string>;
    for (const [name, role, subsidiary] of roles) {
      keys[name] = (await store.create({ name: `rel-${name}`, role, subsidiary, createdBy: 'reliability' })).key;
    }
    return keys;
  } finally {
    await dataSource.destroy();
  }
}
