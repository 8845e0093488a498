import { DataSource, QueryRunner } from 'typeorm';
import {
  consumerMigrations,
  DLQ_HEADERS,
  enqueueOutbox,
  getDeadLetter,
  listDeadLetters,
  MessageHandler,
  outboxMigrations,
  PostgresLogInboundTransport,
  retryDeadLetter,
  undoesOwnWrites,
} from '@lib/messaging';
import { createTestDatabase, TestDatabase } from '../../../../test/infra/postgres';
import { expectEventually } from '../../../../test/infra/expect-eventually';
import { createEffectsTable, effects, effectsHandler, openDataSource } from '../../test/messaging-fixtures';

// jest.config.js's per-project testTimeout is not applied by jest-circus (global option only).
jest.setTimeout(120_000);

const CONSUMER = 'coord';
const LIFE = { schema: 'life', topic: 'subsidiary.life.events' };
const PNC = { schema: 'pnc', topic: 'subsidiary.pnc.events' };
let db: TestDatabase;
let dataSource: DataSource;
const running: PostgresLogInboundTransport[] = [];

beforeAll(async () => {
  db = await createTestDatabase('messaging_pglog');
  dataSource = await openDataSource(db.url, [...outboxMigrations('life'), ...outboxMigrations('pnc'), ...consumerMigrations(CONSUMER)]);
  await createEffectsTable(dataSource, CONSUMER);
});

beforeEach(async () => {
  await dataSource.query(`TRUNCATE life.outbox, pnc.outbox, coord.outbox, coord.effects, coord.consumer_offsets, coord.dead_letters`);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((t) => t.stop()));
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

async function startTransport(handler: MessageHandler, sources = [LIFE, PNC]): Promise<PostgresLogInboundTransport> {
  const transport = new PostgresLogInboundTransport({ dataSource, sources, consumerSchema: CONSUMER, pollMs: 20, backoff: { initialMs: 20, maxMs: 100 } });
  running.push(transport);
  await transport.start(handler);
  return transport;
}

async function stop(transport: PostgresLogInboundTransport): Promise<void> {
  running.splice(running.indexOf(transport), 1);
  await transport.stop();
}

async function write(source: typeof LIFE, values: string[], manager = dataSource.manager): Promise<string[]> {
  const messages = values.map((value) => ({ topic: source.topic, key: 'client-1', value }));
  return manager === dataSource.manager
    ? dataSource.transaction((m) => enqueueOutbox(m, source.schema, messages))
    : enqueueOutbox(manager, source.schema, messages);
}

async function openTransaction(): Promise<QueryRunner> {
  const runner = dataSource.createQueryRunner();
  await runner.startTransaction();
  await runner.query('SELECT pg_current_xact_id()');
  return runner;
}

async function commit(runner: QueryRunner): Promise<void> {
  await runner.commitTransaction();
  await runner.release();
}

async function appliedValues(topic: string): Promise<string[]> {
  return (await effects(dataSource, CONSUMER)).filter((e) => e.topic === topic).map((e) => e.value);
}

describe('PostgresLogInboundTransport', () => {
  it('applies messages in commit order, not id order, and loses none (an earlier id that commits later still arrives)', async () => {
    const x = await openTransaction();
    const y = await openTransaction();
    await write(LIFE, ['"Y"'], y.manager); // takes the lower id, commits last
    await write(LIFE, ['"X"'], x.manager);
    await commit(x);
    await startTransport(effectsHandler(CONSUMER).handler);

    await expectEventually(async () => expect(await appliedValues(LIFE.topic)).toEqual(['"X"']));
    await commit(y);
    await expectEventually(async () => expect(await appliedValues(LIFE.topic)).toEqual(['"X"', '"Y"']));
  });

  it('does not apply a committed row while an older transaction that wrote to the same log is still open', async () => {
    const marker = await openTransaction(); // oldest: its row becomes visible first
    const earlier = await openTransaction();
    await write(LIFE, ['"A"'], earlier.manager);
    await write(LIFE, ['"B"']);
    await write(LIFE, ['"C"'], marker.manager);
    await commit(marker);
    await startTransport(effectsHandler(CONSUMER).handler);

    // C applied proves the transport read after B committed; B must wait for A.
    await expectEventually(async () => expect(await appliedValues(LIFE.topic)).toEqual(['"C"']));
    await commit(earlier);
    await expectEventually(async () => expect(await appliedValues(LIFE.topic)).toEqual(['"C"', '"A"', '"B"']));
  });

  it('stores effects and positions atomically: a crash mid-batch leaves neither, the restart applies each message once', async () => {
    const ids = await write(LIFE, Array.from({ length: 12 }, (_, i) => JSON.stringify({ seq: i })));
    let crashed = false;
    const first = effectsHandler(CONSUMER, { crash: (m) => m.offset === ids[7] && (crashed = true) });
    const transport = await startTransport(first.handler, [LIFE]);
    await expectEventually(() => expect(crashed).toBe(true));
    await stop(transport);
    // It retried the batch in place (never past the failing message) until stopped.
    expect(first.calls.map((m) => m.offset)).toContain(ids[7]);
    expect(first.calls.every((m) => ids.indexOf(m.offset) <= 7)).toBe(true);
    expect(await effects(dataSource, CONSUMER)).toEqual([]); // the batch held all twelve, so nothing stuck

    const second = effectsHandler(CONSUMER);
    await startTransport(second.handler, [LIFE]);
    await expectEventually(async () => expect(await appliedValues(LIFE.topic)).toHaveLength(12));
    expect((await effects(dataSource, CONSUMER)).map((e) => e.offset)).toEqual(ids);
  });

  it('dead-letters a poison message, enqueues it to <topic>.dlq with the reason, keeps the log flowing, and retries it into its source log', async () => {
    const ids = await write(LIFE, ['{"seq":0}', '{"seq":1,"poison":true}', '{"seq":2}']);
    let fixed = false;
    const { handler } = effectsHandler(CONSUMER, { poison: (m) => !fixed && m.value.includes('poison') });
    await startTransport(handler, [LIFE]);

    await expectEventually(async () => expect(await appliedValues(LIFE.topic)).toEqual(['{"seq":0}', '{"seq":2}']));
    const [letter] = await listDeadLetters(dataSource.manager, CONSUMER, { status: 'open' });
    expect(letter).toMatchObject({ topic: LIFE.topic, partition: 0, offset: ids[1], code: 'BAD_PAYLOAD', sourceSchema: 'life', status: 'open' });
    const [dlq] = await dataSource.query(`SELECT topic, message_key, value, headers FROM coord.outbox`);
    expect(dlq).toEqual({
      topic: `${LIFE.topic}.dlq`,
      message_key: 'client-1',
      value: '{"seq":1,"poison":true}',
      headers: {
        [DLQ_HEADERS.reason]: `payload rejected at offset ${ids[1]}`,
        [DLQ_HEADERS.code]: 'BAD_PAYLOAD',
        [DLQ_HEADERS.topic]: LIFE.topic,
        [DLQ_HEADERS.partition]: '0',
        [DLQ_HEADERS.offset]: ids[1],
      },
    });

    fixed = true;
    await dataSource.transaction((m) => retryDeadLetter(m, CONSUMER, letter.id, 'admin-7'));
    await expectEventually(async () => expect(await appliedValues(LIFE.topic)).toEqual(['{"seq":0}', '{"seq":2}', '{"seq":1,"poison":true}']));
    expect(await getDeadLetter(dataSource.manager, CONSUMER, letter.id)).toMatchObject({ status: 'retried', resolvedBy: 'admin-7' });
    await expect(getDeadLetter(dataSource.manager, CONSUMER, '999999')).resolves.toBeNull();
  });

  it('trusts a handler marked undoesOwnWrites to undo a poison message itself: no savepoint of its own around it', async () => {
    await write(LIFE, ['{"seq":0}', '{"seq":1,"poison":true}', '{"seq":2}', '{"seq":3,"poison":true,"careless":true}', '{"seq":4}']);
    const inner = effectsHandler(CONSUMER, { poison: (m) => m.value.includes('poison') }).handler;
    // Well behaved: its own savepoint around the whole message; careless (a broken contract): leaves its write behind.
    const handler = undoesOwnWrites(async (message, manager) => {
      const careless = message.value.includes('careless');
      if (!careless) await manager.query('SAVEPOINT own');
      try {
        await inner(message, manager);
        if (!careless) await manager.query('RELEASE SAVEPOINT own');
      } catch (error) {
        if (!careless) await manager.query('ROLLBACK TO SAVEPOINT own');
        throw error;
      }
    });
    await startTransport(handler, [LIFE]);

    await expectEventually(async () => expect(await appliedValues(LIFE.topic)).toEqual(['{"seq":0}', '{"seq":2}', '{"seq":3,"poison":true,"careless":true}', '{"seq":4}']));
    const letters = await listDeadLetters(dataSource.manager, CONSUMER, { status: 'open' });
    expect(letters.map((l) => [l.value, l.code]).sort()).toEqual([
      ['{"seq":1,"poison":true}', 'BAD_PAYLOAD'],
      ['{"seq":3,"poison":true,"careless":true}', 'BAD_PAYLOAD'],
    ]);
  });

  it('resumes each source from its stored position after a restart and reports lag', async () => {
    const transport = await startTransport(effectsHandler(CONSUMER).handler);
    await write(LIFE, ['"l1"', '"l2"']);
    await write(PNC, ['"p1"']);
    await expectEventually(async () => expect(await effects(dataSource, CONSUMER)).toHaveLength(3));
    await stop(transport);

    await write(LIFE, ['"l3"']);
    await write(PNC, ['"p2"', '"p3"']);
    const idle = new PostgresLogInboundTransport({ dataSource, sources: [LIFE, PNC], consumerSchema: CONSUMER });
    expect(await idle.lag()).toEqual([
      { topic: LIFE.topic, partition: 0, lag: 1 },
      { topic: PNC.topic, partition: 0, lag: 2 },
    ]);

    const resumed = effectsHandler(CONSUMER);
    await startTransport(resumed.handler);
    await expectEventually(async () => expect(await effects(dataSource, CONSUMER)).toHaveLength(6));
    expect(resumed.calls.map((m) => m.value).sort()).toEqual(['"l3"', '"p2"', '"p3"']);
    expect(await appliedValues(LIFE.topic)).toEqual(['"l1"', '"l2"', '"l3"']);
    expect(await appliedValues(PNC.topic)).toEqual(['"p1"', '"p2"', '"p3"']);
  });
});
