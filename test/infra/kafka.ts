import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export function testBrokers(): string[] {
  const brokers = process.env.TEST_KAFKA_BROKERS ?? process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('TEST_KAFKA_BROKERS is not set: run the test through jest (globalSetup) or set KAFKA_BROKERS');
  return brokers.split(',');
}

export function testKafka(clientId = 'test'): Kafka {
  return new Kafka({ clientId, brokers: testBrokers(), logLevel: logLevel.NOTHING });
}

/** A topic name no other test uses. */
export function uniqueTopic(base: string): string {
  return `${base}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

export async function createTopics(kafka: Kafka, topics: Array<{ topic: string; numPartitions?: number }>): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: topics.map((t) => ({ numPartitions: 1, replicationFactor: 1, ...t })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
