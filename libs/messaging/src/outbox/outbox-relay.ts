import type { DataSource } from 'typeorm';
import type { Kafka, RetryOptions } from 'kafkajs';
import { BackoffOptions, backoffDelay, Sleeper } from '../backoff';
import { errorMessage, MessagingLog, silentLog } from '../messaging-log';
import { qualified, visibleToReaders } from '../sql.util';
import { AdvisoryLease } from './advisory-lease';
import { OutboxRow, RelayPublisher } from './relay-publisher';

export interface OutboxRelayOptions {
  dataSource: DataSource;
  /** The schema whose `outbox` table this relay drains. */
  schema: string;
  kafka: Kafka;
  batchSize?: number;
  /** Pause when the outbox is empty. */
  pollIntervalMs?: number;
  /** How often a standby instance tries to take the lock over. */
  standbyIntervalMs?: number;
  /** Waits between failed attempts (database or broker). */
  backoff?: BackoffOptions;
  /** kafkajs retry of a single send before the relay's own backoff takes over. */
  producerRetry?: RetryOptions;
  log?: MessagingLog;
}

/** `published`: a full batch went out, more may wait; `drained`: a partial one, the outbox is empty. */
type Tick = 'published' | 'drained' | 'idle' | 'standby' | 'failed';

/**
 * Publishes `<schema>.outbox` rows to Kafka in commit order (see visibleToReaders) and marks
 * them published. At-least-once: a crash between the send and the mark resends the
 * batch, which consumers absorb through deterministic event ids. Rows are never
 * dropped; while Kafka is unreachable the relay retries with capped backoff.
 */
export class OutboxRelay {
  private readonly lease: AdvisoryLease;
  private readonly publisher: RelayPublisher;
  private readonly sleeper = new Sleeper();
  private readonly log: MessagingLog;
  private loop: Promise<void> | null = null;
  private running = false;

  constructor(private readonly options: OutboxRelayOptions) {
    this.lease = new AdvisoryLease(options.dataSource, `outbox-relay:${options.schema}`);
    this.publisher = new RelayPublisher(options.kafka, options.producerRetry);
    this.log = options.log ?? silentLog;
  }

  /** Starts the polling loop in the background; returns at once. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Finishes the batch in hand, gives the lock up and disconnects. */
  async stop(): Promise<void> {
    this.running = false;
    this.sleeper.interrupt();
    await this.loop;
    this.loop = null;
    await this.lease.release();
    await this.publisher.reset();
  }

  /** True while this instance holds the relay lock for its schema. */
  get active(): boolean {
    return this.lease.held;
  }

  /** Rows not yet published (for metrics). */
  async backlog(): Promise<number> {
    const [row]: Array<{ n: string }> = await this.options.dataSource.query(
      `SELECT count(*) AS n FROM ${qualified(this.options.schema, 'outbox')} WHERE published_at IS NULL`,
    );
    return Number(row.n);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      const tick = await this.tick();
      failures = tick === 'failed' ? failures + 1 : 0;
      if (tick === 'published' || !this.running) continue;
      await this.sleeper.sleep(this.pause(tick, failures));
    }
  }

  private pause(tick: Tick, failures: number): number {
    if (tick === 'failed') return backoffDelay(failures, this.options.backoff);
    if (tick === 'standby') return this.options.standbyIntervalMs ?? 1_000;
    // After a partial batch too: polling again at once would send the few rows that arrived
    // meanwhile in a batch of their own, costing the database and the broker a round per handful.
    return this.options.pollIntervalMs ?? 200;
  }

  private async tick(): Promise<Tick> {
    let rows: OutboxRow[];
    try {
      if (!(await this.lease.tryAcquire())) return 'standby';
      rows = await this.nextBatch();
    } catch (error) {
      this.log('warn', 'outbox relay: database unavailable', { schema: this.options.schema, error: errorMessage(error) });
      return 'failed';
    }
    if (rows.length === 0) return 'idle';
    return this.publish(rows);
  }

  private async publish(rows: OutboxRow[]): Promise<Tick> {
    const ids = rows.map((row) => row.id);
    try {
      await this.publisher.send(rows);
    } catch (error) {
      this.log('warn', 'outbox relay: publish failed, will retry', { schema: this.options.schema, rows: ids.length, error: errorMessage(error) });
      await this.markFailed(ids, errorMessage(error));
      return 'failed';
    }
    try {
      await this.lease.query(`UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::bigint[])`, [ids]);
      return ids.length >= this.batchSize ? 'published' : 'drained';
    } catch (error) {
      this.log('warn', 'outbox relay: published but not marked, batch will be resent', { schema: this.options.schema, error: errorMessage(error) });
      return 'failed';
    }
  }

  private async markFailed(ids: string[], message: string): Promise<void> {
    await this.lease
      .query(`UPDATE ${this.table} SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])`, [ids, message.slice(0, 2000)])
      .catch(() => undefined);
  }

  private async nextBatch(): Promise<OutboxRow[]> {
    return this.lease.query<OutboxRow[]>(
      // Columns are qualified: ORDER BY would otherwise sort by the text alias of id.
      `SELECT o.id::text AS id, o.topic, o.message_key AS key, o.value, o.headers FROM ${this.table} o
        WHERE o.published_at IS NULL AND ${visibleToReaders('o')}
        ORDER BY o.tx_id, o.id LIMIT $1`,
      [this.batchSize],
    );
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 200;
  }

  private get table(): string {
    return qualified(this.options.schema, 'outbox');
  }
}
