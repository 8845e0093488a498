import { CompressionTypes, Kafka, Partitioners, Producer, RetryOptions } from 'kafkajs';

export interface OutboxRow {
  id: string;
  topic: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

export const DEFAULT_PRODUCER_RETRY: RetryOptions = { retries: 5, initialRetryTime: 300, maxRetryTime: 10_000 };

/**
 * The relay's kafkajs producer. Idempotent with one request in flight, so the broker
 * drops resends within a session and a partition never sees a later row before an
 * earlier one. After a failed send the producer is discarded and a fresh one (new
 * producer id, fresh sequence numbers) is connected for the next attempt: this is how
 * the relay reconnects after the broker was unreachable.
 */
export class RelayPublisher {
  private producer: Producer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly retry: RetryOptions = DEFAULT_PRODUCER_RETRY,
  ) {}

  async send(rows: OutboxRow[]): Promise<void> {
    try {
      const producer = await this.connected();
      await producer.sendBatch({ acks: -1, compression: CompressionTypes.None, topicMessages: byTopic(rows) });
    } catch (error) {
      await this.reset();
      throw error;
    }
  }

  async reset(): Promise<void> {
    const producer = this.producer;
    this.producer = null;
    await producer?.disconnect().catch(() => undefined);
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: this.retry,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    try {
      await producer.connect();
    } catch (error) {
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
    this.producer = producer;
    return producer;
  }
}

/** Groups rows by topic, keeping each topic's rows in outbox order. */
function byTopic(rows: OutboxRow[]) {
  const topics = new Map<string, Array<{ key: string | null; value: string; headers: Record<string, string> }>>();
  for (const row of rows) {
    const messages = topics.get(row.topic) ?? [];
    messages.push({ key: row.key, value: row.value, headers: row.headers });
    topics.set(row.topic, messages);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
