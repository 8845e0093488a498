import { DataSource } from 'typeorm';
import {
  consumerMigrations,
  DLQ_HEADERS,
  discardDeadLetter,
  KafkaInboundTransport,
  listDeadLetters,
  MessageHandler,
  OutboxRelay,
  retryDeadLetter,
} from '@lib/messaging';
import { createTestDatabase, TestDatabase } from '../../../../test/infra/postgres';
import { createTopics, testKafka, uniqueTopic } from '../../../../test/infra/kafka';
import { expectEventually } from '../../../../test/infra/expect-eventually';
import { createEffectsTable, effects, effectsHandler, openDataSource, produce, readTopic, storedOffset } from '../../test/messaging-fixtures';

// jest.config.js's per-project testTimeout is not applied by jest-circus (global option only).
jest.setTimeout(120_000);

const SCHEMA = 'coord';
const kafka = testKafka('kafka-transport-spec');
let db: TestDatabase;
let dataSource: DataSource;
const running: Array<{ stop(): Promise<void> }> = [];

beforeAll(async () => {
  db = await createTestDatabase('messaging_kafka_in');
  dataSource = await openDataSource(db.url, consumerMigrations(SCHEMA));
  await createEffectsTable(dataSource, SCHEMA);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

async function startTransport(groupId: string, topic: string, handler: MessageHandler, maxMessagesPerTransaction?: number): Promise<KafkaInboundTransport> {
  const transport = new KafkaInboundTransport({
    kafka,
    groupId,
    topics: [topic],
    dataSource,
    schema: SCHEMA,
    maxMessagesPerTransaction,
    backoff: { initialMs: 50, maxMs: 200 },
    consumer: { maxWaitTimeInMs: 100, sessionTimeout: 10_000, heartbeatInterval: 500 },
  });
  running.push(transport);
  await transport.start(handler);
  return transport;
}

const events = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `client-${(from + i) % 3}`, value: JSON.stringify({ seq: from + i }) }));

async function effectOffsets(topic: string): Promise<number[]> {
  return (await effects(dataSource, SCHEMA)).filter((e) => e.topic === topic).map((e) => Number(e.offset));
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

async function stop(transport: KafkaInboundTransport): Promise<void> {
  running.splice(running.indexOf(transport), 1);
  await transport.stop();
}

describe('KafkaInboundTransport', () => {
  it('stores effects and offsets atomically: a crash mid-batch leaves neither, the restart applies each message once', async () => {
    const topic = uniqueTopic('in.crash');
    await createTopics(kafka, [{ topic }]);
    await produce(kafka, topic, events(0, 20));
    let crashed = false;
    const first = effectsHandler(SCHEMA, { crash: (m) => m.offset === '12' && (crashed = true) });
    const transport = await startTransport('g-crash', topic, first.handler);
    await expectEventually(() => expect(crashed).toBe(true));
    await stop(transport);

    // Whatever batches committed before the crash, effects match the stored offset exactly.
    const next = Number((await storedOffset(dataSource, SCHEMA, 'g-crash', topic)) ?? '0');
    expect(next).toBeLessThanOrEqual(12);
    expect(await effectOffsets(topic)).toEqual(range(0, next));
    expect(first.calls.map((m) => m.offset)).toContain('12'); // the handler ran for messages whose effects were undone

    const second = effectsHandler(SCHEMA);
    await startTransport('g-crash', topic, second.handler);
    await expectEventually(async () => expect(await storedOffset(dataSource, SCHEMA, 'g-crash', topic)).toBe('20'));
    expect((await effectOffsets(topic)).sort((a, b) => a - b)).toEqual(range(0, 20));
    expect(second.calls.every((m) => Number(m.offset) >= next)).toBe(true);
  });

  it('retries a transiently failing batch in place: the partition is not skipped', async () => {
    const topic = uniqueTopic('in.transient');
    await createTopics(kafka, [{ topic }]);
    await produce(kafka, topic, events(0, 5));
    let failuresLeft = 3;
    const { handler } = effectsHandler(SCHEMA, { crash: (m) => m.offset === '2' && failuresLeft-- > 0 });
    await startTransport('g-transient', topic, handler);

    await expectEventually(async () => expect(await storedOffset(dataSource, SCHEMA, 'g-transient', topic)).toBe('5'));
    expect(failuresLeft).toBeLessThan(0);
    expect(await effectOffsets(topic)).toEqual(range(0, 5));
  });

  it('given a message that yields (BatchYield) behind others in its transaction, then those commit with their offset, it goes first in a new transaction, and each message is applied once', async () => {
    const topic = uniqueTopic('in.yield');
    await createTopics(kafka, [{ topic }]);
    await produce(kafka, topic, events(0, 6));
    const yields: Array<{ offset: string; first: boolean }> = [];
    const { handler } = effectsHandler(SCHEMA, {
      yieldIf: (m, first) => {
        const yielding = (m.offset === '3' || m.offset === '4') && !first;
        yields.push({ offset: m.offset, first });
        return yielding;
      },
    });
    await startTransport('g-yield', topic, handler);

    await expectEventually(async () => expect(await storedOffset(dataSource, SCHEMA, 'g-yield', topic)).toBe('6'));
    const rows: Array<{ offset: string; tx: string }> = await dataSource.query(`SELECT "offset"::text AS "offset", tx::text AS tx FROM "${SCHEMA}".effects WHERE topic = $1 ORDER BY "offset"`, [topic]);
    expect(rows.map((r) => Number(r.offset))).toEqual(range(0, 6));
    const txOf = (offset: number) => rows[offset].tx;
    // 3 and 4 each ran first in a transaction of their own start; nothing ran twice in effect.
    expect(txOf(3)).not.toBe(txOf(2));
    expect(txOf(4)).not.toBe(txOf(3));
    // The six arrive in one batch: each of 3 and 4 yielded once behind others, then ran first.
    expect(yields.filter((y) => y.offset === '3' || y.offset === '4')).toEqual([
      { offset: '3', first: false }, { offset: '3', first: true }, { offset: '4', first: false }, { offset: '4', first: true },
    ]);
  });

  it('given maxMessagesPerTransaction, then a batch is applied in slices of at most that many, each committed with its offset, a yield inside one going first in the next, each message once', async () => {
    const topic = uniqueTopic('in.slices');
    await createTopics(kafka, [{ topic }]);
    await produce(kafka, topic, events(0, 11));
    const { handler } = effectsHandler(SCHEMA, { yieldIf: (m, first) => m.offset === '5' && !first });
    await startTransport('g-slices', topic, handler, 4);

    await expectEventually(async () => expect(await storedOffset(dataSource, SCHEMA, 'g-slices', topic)).toBe('11'));
    const rows: Array<{ offset: string; tx: string }> = await dataSource.query(`SELECT "offset"::text AS "offset", tx::text AS tx FROM "${SCHEMA}".effects WHERE topic = $1 ORDER BY "offset"::bigint`, [topic]);
    expect(rows.map((r) => Number(r.offset))).toEqual(range(0, 11));
    // Transactions in offset order: 0-3, then 4 (5 yielded behind it), then 5-8 (5 first), then 9-10.
    const groups: number[][] = [];
    rows.forEach((r, i) => (i > 0 && r.tx === rows[i - 1].tx ? groups[groups.length - 1].push(i) : groups.push([i])));
    expect(groups).toEqual([[0, 1, 2, 3], [4], [5, 6, 7, 8], [9, 10]]);
  });

  it('dead-letters a poison message with its reason, publishes it to <topic>.dlq, and keeps the partition flowing', async () => {
    const topic = uniqueTopic('in.poison');
    await createTopics(kafka, [{ topic }, { topic: `${topic}.dlq` }]);
    await produce(kafka, topic, [
      { key: 'a', value: '{"seq":0}' },
      { key: 'b', value: '{"seq":1,"poison":true}' },
      { key: 'c', value: 'not json' },
      { key: 'd', value: '{"seq":3}' },
    ]);
    let fixed = false;
    const { handler } = effectsHandler(SCHEMA, { poison: (m) => !fixed && m.value.includes('poison') });
    await startTransport('g-poison', topic, handler);
    const relay = new OutboxRelay({ dataSource, schema: SCHEMA, kafka, pollIntervalMs: 50 });
    running.push(relay);
    await relay.start();

    await expectEventually(async () => expect(await storedOffset(dataSource, SCHEMA, 'g-poison', topic)).toBe('4'));
    expect(await effectOffsets(topic)).toEqual([0, 3]); // the poison message's own write was rolled back
    const letters = await dataSource.transaction((m) => listDeadLetters(m, SCHEMA, { topic, status: 'open' }));
    expect(letters.map((l) => [l.offset, l.code, l.status])).toEqual([
      ['2', 'INVALID_JSON', 'open'],
      ['1', 'BAD_PAYLOAD', 'open'],
    ]);
    expect(letters[1].reason).toBe('payload rejected at offset 1');

    const dlq = await readTopic(kafka, `${topic}.dlq`, 2);
    expect(dlq.map((m) => [m.key, m.value, m.headers[DLQ_HEADERS.code], m.headers[DLQ_HEADERS.offset]])).toEqual([
      ['b', '{"seq":1,"poison":true}', 'BAD_PAYLOAD', '1'],
      ['c', 'not json', 'INVALID_JSON', '2'],
    ]);
    expect(dlq[0].headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'payload rejected at offset 1',
      [DLQ_HEADERS.topic]: topic,
      [DLQ_HEADERS.partition]: '0',
    });

    // After a fix, the admin retries one (it comes back through the outbox and Kafka) and discards the other.
    fixed = true;
    const [invalid, rejected] = letters;
    await dataSource.transaction((m) => retryDeadLetter(m, SCHEMA, rejected.id, 'admin-1'));
    await dataSource.transaction((m) => discardDeadLetter(m, SCHEMA, invalid.id, 'admin-1'));
    await expectEventually(async () => expect(await effectOffsets(topic)).toEqual([0, 3, 4]));
    const resolved = await dataSource.transaction((m) => listDeadLetters(m, SCHEMA, { topic }));
    expect(resolved.map((l) => [l.status, l.resolvedBy])).toEqual([
      ['discarded', 'admin-1'],
      ['retried', 'admin-1'],
    ]);
    await expect(dataSource.transaction((m) => retryDeadLetter(m, SCHEMA, invalid.id, 'admin-1'))).rejects.toMatchObject({ code: 'DEAD_LETTER_NOT_OPEN' });
  });

  it('resumes from the offsets stored in PostgreSQL when Kafka committed offsets are behind or ahead', async () => {
    const topic = uniqueTopic('in.seek');
    const groupId = 'g-seek';
    await createTopics(kafka, [{ topic }]);
    await produce(kafka, topic, events(0, 5));
    const first = await startTransport(groupId, topic, effectsHandler(SCHEMA).handler);
    await expectEventually(async () => expect(await storedOffset(dataSource, SCHEMA, groupId, topic)).toBe('5'));
    await expectEventually(async () => expect(await kafkaCommitted(groupId, topic)).toBe('5')); // committed after the DB, for lag tools
    await stop(first);

    await setKafkaOffset(groupId, topic, '0'); // Kafka behind the database
    await produce(kafka, topic, events(5, 3));
    const behind = effectsHandler(SCHEMA);
    const second = await startTransport(groupId, topic, behind.handler);
    await expectEventually(async () => expect(await storedOffset(dataSource, SCHEMA, groupId, topic)).toBe('8'));
    expect(behind.calls.map((m) => m.offset)).toEqual(['5', '6', '7']);
    await stop(second);

    await produce(kafka, topic, events(8, 3));
    await setKafkaOffset(groupId, topic, '11'); // Kafka ahead of the database (e.g. a restored database)
    const ahead = effectsHandler(SCHEMA);
    await startTransport(groupId, topic, ahead.handler);
    await expectEventually(async () => expect(await storedOffset(dataSource, SCHEMA, groupId, topic)).toBe('11'));
    expect(ahead.calls.map((m) => m.offset)).toEqual(['8', '9', '10']);
    expect(await effectOffsets(topic)).toEqual(range(0, 11));
  });

  it('reports lag per partition from the stored offsets', async () => {
    const topic = uniqueTopic('in.lag');
    await createTopics(kafka, [{ topic, numPartitions: 2 }]);
    await produce(kafka, topic, [...events(0, 3).map((e) => ({ ...e, partition: 0 })), ...events(3, 2).map((e) => ({ ...e, partition: 1 }))]);
    const transport = new KafkaInboundTransport({ kafka, groupId: 'g-lag', topics: [topic], dataSource, schema: SCHEMA });
    expect(await transport.lag()).toEqual([
      { topic, partition: 0, lag: 3 },
      { topic, partition: 1, lag: 2 },
    ]);
  });
});

async function kafkaCommitted(groupId: string, topic: string): Promise<string | undefined> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return offsets.partitions.find((p) => p.partition === 0)?.offset;
  } finally {
    await admin.disconnect();
  }
}

async function setKafkaOffset(groupId: string, topic: string, offset: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.setOffsets({ groupId, topic, partitions: [{ partition: 0, offset }] });
  } finally {
    await admin.disconnect();
  }
}
