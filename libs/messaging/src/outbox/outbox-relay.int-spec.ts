import { createServer, connect, Server, Socket } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource, QueryRunner } from 'typeorm';
import { enqueueOutbox, OutboxMessage, OutboxRelay, outboxMigrations } from '@lib/messaging';
import { createTestDatabase, TestDatabase } from '../../../../test/infra/postgres';
import { createTopics, testBrokers, testKafka, uniqueTopic } from '../../../../test/infra/kafka';
import { expectEventually } from '../../../../test/infra/expect-eventually';
import { freePort } from '../../../../test/infra/ports';
import { openDataSource, readTopic, topicSize } from '../../test/messaging-fixtures';

// jest.config.js's per-project testTimeout is not applied by jest-circus (global option only).
jest.setTimeout(120_000);

const SCHEMA = 'life';
let db: TestDatabase;
let dataSource: DataSource;
const kafka = testKafka('outbox-relay-spec');
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  db = await createTestDatabase('messaging_relay');
  dataSource = await openDataSource(db.url, outboxMigrations(SCHEMA));
});

afterEach(async () => {
  await Promise.all(relays.splice(0).map((relay) => relay.stop()));
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

function startRelay(client: Kafka = kafka): OutboxRelay {
  const relay = new OutboxRelay({ dataSource, schema: SCHEMA, kafka: client, pollIntervalMs: 50, standbyIntervalMs: 100, backoff: { initialMs: 100, maxMs: 500 } });
  relays.push(relay);
  void relay.start();
  return relay;
}

async function enqueue(messages: OutboxMessage[]): Promise<void> {
  await dataSource.transaction((manager) => enqueueOutbox(manager, SCHEMA, messages));
}

async function openTransaction(): Promise<QueryRunner> {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  await runner.query('SELECT pg_current_xact_id()');
  return runner;
}

async function unpublishedValues(): Promise<string[]> {
  const rows: Array<{ value: string }> = await dataSource.query(`SELECT value FROM ${SCHEMA}.outbox WHERE published_at IS NULL ORDER BY id`);
  return rows.map((r) => r.value);
}

describe('OutboxRelay', () => {
  it('publishes each row with its key, value and headers, in outbox order, and marks it published', async () => {
    const topic = uniqueTopic('relay.basic');
    await createTopics(kafka, [{ topic, numPartitions: 1 }]);
    const messages = Array.from({ length: 12 }, (_, i) => ({ topic, key: `k-${i % 2}`, value: JSON.stringify({ i }), headers: { 'x-i': String(i) } }));
    await enqueue(messages);
    const relay = startRelay();

    const read = await readTopic(kafka, topic, 12);
    expect(read.map(({ key, value, headers }) => ({ topic, key, value, headers }))).toEqual(messages);
    await expectEventually(async () => expect(await relay.backlog()).toBe(0));
  });

  it('never publishes a row before a row of a transaction that is still open and started earlier', async () => {
    const topic = uniqueTopic('relay.order');
    await createTopics(kafka, [{ topic, numPartitions: 1 }]);
    const marker = await openTransaction(); // oldest transaction: its row becomes visible first
    const earlier = await openTransaction();
    await enqueueOutbox(earlier.manager, SCHEMA, [{ topic, key: 'k', value: '"A"' }]);
    await enqueue([{ topic, key: 'k', value: '"B"' }]); // later transaction, committed first
    await enqueueOutbox(marker.manager, SCHEMA, [{ topic, key: 'k', value: '"C"' }]);
    await marker.commitTransaction();
    await marker.release();
    startRelay();

    // C being published proves the relay polled after B committed, and it left B alone
    // (A is still uncommitted, so invisible here).
    await expectEventually(async () => expect(await topicSize(kafka, topic)).toBe(1));
    expect(await unpublishedValues()).toEqual(['"B"']);

    await earlier.commitTransaction();
    await earlier.release();
    const read = await readTopic(kafka, topic, 3);
    expect(read.map((m) => m.value)).toEqual(['"C"', '"A"', '"B"']);
  });

  it('keeps retrying while Kafka is unreachable and, once it is back, publishes every row exactly once', async () => {
    const topic = uniqueTopic('relay.down');
    await createTopics(kafka, [{ topic, numPartitions: 3 }]);
    const port = await freePort(); // nothing listens here yet: the broker is "down"
    const unreachable = new Kafka({ clientId: 'relay-down', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 1, initialRetryTime: 50 }, connectionTimeout: 500 });
    const batch = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ topic, key: `client-${(from + i) % 7}`, value: JSON.stringify({ seq: from + i }) }));
    await enqueue(batch(0, 40));
    const relay = startRelay(unreachable);

    await expectEventually(async () => {
      const [row] = await dataSource.query(`SELECT max(attempts) AS attempts, max(last_error) AS error FROM ${SCHEMA}.outbox WHERE topic = $1`, [topic]);
      expect(row.attempts).toBeGreaterThanOrEqual(2);
      expect(row.error).toBeTruthy();
    });
    await enqueue(batch(40, 20)); // written while the broker is still down
    expect(await relay.backlog()).toBe(60);

    const proxy = await forwardTo(port, testBrokers()[0]); // the broker comes back
    try {
      await expectEventually(async () => expect(await relay.backlog()).toBe(0), { timeoutMs: 30_000 });
      const read = await readTopic(kafka, topic, 60);
      const seqs = read.map((m) => JSON.parse(m.value).seq as number);
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
      for (const key of new Set(read.map((m) => m.key))) {
        const ofKey = read.filter((m) => m.key === key).map((m) => JSON.parse(m.value).seq as number);
        expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
      }
    } finally {
      await relay.stop();
      await proxy.close();
    }
  });

  it('lets one relay per outbox work at a time, and a standby takes over when the active one stops', async () => {
    const topic = uniqueTopic('relay.lease');
    await createTopics(kafka, [{ topic, numPartitions: 1 }]);
    const first = startRelay();
    await expectEventually(() => expect(first.active).toBe(true));
    const second = startRelay();
    await enqueue([{ topic, key: null, value: '1' }]);
    await expectEventually(async () => expect(await first.backlog()).toBe(0));
    expect(second.active).toBe(false);

    await first.stop();
    await enqueue([{ topic, key: null, value: '2' }]);
    await expectEventually(() => expect(second.active).toBe(true));
    const read = await readTopic(kafka, topic, 2);
    expect(read.map((m) => m.value)).toEqual(['1', '2']);
  });
});

/** A TCP forwarder on `port` to the real broker: bootstrap goes through it, then kafkajs talks to the advertised address. */
async function forwardTo(port: number, target: string): Promise<{ close(): Promise<void> }> {
  const [host, targetPort] = target.split(':');
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(targetPort), host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', () => resolve()));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
