/* Test helpers for the messaging integration specs (real PostgreSQL, real Kafka). */
import { Kafka, KafkaMessage, Partitioners } from 'kafkajs';
import { DataSource } from 'typeorm';
import { BatchYield, InboundMessage, MessageHandler, MigrationClass, PoisonMessageError } from '@lib/messaging';
import type { EntityManager } from 'typeorm';
import { expectEventually } from '../../../test/infra/expect-eventually';

export async function openDataSource(url: string, migrations: MigrationClass[], poolSize = 10): Promise<DataSource> {
  const dataSource = new DataSource({ type: 'postgres', url, migrations, poolSize, logging: false });
  await dataSource.initialize();
  await dataSource.runMigrations();
  return dataSource;
}

/** A table where the test handler leaves one row per application of a message (no unique key: doubles would show). */
export async function createEffectsTable(dataSource: DataSource, schema: string): Promise<void> {
  await dataSource.query(`CREATE TABLE "${schema}".effects (
    id bigserial PRIMARY KEY, topic text NOT NULL, "partition" int NOT NULL, "offset" bigint NOT NULL, "key" text, value text NOT NULL,
    tx bigint NOT NULL DEFAULT txid_current())`);
}

export interface Effect {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
}

export async function effects(dataSource: DataSource, schema: string): Promise<Effect[]> {
  return dataSource.query(
    `SELECT topic, "partition", "offset"::text AS "offset", "key", value FROM "${schema}".effects ORDER BY id`,
  );
}

export interface HandlerBehaviour {
  /** Rejected as poison after writing its effect (the savepoint must undo it). */
  poison?: (message: InboundMessage) => boolean;
  /** Fails transiently after writing its effect (the whole batch must be undone). */
  crash?: (message: InboundMessage) => boolean;
  /** Yields (BatchYield) after writing its effect, told whether it is the first message of its transaction. */
  yieldIf?: (message: InboundMessage, firstInTransaction: boolean) => boolean;
}

/** A handler that writes an effect row, records every call, and misbehaves on demand. */
export function effectsHandler(schema: string, behaviour: HandlerBehaviour = {}): { handler: MessageHandler; calls: InboundMessage[] } {
  const calls: InboundMessage[] = [];
  const seen = new WeakMap<EntityManager, number>();
  const handler: MessageHandler = async (message, manager) => {
    calls.push(message);
    const before = seen.get(manager) ?? 0;
    seen.set(manager, before + 1);
    await manager.query(`INSERT INTO "${schema}".effects (topic, "partition", "offset", "key", value) VALUES ($1, $2, $3, $4, $5)`, [
      message.topic,
      message.partition,
      message.offset,
      message.key,
      message.value,
    ]);
    if (behaviour.poison?.(message)) throw new PoisonMessageError(`payload rejected at offset ${message.offset}`, 'BAD_PAYLOAD');
    if (behaviour.crash?.(message)) throw new Error(`simulated crash at offset ${message.offset}`);
    if (behaviour.yieldIf?.(message, before === 0)) throw new BatchYield(`lock taken at offset ${message.offset}`);
  };
  return { handler, calls };
}

export async function storedOffset(dataSource: DataSource, schema: string, groupId: string, topic: string, partition = 0): Promise<string | null> {
  const [row] = await dataSource.query(
    `SELECT next_offset::text AS n FROM "${schema}".consumer_offsets WHERE group_id = $1 AND topic = $2 AND "partition" = $3`,
    [groupId, topic, partition],
  );
  return row ? row.n : null;
}

export async function produce(kafka: Kafka, topic: string, messages: Array<{ key: string | null; value: string; partition?: number }>): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning until `count` messages arrived, then checks the
 * broker holds exactly that many (so an extra, duplicated message fails the test).
 */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const received: ReadMessage[] = [];
  const consumer = kafka.consumer({ groupId: `reader-${topic}-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void received.push(toRead(partition, message)) });
    await expectEventually(() => expect(received.length).toBeGreaterThanOrEqual(count), { timeoutMs });
  } finally {
    await consumer.disconnect();
  }
  expect(await topicSize(kafka, topic)).toBe(count);
  return received.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}

export async function topicSize(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

function toRead(partition: number, message: KafkaMessage): ReadMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = value.toString();
  return { partition, offset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? '', headers };
}
