import type { DataSource, EntityManager } from 'typeorm';
import { recordDeadLetter } from '../dead-letters/record-dead-letter';
import { qualified } from '../sql.util';
import { batchHooksOf, DeadLetterPolicy, InboundMessage, isBatchYield, isPoison, isUndoingOwnWrites, MessageHandler, PoisonMessageError } from './inbound.types';
import { comparePositions, LogPosition } from './log-position';

/** One message of a batch and the position just after it. */
export interface LogEntry {
  message: InboundMessage;
  next: LogPosition;
  /** Outbox schema the message was read from (embedded mode); null for Kafka. */
  sourceSchema: string | null;
}

/** The checkpoint a batch advances: one row of `consumer_offsets`. */
export interface CheckpointKey {
  groupId: string;
  topic: string;
  partition: number;
}

export interface BatchOutcome {
  applied: number;
  deadLettered: number;
  skipped: number;
  /** Position stored by this batch, or null when it consumed nothing new. */
  next: LogPosition | null;
  /**
   * The entries not applied because one of them yielded (BatchYield), starting with it: the
   * messages before it committed, and the caller applies these next, in a new transaction.
   */
  rest: LogEntry[];
}

export type LoadEntries = (manager: EntityManager, stored: LogPosition | null) => Promise<LogEntry[]>;

/**
 * The consuming core shared by the Kafka and the PostgreSQL-log transports: a batch is
 * applied and its offset stored in ONE transaction, each message inside a savepoint so
 * a poison message is undone alone and dead-lettered while the batch carries on.
 */
export class BatchCore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly schema: string,
    private readonly dlq: DeadLetterPolicy = {},
  ) {}

  /**
   * Locks the checkpoint (so a zombie instance after a rebalance waits, then skips what
   * was applied meanwhile), loads the entries, applies those after the stored position.
   */
  async run(key: CheckpointKey, handler: MessageHandler, load: LoadEntries, afterEach?: () => Promise<void>): Promise<BatchOutcome> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [this.lockName(key)]);
      const stored = await this.readPosition(key, manager);
      const outcome: BatchOutcome = { applied: 0, deadLettered: 0, skipped: 0, next: null, rest: [] };
      const entries = await load(manager, stored);
      const fresh = stored ? entries.filter((entry) => comparePositions(entry.next, stored) > 0) : entries;
      outcome.skipped = entries.length - fresh.length;
      const hooks = batchHooksOf(handler);
      if (hooks && fresh.length > 0) await hooks.prepare(fresh.map((entry) => entry.message), manager);
      for (const [i, entry] of fresh.entries()) {
        const applied = await this.applyOne(manager, key.groupId, entry, handler, i > 0);
        if (applied === 'yielded') {
          outcome.rest = fresh.slice(i);
          break;
        }
        outcome[applied ? 'applied' : 'deadLettered'] += 1;
        outcome.next = entry.next;
        await afterEach?.();
      }
      if (hooks && fresh.length > 0) await hooks.finish(manager);
      if (outcome.next) await this.savePosition(manager, key, outcome.next);
      return outcome;
    });
  }

  async readPosition(key: CheckpointKey, manager: EntityManager = this.dataSource.manager): Promise<LogPosition | null> {
    const [row]: Array<{ next_offset: string; next_tx_id: string | null }> = await manager.query(
      `SELECT next_offset::text AS next_offset, next_tx_id::text AS next_tx_id FROM ${qualified(this.schema, 'consumer_offsets')}
        WHERE group_id = $1 AND topic = $2 AND "partition" = $3`,
      [key.groupId, key.topic, key.partition],
    );
    return row ? { offset: row.next_offset, txId: row.next_tx_id } : null;
  }

  /** Every stored position of a group for the given checkpoint topics (for lag). */
  async positions(groupId: string, topics: string[]): Promise<Array<CheckpointKey & LogPosition>> {
    const rows: Array<{ topic: string; partition: number; next_offset: string; next_tx_id: string | null }> = await this.dataSource.query(
      `SELECT topic, "partition", next_offset::text AS next_offset, next_tx_id::text AS next_tx_id
         FROM ${qualified(this.schema, 'consumer_offsets')} WHERE group_id = $1 AND topic = ANY($2::text[])`,
      [groupId, topics],
    );
    return rows.map((r) => ({ groupId, topic: r.topic, partition: r.partition, offset: r.next_offset, txId: r.next_tx_id }));
  }

  /** True when applied, false when dead-lettered, 'yielded' when it must go first in a new transaction; transient errors propagate. */
  private async applyOne(manager: EntityManager, groupId: string, entry: LogEntry, handler: MessageHandler, mayYield: boolean): Promise<boolean | 'yielded'> {
    // A handler that undoes its own writes on poison needs no savepoint around it.
    const savepoint = !isUndoingOwnWrites(handler);
    if (savepoint) await manager.query('SAVEPOINT inbound_message');
    try {
      assertJson(entry.message.value);
      await handler(entry.message, manager);
      if (savepoint) await manager.query('RELEASE SAVEPOINT inbound_message');
      return true;
    } catch (error) {
      const yielded = mayYield && isBatchYield(error);
      if (!isPoison(error) && !yielded) throw error;
      if (savepoint) {
        await manager.query('ROLLBACK TO SAVEPOINT inbound_message');
        await manager.query('RELEASE SAVEPOINT inbound_message');
      }
      if (yielded) return 'yielded';
      const { reason, code } = error as PoisonMessageError;
      await recordDeadLetter(manager, this.schema, { groupId, message: entry.message, reason, code, sourceSchema: entry.sourceSchema }, this.dlq);
      return false;
    }
  }

  private async savePosition(manager: EntityManager, key: CheckpointKey, next: LogPosition): Promise<void> {
    await manager.query(
      `INSERT INTO ${qualified(this.schema, 'consumer_offsets')} (group_id, topic, "partition", next_offset, next_tx_id)
       VALUES ($1, $2, $3, $4, $5::xid8)
       ON CONFLICT (group_id, topic, "partition")
       DO UPDATE SET next_offset = EXCLUDED.next_offset, next_tx_id = EXCLUDED.next_tx_id, updated_at = now()`,
      [key.groupId, key.topic, key.partition, next.offset, next.txId],
    );
  }

  private lockName(key: CheckpointKey): string {
    return `consumer:${this.schema}:${key.groupId}:${key.topic}:${key.partition}`;
  }
}

function assertJson(value: string): void {
  try {
    JSON.parse(value);
  } catch (error) {
    throw new PoisonMessageError(`value is not valid JSON: ${(error as Error).message}`, 'INVALID_JSON');
  }
}
