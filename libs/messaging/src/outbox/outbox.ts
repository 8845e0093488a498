import type { EntityManager } from 'typeorm';
import { qualified } from '../sql.util';

export interface OutboxMessage {
  topic: string;
  /** Kafka message key: the partitioning (and ordering) key. */
  key: string | null;
  /** The serialised message, normally JSON. */
  value: string;
  headers?: Record<string, string>;
}

// Four parameters per row; PostgreSQL accepts at most 65535 per statement.
const ROWS_PER_INSERT = 1000;

/**
 * Appends messages to `<schema>.outbox` inside the caller's transaction, so they are
 * published if and only if that transaction commits. Returns the new row ids in order.
 */
export async function enqueueOutbox(manager: EntityManager, schema: string, messages: OutboxMessage[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < messages.length; start += ROWS_PER_INSERT) {
    ids.push(...(await insertChunk(manager, schema, messages.slice(start, start + ROWS_PER_INSERT))));
  }
  return ids;
}

async function insertChunk(manager: EntityManager, schema: string, messages: OutboxMessage[]): Promise<string[]> {
  const params: unknown[] = [];
  const rows = messages.map((m) => {
    params.push(m.topic, m.key, m.value, JSON.stringify(m.headers ?? {}));
    const n = params.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n}::jsonb)`;
  });
  const inserted: Array<{ id: string }> = await manager.query(
    `INSERT INTO ${qualified(schema, 'outbox')} (topic, message_key, value, headers) VALUES ${rows.join(', ')} RETURNING id`,
    params,
  );
  return inserted.map((row) => String(row.id));
}
