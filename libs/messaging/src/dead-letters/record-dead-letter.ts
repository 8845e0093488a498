import type { EntityManager } from 'typeorm';
import { enqueueOutbox } from '../outbox/outbox';
import { qualified } from '../sql.util';
import type { DeadLetterPolicy, InboundMessage } from '../inbound/inbound.types';
import { DLQ_HEADERS } from './dead-letter.types';

export interface DeadLetterEntry {
  groupId: string;
  message: InboundMessage;
  reason: string;
  code: string;
  sourceSchema: string | null;
}

/**
 * Stores a message the handler gave up on and, in the same transaction as the
 * consumer's offset, enqueues it to `<topic>.dlq`: the dead letter is published if
 * and only if the partition moves past it.
 */
export async function recordDeadLetter(
  manager: EntityManager,
  schema: string,
  entry: DeadLetterEntry,
  policy: DeadLetterPolicy = {},
): Promise<void> {
  const { message: m } = entry;
  await manager.query(
    `INSERT INTO ${qualified(schema, 'dead_letters')}
       (group_id, topic, "partition", "offset", "key", value, headers, reason, code, source_schema)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10)`,
    [entry.groupId, m.topic, m.partition, m.offset, m.key, m.value, JSON.stringify(m.headers), entry.reason, entry.code, entry.sourceSchema],
  );
  if (policy.publish === false) return;
  await enqueueOutbox(manager, schema, [
    { topic: `${m.topic}${policy.suffix ?? '.dlq'}`, key: m.key, value: m.value, headers: dlqHeaders(entry) },
  ]);
}

function dlqHeaders({ message: m, reason, code }: DeadLetterEntry): Record<string, string> {
  return {
    ...m.headers,
    [DLQ_HEADERS.reason]: reason.slice(0, 1000),
    [DLQ_HEADERS.code]: code,
    [DLQ_HEADERS.topic]: m.topic,
    [DLQ_HEADERS.partition]: String(m.partition),
    [DLQ_HEADERS.offset]: m.offset,
  };
}
