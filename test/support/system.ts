import { SUBSIDIARIES, eventsTopic, DECISIONS_TOPIC, inboundTopic, dlqTopic, type Subsidiary } from '@lib/contracts';
import { openAuthDataSource, ApiKeyStore, type Role } from '@lib/platform';
import { createSubsidiaryApp } from '@lib/subsidiary-gateway';
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createCoordinationApp } from '../../apps/coordination/src/coordination-app';
import { createTopics, testBrokers, testKafka } from '../infra/kafka';
import { createTestDatabase, TestDatabase } from '../infra/postgres';

export type Service = Subsidiary | 'coordination';
export type KeyRole = Subsidiary | 'coordinator' | 'auditor' | 'admin';

export interface RunningSystem {
  urls: Record<Service, string>;
  keys: Record<KeyRole, string>;
  prefix: string;
  database: TestDatabase;
  apps: Record<Service, INestApplication>;
  stop(): Promise<void>;
}

/**
 * The four services in this process, on their own database and their own Kafka topics
 * (a unique TOPIC_PREFIX), talking through the real broker exactly as in production.
 */
export async function startSystem(options: { kafka?: boolean; env?: Record<string, string> } = {}): Promise<RunningSystem> {
  const database = await createTestDatabase('e2e');
  const prefix = `t${randomBytes(4).toString('hex')}.`;
  const useKafka = options.kafka ?? true;
  if (useKafka) await createTopics(testKafka(), allTopics(prefix).map((topic) => ({ topic, numPartitions: 3 })));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    TOPIC_PREFIX: prefix,
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    KAFKA_TOPIC_PARTITIONS: '3',
    ...(useKafka ? { KAFKA_BROKERS: testBrokers().join(',') } : {}),
    ...options.env,
  };
  if (!useKafka) delete env.KAFKA_BROKERS;
  const apps = {} as Record<Service, INestApplication>;
  const urls = {} as Record<Service, string>;
  for (const sub of SUBSIDIARIES) {
    const { app } = await createSubsidiaryApp(sub, { env, cataloguePath: join(__dirname, '..', '..', 'apps', sub, 'catalogue.json'), logger: false });
    apps[sub] = app;
  }
  apps.coordination = (await createCoordinationApp({ env, logger: false })).app;
  for (const [name, app] of Object.entries(apps) as Array<[Service, INestApplication]>) {
    await app.listen(0, '127.0.0.1');
    urls[name] = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  }
  const keys = await createKeys(database.url);
  return {
    urls, keys, prefix, database, apps,
    stop: async () => {
      for (const app of Object.values(apps).reverse()) await app.close();
      await database.drop();
    },
  };
}

function allTopics(prefix: string): string[] {
  const topics = SUBSIDIARIES.flatMap((s) => [eventsTopic(s), inboundTopic(s), dlqTopic(inboundTopic(s)), dlqTopic(eventsTopic(s))]);
  return [...topics, DECISIONS_TOPIC].map((t) => `${prefix}${t}`);
}

async function createKeys(databaseUrl: string): Promise<Record<KeyRole, string>> {
  const dataSource = await openAuthDataSource(databaseUrl);
  try {
    const store = new ApiKeyStore(dataSource);
    const roles: Array<[KeyRole, Role, Subsidiary | undefined]> = [
      ['life', 'subsidiary:life', 'life'], ['pnc', 'subsidiary:pnc', 'pnc'], ['group', 'subsidiary:group', 'group'],
      ['coordinator', 'coordinator', undefined], ['auditor', 'auditor', undefined], ['admin', 'admin', undefined],
    ];
    const keys = {} as Record<KeyRole, string>;
    for (const [name, role, subsidiary] of roles) {
      keys[name] = (await store.create({ name: `e2e-${name}`, role, subsidiary, createdBy: 'e2e' })).key;
    }
    return keys;
  } finally {
    await dataSource.destroy();
  }
}

/** A small client for the services' REST APIs. */
export function api(system: RunningSystem) {
  let counter = 0;
  const call = async (service: Service, key: KeyRole, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { 'X-Api-Key': system.keys[key] };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') headers['Idempotency-Key'] = `e2e-${Date.now()}-${++counter}`;
    const response = await fetch(`${system.urls[service]}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: text ? (safeJson(text) as any) : null, text };
  };
  return {
    post: (service: Service, key: KeyRole, path: string, body: unknown) => call(service, key, 'POST', path, body),
    put: (service: Service, key: KeyRole, path: string, body: unknown) => call(service, key, 'PUT', path, body),
    get: (service: Service, key: KeyRole, path: string) => call(service, key, 'GET', path),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
