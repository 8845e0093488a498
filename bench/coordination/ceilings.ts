/**
 * Ceilings measured in the same run, on the same broker and database: how fast a plain
 * kafkajs consumer group reads the very messages the pipeline consumed, and how fast
 * PostgreSQL takes plain INSERTs of the same event JSON. The pipeline cannot beat either.
 */
import { randomBytes, randomUUID as uuid } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import type { BenchMessage } from './workload';

export interface KafkaCeiling {
  messages: number;
  /** From the first batch to the last message (group join excluded). */
  seconds: number;
  messagesPerSecond: number;
  joinSeconds: number;
}

/** A fresh consumer group reads the topics from the beginning to their current end. */
export async function kafkaConsumeCeiling(kafka: Kafka, topics: string[], timeoutMs = 300_000): Promise<KafkaCeiling> {
  const admin = kafka.admin();
  await admin.connect();
  let total = 0;
  try {
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) total += Number(p.high) - Number(p.low);
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomBytes(4).toString('hex')}` });
  const t0 = Date.now();
  let first = 0;
  let seen = 0;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    const done = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`raw consumer read ${seen} of ${total} in ${timeoutMs / 1000} s`)), timeoutMs);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          first ||= Date.now();
          seen += batch.messages.length;
          if (seen >= total) {
            clearTimeout(timer);
            resolve(Date.now());
          }
        },
      });
    });
    const last = await done;
    const seconds = (last - first) / 1000;
    return { messages: seen, seconds: round(seconds), messagesPerSecond: Math.round(seen / seconds), joinSeconds: round((first - t0) / 1000) };
  } finally {
    await consumer.disconnect();
  }
}

export interface PgCeiling {
  rows: number;
  /** One INSERT statement per event, 500 per transaction, one connection: the consumer's shape. */
  perRowPerSecond: number;
  /** INSERT ... SELECT unnest(...) of 500 events per statement, one connection. */
  batchedPerSecond: number;
}

export async function pgInsertCeiling(pool: Pool, sample: BenchMessage[], rows = 20_000): Promise<PgCeiling> {
  const client = await pool.connect();
  const values = Array.from({ length: rows }, (_, i) => sample[i % sample.length].value);
  try {
    await client.query('CREATE TABLE IF NOT EXISTS public.bench_raw_insert (event_id uuid PRIMARY KEY, payload jsonb NOT NULL)');
    const perRow = await timed(async () => {
      for (let i = 0; i < rows; i += 500) {
        await client.query('BEGIN');
        for (const v of values.slice(i, i + 500)) await client.query('INSERT INTO public.bench_raw_insert (event_id, payload) VALUES ($1, $2::jsonb)', [uuid(), v]);
        await client.query('COMMIT');
      }
    });
    const batched = await timed(async () => {
      for (let i = 0; i < rows; i += 500) {
        const chunk = values.slice(i, i + 500);
        await client.query('INSERT INTO public.bench_raw_insert (event_id, payload) SELECT * FROM unnest($1::uuid[], $2::jsonb[])', [chunk.map(() => uuid()), chunk]);
      }
    });
    return { rows, perRowPerSecond: Math.round(rows / perRow), batchedPerSecond: Math.round(rows / batched) };
  } finally {
    await client.query('DROP TABLE IF EXISTS public.bench_raw_insert').catch(() => undefined);
    client.release();
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const round = (x: number) => Math.round(x * 100) / 100;
