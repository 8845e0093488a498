import type { DataSource } from 'typeorm';
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka } from 'kafkajs';
import { BackoffOptions, backoffDelay, Sleeper } from '../backoff';
import { errorMessage, MessagingLog, silentLog } from '../messaging-log';
import { BatchCore, CheckpointKey, LogEntry } from './batch-core';
import { DeadLetterPolicy, InboundTransport, MessageHandler, PartitionLag } from './inbound.types';
import { toInboundMessage } from './kafka-message.util';
import { followingOffset } from './log-position';

export interface KafkaInboundTransportOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  dataSource: DataSource;
  /** Schema holding consumer_offsets, dead_letters and the outbox (consumerMigrations). */
  schema: string;
  dlq?: DeadLetterPolicy;
  /** Wait between retries of a batch that failed with a transient error. */
  backoff?: BackoffOptions;
  /** Extra kafkajs consumer settings (session timeout, fetch sizes...). */
  consumer?: Omit<ConsumerConfig, 'groupId'>;
  partitionsConsumedConcurrently?: number;
  /**
   * Messages applied per transaction at most (default: the whole fetched batch). A batch is
   * applied in slices of this size, each with its offset; locks a handler takes are then held
   * for one slice, not for a whole fetch (which can be thousands of messages after a backlog).
   */
  maxMessagesPerTransaction?: number;
  log?: MessagingLog;
}

type BatchPayload = Pick<EachBatchPayload, 'batch' | 'resolveOffset' | 'heartbeat' | 'commitOffsetsIfNecessary' | 'isRunning' | 'isStale'>;

/**
 * Consumes with a kafkajs consumer group, but the offsets that count are the ones in
 * PostgreSQL, stored in the same transaction as the handler's effects. Kafka's own
 * committed offsets are written afterwards, best effort, only for lag tooling; the first
 * batch of each partition after an assignment is checked against PostgreSQL and the
 * partition re-sought when Kafka's position differs.
 */
export class KafkaInboundTransport implements InboundTransport {
  private readonly core: BatchCore;
  private readonly log: MessagingLog;
  private readonly sleeper = new Sleeper();
  /** Partitions checked against PostgreSQL since the last assignment, with the offset sought. */
  private readonly checked = new Map<string, string | null>();
  private readonly failures = new Map<string, number>();
  private consumer: Consumer | null = null;
  private stopping = false;

  constructor(private readonly options: KafkaInboundTransportOptions) {
    this.core = new BatchCore(options.dataSource, options.schema, options.dlq);
    this.log = options.log ?? silentLog;
  }

  async start(handler: MessageHandler): Promise<void> {
    if (this.consumer) throw new Error('KafkaInboundTransport already started');
    const { kafka, groupId, topics } = this.options;
    const consumer = kafka.consumer({ ...this.options.consumer, groupId });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.checked.clear();
      void this.seekAssigned(event.payload.memberAssignment);
    });
    this.stopping = false;
    this.consumer = consumer;
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.onBatch(payload, handler),
      });
    } catch (error) {
      await this.stop().catch(() => undefined);
      throw error;
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.interrupt();
    const consumer = this.consumer;
    this.consumer = null;
    await consumer?.disconnect();
  }

  /** Messages on the broker not yet applied, per partition (high watermark minus stored offset). */
  async lag(): Promise<PartitionLag[]> {
    const { kafka, groupId, topics } = this.options;
    const stored = await this.core.positions(groupId, topics);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const lags: PartitionLag[] = [];
      for (const topic of topics) {
        const partitions = (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition);
        for (const p of partitions) {
          const next = stored.find((s) => s.topic === topic && s.partition === p.partition)?.offset ?? p.low;
          lags.push({ topic, partition: p.partition, lag: Math.max(0, Number(BigInt(p.high) - BigInt(next))) });
        }
      }
      return lags;
    } finally {
      await admin.disconnect();
    }
  }

  private async onBatch(payload: BatchPayload, handler: MessageHandler): Promise<void> {
    const { batch } = payload;
    if (batch.messages.length === 0 || payload.isStale()) return;
    const key: CheckpointKey = { groupId: this.options.groupId, topic: batch.topic, partition: batch.partition };
    try {
      if (await this.seekToStored(key, batch.messages[0].offset)) return;
      const entries: LogEntry[] = batch.messages.map((m) => ({
        message: toInboundMessage(batch.topic, batch.partition, m),
        next: { txId: null, offset: followingOffset(m.offset) },
        sourceSchema: null,
      }));
      // A failed heartbeat (rebalance) must not undo a good batch: the checkpoint lock
      // already keeps a revoked consumer from applying anything twice.
      // A message that yields (BatchYield) goes first in the next transaction, after the ones before it committed.
      // A batch goes in slices of at most maxMessagesPerTransaction, each committed with its offset.
      const slice = this.options.maxMessagesPerTransaction ?? Number.POSITIVE_INFINITY;
      for (let pending = entries; pending.length > 0;) {
        const taken = pending.slice(0, slice);
        const { rest } = await this.core.run(key, handler, async () => taken, () => payload.heartbeat().catch(() => undefined));
        pending = [...rest, ...pending.slice(taken.length)];
        if (pending.length > 0 && (payload.isStale() || !payload.isRunning())) return;
      }
      this.failures.delete(partitionId(key));
      await this.acknowledge(payload, batch.messages[batch.messages.length - 1].offset);
    } catch (error) {
      await this.backOff(key, error, payload);
    }
  }

  /**
   * On assignment, moves each partition to the offset stored in PostgreSQL. Needed when
   * Kafka's committed offset is ahead (no batch would ever arrive to check); the check
   * on the first batch below covers a fetch that raced this asynchronous seek.
   */
  private async seekAssigned(assignment: Record<string, number[]>): Promise<void> {
    try {
      for (const stored of await this.core.positions(this.options.groupId, Object.keys(assignment))) {
        if (!assignment[stored.topic]?.includes(stored.partition)) continue;
        this.consumer?.seek({ topic: stored.topic, partition: stored.partition, offset: stored.offset });
      }
    } catch (error) {
      this.log('warn', 'seek to stored offsets on assignment failed; the first batch will be checked', { error: errorMessage(error) });
    }
  }

  /**
   * On the first batch after an assignment, moves the partition to the offset stored in
   * PostgreSQL if Kafka's position differs (its commit lags the database, or ran ahead
   * of a restored database). A second mismatch at the same offset means the log no
   * longer starts there (retention), and the batch is accepted as it is.
   */
  private async seekToStored(key: CheckpointKey, firstOffset: string): Promise<boolean> {
    const id = partitionId(key);
    if (this.checked.has(id) && this.checked.get(id) === null) return false;
    const stored = await this.core.readPosition(key);
    const target = stored?.offset ?? null;
    if (target === null || target === firstOffset || this.checked.get(id) === target) {
      this.checked.set(id, null);
      return false;
    }
    this.checked.set(id, target);
    this.consumer?.seek({ topic: key.topic, partition: key.partition, offset: target });
    return true;
  }

  private async acknowledge(payload: BatchPayload, lastOffset: string): Promise<void> {
    const { topic, partition } = payload.batch;
    payload.resolveOffset(lastOffset);
    await payload
      .commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: followingOffset(lastOffset) }] }] })
      .catch((error) => this.log('debug', 'kafka offset commit failed (database offset is authoritative)', { topic, partition, error: errorMessage(error) }));
  }

  /** Waits, heart-beating, before the unresolved batch is fetched again. */
  private async backOff(key: CheckpointKey, error: unknown, payload: BatchPayload): Promise<void> {
    const id = partitionId(key);
    const failures = (this.failures.get(id) ?? 0) + 1;
    this.failures.set(id, failures);
    this.log('warn', 'inbound batch failed, will retry', { ...key, failures, error: errorMessage(error) });
    const until = Date.now() + backoffDelay(failures, this.options.backoff);
    while (!this.stopping && payload.isRunning() && !payload.isStale() && Date.now() < until) {
      await this.sleeper.sleep(Math.min(1_000, until - Date.now()));
      await payload.heartbeat().catch(() => undefined);
    }
  }
}

function partitionId({ topic, partition }: CheckpointKey): string {
  return `${topic}|${partition}`;
}
