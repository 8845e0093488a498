import type { DataSource, EntityManager } from 'typeorm';
import { BackoffOptions, backoffDelay, Sleeper } from '../backoff';
import { errorMessage, MessagingLog, silentLog } from '../messaging-log';
import { qualified, visibleToReaders } from '../sql.util';
import { BatchCore, CheckpointKey, LogEntry } from './batch-core';
import { DeadLetterPolicy, InboundTransport, MessageHandler, PartitionLag } from './inbound.types';
import { followingOffset, LogPosition } from './log-position';

/** One subsidiary's outbox read as the log of one topic. */
export interface PostgresLogSource {
  schema: string;
  topic: string;
}

export interface PostgresLogInboundTransportOptions {
  dataSource: DataSource;
  sources: PostgresLogSource[];
  /** Schema holding consumer_offsets, dead_letters and the outbox (consumerMigrations). */
  consumerSchema: string;
  /** Names the checkpoints, like a Kafka consumer group. Default `coordination`. */
  groupId?: string;
  pollMs?: number;
  batchSize?: number;
  /** Embedded mode has no broker: pass `{ publish: false }` to keep DLQ rows out of the outbox. */
  dlq?: DeadLetterPolicy;
  backoff?: BackoffOptions;
  log?: MessagingLog;
}

interface OutboxLogRow {
  id: string;
  tx_id: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
  ts: string;
}

/**
 * Embedded mode: reads other services' outbox tables directly, in commit order, as
 * single-partition logs (partition 0, offset = outbox row id) and applies them through
 * the same BatchCore as the Kafka transport, so handlers see no difference.
 */
export class PostgresLogInboundTransport implements InboundTransport {
  private readonly core: BatchCore;
  private readonly log: MessagingLog;
  private readonly groupId: string;
  private readonly sleeper = new Sleeper();
  private readonly failures = new Map<PostgresLogSource, { count: number; retryAt: number }>();
  private loop: Promise<void> | null = null;
  private running = false;

  constructor(private readonly options: PostgresLogInboundTransportOptions) {
    this.core = new BatchCore(options.dataSource, options.consumerSchema, options.dlq);
    this.log = options.log ?? silentLog;
    this.groupId = options.groupId ?? 'coordination';
  }

  async start(handler: MessageHandler): Promise<void> {
    if (this.running) throw new Error('PostgresLogInboundTransport already started');
    this.running = true;
    this.loop = this.run(handler);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.interrupt();
    await this.loop;
    this.loop = null;
  }

  async lag(): Promise<PartitionLag[]> {
    const lags: PartitionLag[] = [];
    for (const source of this.options.sources) {
      const next = (await this.core.readPosition(this.checkpoint(source))) ?? START;
      const [row]: Array<{ n: string }> = await this.options.dataSource.query(
        `SELECT count(*) AS n FROM ${qualified(source.schema, 'outbox')} WHERE topic = $1 AND (tx_id, id) >= ($2::xid8, $3::bigint)`,
        [source.topic, next.txId, next.offset],
      );
      lags.push({ topic: source.topic, partition: 0, lag: Number(row.n) });
    }
    return lags;
  }

  private async run(handler: MessageHandler): Promise<void> {
    while (this.running) {
      let consumed = 0;
      for (const source of this.options.sources) {
        if (!this.running) break;
        consumed += await this.pollSource(source, handler);
      }
      if (consumed === 0 && this.running) await this.sleeper.sleep(this.options.pollMs ?? 200);
    }
  }

  /** Applies one batch of a source; a failure only delays that source. */
  private async pollSource(source: PostgresLogSource, handler: MessageHandler): Promise<number> {
    const failure = this.failures.get(source);
    if (failure && Date.now() < failure.retryAt) return 0;
    try {
      const outcome = await this.core.run(this.checkpoint(source), handler, (manager, stored) => this.read(manager, source, stored));
      this.failures.delete(source);
      return outcome.applied + outcome.deadLettered;
    } catch (error) {
      const count = (failure?.count ?? 0) + 1;
      this.failures.set(source, { count, retryAt: Date.now() + backoffDelay(count, this.options.backoff) });
      this.log('warn', 'inbound batch failed, will retry', { ...source, failures: count, error: errorMessage(error) });
      return 0;
    }
  }

  private async read(manager: EntityManager, source: PostgresLogSource, stored: LogPosition | null): Promise<LogEntry[]> {
    const from = stored ?? START;
    const rows: OutboxLogRow[] = await manager.query(
      // Columns are qualified: ORDER BY would otherwise sort by the text aliases.
      `SELECT o.id::text AS id, o.tx_id::text AS tx_id, o.message_key AS key, o.value, o.headers,
              (extract(epoch FROM o.created_at) * 1000)::bigint::text AS ts
         FROM ${qualified(source.schema, 'outbox')} o
        WHERE o.topic = $1 AND (o.tx_id, o.id) >= ($2::xid8, $3::bigint) AND ${visibleToReaders('o')}
        ORDER BY o.tx_id, o.id LIMIT $4`,
      [source.topic, from.txId, from.offset, this.options.batchSize ?? 100],
    );
    return rows.map((row) => ({
      message: { topic: source.topic, partition: 0, offset: row.id, key: row.key, value: row.value, headers: row.headers, timestamp: row.ts },
      next: { txId: row.tx_id, offset: followingOffset(row.id) },
      sourceSchema: source.schema,
    }));
  }

  /** Checkpoints are per source outbox: the same topic could be read from two schemas. */
  private checkpoint(source: PostgresLogSource): CheckpointKey {
    return { groupId: this.groupId, topic: `pglog:${source.schema}:${source.topic}`, partition: 0 };
  }
}

const START: LogPosition = { txId: '0', offset: '0' };
