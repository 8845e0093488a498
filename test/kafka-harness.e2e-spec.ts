/*
 * Proof that the test harness runs a real Kafka broker: 10,000 keyed messages through a
 * 12-partition topic, consumed by a consumer group of two members. Per-key order must
 * hold and nothing may be lost or duplicated.
 */
import { Consumer, Kafka, Partitioners } from 'kafkajs';
import { createTopics, testKafka, uniqueTopic } from './infra/kafka';
import { expectEventually } from './infra/expect-eventually';

// jest.config.js's per-project testTimeout is not applied by jest-circus (global option only).
jest.setTimeout(120_000);

const PARTITIONS = 12;
const MESSAGES = 10_000;
const KEYS = 250;

interface Received {
  member: string;
  partition: number;
  key: string;
  seq: number;
}

describe('Kafka test harness', () => {
  const kafka = testKafka('harness');
  const consumers: Consumer[] = [];

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect()));
  });

  it('delivers 10,000 keyed messages to a two-member consumer group in per-key order, each exactly once', async () => {
    const topic = uniqueTopic('harness');
    const groupId = `harness-${topic}`;
    await createTopics(kafka, [{ topic, numPartitions: PARTITIONS }]);
    const received: Received[] = [];
    const assignments = new Map<string, number[]>();
    for (const member of ['a', 'b']) consumers.push(await joinGroup(kafka, groupId, topic, member, received, assignments));

    // Produce only once the group is stable: each member owns a disjoint half-ish of the partitions.
    await expectEventually(() => expectStableSplit(assignments), { timeoutMs: 45_000 });
    const started = Date.now();
    await produceKeyed(kafka, topic);
    await expectEventually(() => expect(received.length).toBeGreaterThanOrEqual(MESSAGES), { timeoutMs: 45_000, intervalMs: 50 });

    const ids = new Set(received.map((r) => `${r.key}#${r.seq}`));
    expect(ids.size).toBe(MESSAGES);
    expect(received).toHaveLength(MESSAGES);
    expectPerKeyOrder(received);
    expect(new Set(received.map((r) => r.member))).toEqual(new Set(['a', 'b']));
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

async function joinGroup(
  kafka: Kafka,
  groupId: string,
  topic: string,
  member: string,
  received: Received[],
  assignments: Map<string, number[]>,
): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  consumer.on(consumer.events.GROUP_JOIN, (e) => assignments.set(member, [...(e.payload.memberAssignment[topic] ?? [])]));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        const { key, seq } = JSON.parse(m.value!.toString()) as { key: string; seq: number };
        received.push({ member, partition: batch.partition, key: m.key?.toString() === key ? key : `MISMATCH:${key}`, seq });
      }
    },
  });
  return consumer;
}

function expectStableSplit(assignments: Map<string, number[]>): void {
  const a = assignments.get('a') ?? [];
  const b = assignments.get('b') ?? [];
  expect(a.length).toBeGreaterThan(0);
  expect(b.length).toBeGreaterThan(0);
  expect([...a, ...b].sort((x, y) => x - y)).toEqual(Array.from({ length: PARTITIONS }, (_, i) => i));
}

async function produceKeyed(kafka: Kafka, topic: string): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const nextSeq = new Map<string, number>();
    for (let start = 0; start < MESSAGES; start += 1_000) {
      const messages = Array.from({ length: 1_000 }, (_, i) => {
        const key = `client-${(start + i) % KEYS}`;
        const seq = nextSeq.get(key) ?? 0;
        nextSeq.set(key, seq + 1);
        return { key, value: JSON.stringify({ key, seq }) };
      });
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Each key went to one partition, was read by one member, and arrived as 0, 1, 2, ... */
function expectPerKeyOrder(received: Received[]): void {
  const byKey = new Map<string, Received[]>();
  for (const r of received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  expect(byKey.size).toBe(KEYS);
  for (const [key, list] of byKey) {
    expect({ key, partitions: new Set(list.map((r) => r.partition)).size, members: new Set(list.map((r) => r.member)).size }).toEqual({ key, partitions: 1, members: 1 });
    expect(list.map((r) => r.seq)).toEqual(Array.from({ length: MESSAGES / KEYS }, (_, i) => i));
  }
}
