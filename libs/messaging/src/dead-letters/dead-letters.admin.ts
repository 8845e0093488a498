import type { EntityManager } from 'typeorm';
import { enqueueOutbox } from '../outbox/outbox';
import { qualified } from '../sql.util';
import { DeadLetter, DeadLetterError, DeadLetterStatus, DLQ_HEADERS } from './dead-letter.types';

export interface DeadLetterFilter {
  status?: DeadLetterStatus;
  topic?: string;
  /** Page size, newest first; default 50, at most 500. */
  limit?: number;
  /** Keyset pagination: only dead letters with an id below this one. */
  beforeId?: string;
}

const COLUMNS = `id::text AS id, group_id, topic, "partition", "offset"::text AS "offset", "key", value, headers,
  reason, code, source_schema, status, created_at, resolved_at, resolved_by`;

export async function listDeadLetters(manager: EntityManager, schema: string, filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const rows: DeadLetterRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM ${qualified(schema, 'dead_letters')}
      WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR topic = $2) AND ($3::bigint IS NULL OR id < $3)
      ORDER BY id DESC LIMIT $4`,
    [filter.status ?? null, filter.topic ?? null, filter.beforeId ?? null, limit],
  );
  return rows.map(toDeadLetter);
}

export async function getDeadLetter(manager: EntityManager, schema: string, id: string): Promise<DeadLetter | null> {
  const [row]: DeadLetterRow[] = await manager.query(`SELECT ${COLUMNS} FROM ${qualified(schema, 'dead_letters')} WHERE id = $1`, [id]);
  return row ? toDeadLetter(row) : null;
}

/**
 * Puts the original message back on its topic through an outbox, so it is consumed
 * again like any other message (a retry after a fix). In embedded mode it goes back into
 * the outbox it was read from; with Kafka into this schema's outbox, whose relay
 * publishes it with the original key (hence to the original partition).
 * Call inside a transaction.
 */
export async function retryDeadLetter(manager: EntityManager, schema: string, id: string, resolvedBy: string): Promise<DeadLetter> {
  const letter = await lockOpen(manager, schema, id);
  await enqueueOutbox(manager, letter.sourceSchema ?? schema, [
    { topic: letter.topic, key: letter.key, value: letter.value, headers: { ...letter.headers, [DLQ_HEADERS.retryOf]: letter.id } },
  ]);
  return resolve(manager, schema, id, 'retried', resolvedBy);
}

export async function discardDeadLetter(manager: EntityManager, schema: string, id: string, resolvedBy: string): Promise<DeadLetter> {
  await lockOpen(manager, schema, id);
  return resolve(manager, schema, id, 'discarded', resolvedBy);
}

async function lockOpen(manager: EntityManager, schema: string, id: string): Promise<DeadLetter> {
  const [row]: DeadLetterRow[] = await manager.query(
    `SELECT ${COLUMNS} FROM ${qualified(schema, 'dead_letters')} WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw new DeadLetterError('DEAD_LETTER_NOT_FOUND', `dead letter ${id} does not exist`);
  if (row.status !== 'open') throw new DeadLetterError('DEAD_LETTER_NOT_OPEN', `dead letter ${id} is already ${row.status}`);
  return toDeadLetter(row);
}

async function resolve(manager: EntityManager, schema: string, id: string, status: DeadLetterStatus, by: string): Promise<DeadLetter> {
  const [rows]: [DeadLetterRow[], number] = await manager.query(
    `UPDATE ${qualified(schema, 'dead_letters')} SET status = $2, resolved_at = now(), resolved_by = $3
      WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, status, by],
  );
  return toDeadLetter(rows[0]);
}

interface DeadLetterRow {
  id: string;
  group_id: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
  reason: string;
  code: string;
  source_schema: string | null;
  status: DeadLetterStatus;
  created_at: Date;
  resolved_at: Date | null;
  resolved_by: string | null;
}

function toDeadLetter(row: DeadLetterRow): DeadLetter {
  return {
    id: row.id,
    groupId: row.group_id,
    topic: row.topic,
    partition: row.partition,
    offset: row.offset,
    key: row.key,
    value: row.value,
    headers: row.headers,
    reason: row.reason,
    code: row.code,
    sourceSchema: row.source_schema,
    status: row.status,
    createdAt: row.created_at,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
  };
}
