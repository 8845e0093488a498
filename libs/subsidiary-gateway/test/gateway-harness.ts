import type { Subsidiary } from '@lib/contracts';
import { ApiKeyStore, type Role } from '@lib/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Kafka, logLevel, type Consumer, type KafkaMessage } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createSubsidiaryApp, gatewaySchema, KafkaRuntime, type Clock } from '../src';
import { createTestDatabase, type TestDatabase } from '../../../test/infra/postgres';

export const HMAC_KEY = 'integration-test-identity-hmac-key-0123456789';

export interface GatewayHarness {
  sub: Subsidiary;
  app: NestFastifyApplication;
  dataSource: DataSource;
  db: TestDatabase;
  prefix: string;
  keys: Record<'own' | 'other' | 'auditor', string>;
  /** Rows in this service's outbox (any topic). */
  outboxCount(): Promise<number>;
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Brokers, or null for embedded mode (no relay, no consumer). */
  brokers: string | null;
  env?: Record<string, string>;
  clock?: Clock;
}

const OTHER: Record<Subsidiary, Subsidiary> = { life: 'pnc', pnc: 'group', group: 'life' };

/** A real subsidiary service on its own database, with API keys for its own and another subsidiary. */
export async function startGateway(sub: Subsidiary, options: HarnessOptions): Promise<GatewayHarness> {
  const db = await createTestDatabase(`gw_${sub}`);
  const prefix = `t${Date.now().toString(36)}${randomBytes(3).toString('hex')}.`;
  const env: Record<string, string> = {
    NODE_ENV: 'test', DATABASE_URL: db.url, LOG_LEVEL: 'silent', TOPIC_PREFIX: prefix, IDENTITY_HMAC_KEY: HMAC_KEY,
    KAFKA_TOPIC_PARTITIONS: '3', OUTBOX_POLL_MS: '20', DATABASE_POOL_SIZE: '8', RATE_LIMIT_PER_MINUTE: '100000',
    ...(options.brokers ? { KAFKA_BROKERS: options.brokers } : {}),
    ...options.env,
  };
  const cataloguePath = join(__dirname, '..', '..', '..', 'apps', sub, 'catalogue.json');
  const { app } = await createSubsidiaryApp(sub, { env, cataloguePath, clock: options.clock });
  await app.init();
  const dataSource = app.get(DataSource);
  const store = new ApiKeyStore(dataSource, { cacheTtlMs: 60_000 });
  const key = async (role: Role) => (await store.create({ name: `test-${role}`, role, createdBy: 'test' })).key;
  const schema = gatewaySchema(sub);
  const count = async (table: string) => Number((await dataSource.query(`SELECT count(*) AS n FROM "${schema}".${table}`))[0].n);
  return {
    sub, app, dataSource, db, prefix,
    keys: { own: await key(`subsidiary:${sub}`), other: await key(`subsidiary:${OTHER[sub]}`), auditor: await key('auditor') },
    outboxCount: () => count('outbox'),
    count,
    close: async () => {
      await app.close();
      await db.drop();
    },
  };
}

export function relayOf(h: GatewayHarness): KafkaRuntime {
  return h.app.get(KafkaRuntime);
}

export interface TopicReader {
  messages: KafkaMessage[];
  values(): Array<Record<string, any>>;
  stop(): Promise<void>;
}

/** Reads a topic from the beginning into memory with its own consumer group. */
export async function readTopic(brokers: string, topic: string): Promise<TopicReader> {
  const kafka = new Kafka({ clientId: 'test-reader', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer: Consumer = kafka.consumer({ groupId: `reader-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100 });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void messages.push(message) });
  return {
    messages,
    values: () => messages.map((m) => JSON.parse(m.value!.toString())),
    stop: () => consumer.disconnect(),
  };
}

export const header = (message: KafkaMessage, name: string): string | undefined => message.headers?.[name]?.toString();
