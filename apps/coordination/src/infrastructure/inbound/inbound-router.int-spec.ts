import { createEvent, type EventType } from '@lib/contracts';
import { batchHooksOf, enqueueOutbox, listDeadLetters, outboxMigrations, PoisonMessageError, PostgresLogInboundTransport } from '@lib/messaging';
import { eventStoreMigrations, PostgresEventStore } from '@lib/event-store';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { expectEventually } from '../../../../../test/infra/expect-eventually';
import { createTestDatabase, TestDatabase } from '../../../../../test/infra/postgres';
import { coordinationCoreMigrations } from '../migrations';
import { InboundRouter } from './inbound-router';
import { coordinationMessagingMigrations } from './inbound-runner';
import { clientKey, InboundContext, InboundHandler, MissingFactError } from './inbound.types';
import { sweepParked } from './parked-sweep';
import { parseSubsidiaryEvent } from '@lib/contracts';

/**
 * The router under the real consuming core (PostgreSQL-log transport): it holds one
 * savepoint per message, so the transport sets none, and a poison message must leave
 * nothing behind, whether it fails in its own handler or in a parked event it releases.
 */
jest.setTimeout(120_000);

const TOPIC = 'subsidiary.life.events';
let db: TestDatabase;
let dataSource: DataSource;
let transport: PostgresLogInboundTransport | undefined;
let store: PostgresEventStore;

/** Writes one effect per handled event; refuses (poison) clients named 'poison'; a policy waits for its holder. */
class RecordingHandler implements InboundHandler {
  readonly name = 'test.recording';
  readonly handles = ['ClientRegistered', 'PolicyIssued'] as const;

  async handle(ctx: InboundContext): Promise<void> {
    const p = ctx.event.payload as { localId?: string; name?: string; policyNo?: string; holderLocalId?: string };
    const ref = p.localId ?? p.policyNo!;
    await ctx.manager.query('INSERT INTO coordination.test_effects (ref) VALUES ($1)', [ref]);
    if (ctx.event.type === 'PolicyIssued') {
      const [holder] = await ctx.manager.query('SELECT name FROM coordination.test_effects_clients WHERE local_id = $1', [p.holderLocalId]);
      if (!holder) throw new MissingFactError(clientKey(ctx.event.subsidiary, p.holderLocalId!));
      if (holder.name === 'poison-policies') throw new PoisonMessageError(`policy ${ref} refused`, 'REFUSED');
      return;
    }
    await ctx.manager.query('INSERT INTO coordination.test_effects_clients (local_id, name) VALUES ($1, $2)', [p.localId, p.name]);
    if (p.name === 'poison') throw new PoisonMessageError(`client ${ref} refused`, 'REFUSED');
  }
}

/**
 * Appends one event per handled event; a policy first reads its insured's stream (so what the batch
 * holds is written, inside the policy's savepoint), then waits for its holder's.
 */
class AppendingHandler implements InboundHandler {
  readonly name = 'test.appending';
  readonly handles = ['ClientRegistered', 'PolicyIssued'] as const;

  async handle(ctx: InboundContext): Promise<void> {
    const p = ctx.event.payload as { localId?: string; policyNo?: string; holderLocalId?: string; insuredLocalIds?: string[] };
    const { manager } = ctx;
    if (ctx.event.type === 'ClientRegistered') {
      await store.append(`seen-${p.localId}`, [{ eventId: ctx.eventId('seen'), type: 'ClientSeen', data: {} }], 'no_stream', { manager });
      return;
    }
    await store.append(`policy-${p.policyNo}`, [{ eventId: ctx.eventId('seen'), type: 'PolicySeen', data: {} }], 'no_stream', { manager });
    await store.readStream(`seen-${p.insuredLocalIds![0]}`, { manager });
    if ((await store.readStream(`seen-${p.holderLocalId}`, { manager })).length === 0) throw new MissingFactError(clientKey(ctx.event.subsidiary, p.holderLocalId!));
  }
}

const event = (type: EventType, payload: object): string => {
  const built = createEvent({ type, eventId: randomUUID(), subsidiary: 'life', occurredAt: '2026-03-01T08:00:00.000Z', correlationId: 'router-spec', payload });
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return JSON.stringify(built.event);
};

const registration = (localId: string, name: string) =>
  event('ClientRegistered', { localId, kind: 'person', name, gender: 'F', birthDate: '1980-01-01', phones: [], emails: [] });

const policy = (policyNo: string, holderLocalId: string, insuredLocalId = holderLocalId) =>
  event('PolicyIssued', {
    policyNo, productCode: 'P1', productLine: 'LIFE_TERM', holderLocalId, insuredLocalIds: [insuredLocalId],
    premium: { amount: '1000.00', currency: 'CNY', mode: 'ANNUAL' }, effectiveDate: '2026-03-01', expiryDate: '2027-02-28',
    sellingAgentId: 'LIFE-A0001', servicingAgentId: 'LIFE-A0001', channel: 'AGENCY', referralId: null,
  });

async function publish(values: string[]): Promise<void> {
  await dataSource.transaction((m) => enqueueOutbox(m, 'sub_life', values.map((value) => ({ topic: TOPIC, key: 'k', value }))));
}

const effects = async (): Promise<string[]> => (await dataSource.query('SELECT ref FROM coordination.test_effects ORDER BY id')).map((r: { ref: string }) => r.ref);
const parked = async (): Promise<string[]> => (await dataSource.query(`SELECT event->'payload'->>'policyNo' AS ref FROM coordination.parked_events ORDER BY id`)).map((r: { ref: string }) => r.ref);
const processed = async (): Promise<number> => Number((await dataSource.query('SELECT count(*) AS n FROM coordination.processed_events'))[0].n);
const openLetters = async () => (await listDeadLetters(dataSource.manager, 'coordination', { status: 'open' })).map((l) => l.reason).sort();
const consumedAll = async () => (await dataSource.query(
  `SELECT (SELECT max(id) + 1 FROM sub_life.outbox)::text = (SELECT next_offset::text FROM coordination.consumer_offsets) AS done`,
))[0].done;

beforeAll(async () => {
  db = await createTestDatabase('coord_router');
  dataSource = new DataSource({
    type: 'postgres', url: db.url, logging: false,
    migrations: [...eventStoreMigrations, ...outboxMigrations('sub_life'), ...coordinationMessagingMigrations, ...coordinationCoreMigrations],
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  store = new PostgresEventStore(dataSource);
  await dataSource.query('CREATE TABLE coordination.test_effects (id bigserial PRIMARY KEY, ref text NOT NULL)');
  await dataSource.query('CREATE TABLE coordination.test_effects_clients (local_id text PRIMARY KEY, name text NOT NULL)');
  transport = new PostgresLogInboundTransport({
    dataSource, sources: [{ schema: 'sub_life', topic: TOPIC }], consumerSchema: 'coordination', dlq: { publish: false }, pollMs: 20,
  });
});

afterAll(async () => {
  await transport?.stop();
  await dataSource?.destroy();
  await db?.drop();
});

describe('InboundRouter under the consuming core', () => {
  it('in one batch: applies good messages, parks and releases a waiting policy, and leaves nothing of a poison message but its dead letter', async () => {
    await publish([
      registration('C1', 'Ann'), policy('P1', 'C3'), registration('C2', 'poison'), registration('C3', 'Bea'), registration('C4', 'poison-policies'),
    ]);
    await transport!.start(new InboundRouter([new RecordingHandler()], store).handlerFor('postgres-log'));
    await expectEventually(async () => expect(await consumedAll()).toBe(true));

    // P1 waited for C3 (its first try was undone with it), then ran when C3 arrived; C2's own write is gone.
    expect(await effects()).toEqual(['C1', 'C3', 'P1', 'C4']);
    expect(await processed()).toBe(4);
    expect(await parked()).toEqual([]);
    expect(await openLetters()).toEqual(['client C2 refused']);
  });

  it('a poison error in a released parked event undoes the whole message that released it; the parked event keeps waiting', async () => {
    const before = await processed();
    await publish([policy('P2', 'C5')]);
    await expectEventually(async () => expect(await parked()).toEqual(['P2']));
    await publish([registration('C5', 'poison-policies'), registration('C6', 'Cy')]);
    await expectEventually(async () => expect(await consumedAll()).toBe(true));

    expect(await effects()).toEqual(['C1', 'C3', 'P1', 'C4', 'C6']);
    expect(await parked()).toEqual(['P2']);
    expect(await processed()).toBe(before + 1);
    expect(await openLetters()).toEqual(['client C2 refused', 'policy P2 refused']);
    const [c5] = await dataSource.query(`SELECT count(*)::int AS n FROM coordination.test_effects_clients WHERE local_id = 'C5'`);
    expect(c5.n).toBe(0);
  });
});

describe('batch bookkeeping (handled ids and waiting keys known per batch)', () => {
  it('a message delivered twice in one batch and again in a later batch is handled once', async () => {
    const before = await processed();
    const twice = registration('C20', 'Eve');
    await publish([twice, twice, registration('C21', 'Fay')]);
    await expectEventually(async () => expect(await consumedAll()).toBe(true));
    await publish([twice]);
    await expectEventually(async () => expect(await consumedAll()).toBe(true));
    expect((await effects()).filter((r) => r === 'C20' || r === 'C21')).toEqual(['C20', 'C21']);
    expect(await processed()).toBe(before + 2);
  });

  it('an event another consumer handled while the batch ran fails the batch instead of counting it twice', async () => {
    const router = new InboundRouter([new RecordingHandler()], store);
    const handler = router.handlerFor('kafka');
    const hooks = batchHooksOf(handler)!;
    const value = registration('C22', 'Gus');
    const message = { topic: TOPIC, partition: 0, offset: '0', key: 'k', value, headers: {}, timestamp: '0' };
    const run = dataSource.transaction(async (m) => {
      await hooks.prepare([message], m);
      // Committed by "another consumer" after this batch looked its events up.
      await dataSource.query('INSERT INTO coordination.processed_events (event_id) VALUES ($1)', [JSON.parse(value).eventId]);
      await handler(message, m);
      await hooks.finish(m);
    });
    await expect(run).rejects.toThrow(/handled concurrently/);
    expect((await effects()).filter((r) => r === 'C22')).toEqual([]);
  });
});

describe('InboundRouter: the batch\'s appends, held until its end', () => {
  const types = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.type);
  /** As the consuming core runs a batch: prepare, each message, finish, in one transaction. */
  const runBatch = (values: string[]) => {
    const handler = new InboundRouter([new AppendingHandler()], store).handlerFor('kafka');
    const hooks = batchHooksOf(handler)!;
    const messages = values.map((value, i) => ({ topic: TOPIC, partition: 0, offset: String(i), key: 'k', value, headers: {}, timestamp: '0' }));
    return dataSource.transaction(async (m) => {
      await hooks.prepare(messages, m);
      for (const message of messages) await handler(message, m);
      await hooks.finish(m);
    });
  };

  it('a message parked after its reads wrote what earlier messages held keeps theirs and drops its own, until its holder comes', async () => {
    await runBatch([registration('C30', 'Hal'), policy('P30', 'C31', 'C30')]);
    expect(await types('seen-C30')).toEqual(['ClientSeen']);
    expect(await types('policy-P30')).toEqual([]);
    expect(await parked()).toContain('P30');
    await runBatch([registration('C31', 'Ivy')]);
    expect(await types('policy-P30')).toEqual(['PolicySeen']);
    expect(await types('seen-C31')).toEqual(['ClientSeen']);
  });
});

describe('parked-event sweep', () => {
  const router = () => new InboundRouter([new RecordingHandler()], store);
  const parsed = (value: string) => {
    const result = parseSubsidiaryEvent(value);
    if (!result.ok) throw new Error('test event invalid');
    return result.event;
  };
  const source = { kind: 'kafka' as const, topic: TOPIC, partition: 0, offset: '0' };
  const sweep = () => sweepParked({ dataSource, router: router(), groupId: 'g', dlq: { publish: false }, log: () => undefined });
  const dueNow = (policyNo: string) => dataSource.query(`UPDATE coordination.parked_events SET retry_at = now() WHERE event->'payload'->>'policyNo' = $1`, [policyNo]);
  // What the tests above left parked is not due during these.
  beforeAll(() => dataSource.query(`UPDATE coordination.parked_events SET retry_at = now() + interval '1 day'`));

  it('completes a policy parked while its holder registered in a concurrent transaction (neither saw the other)', async () => {
    const waiting = parsed(policy('P7', 'C7'));
    const provider = parsed(registration('C7', 'Dee'));
    // Partition A parks P7 and stays open; partition B registers C7 and commits without seeing the parked row.
    let parkedInA!: () => void;
    const aParked = new Promise<void>((resolve) => { parkedInA = resolve; });
    let commitA!: () => void;
    const aMayCommit = new Promise<void>((resolve) => { commitA = resolve; });
    const a = dataSource.transaction(async (m) => {
      await router().dispatch(waiting, source, m, 0);
      parkedInA();
      await aMayCommit;
    });
    await aParked;
    await dataSource.transaction((m) => router().dispatch(provider, { ...source, partition: 1 }, m, 0));
    commitA();
    await a;
    expect(await parked()).toContain('P7');
    const [row] = await dataSource.query(`SELECT attempts, retry_at > now() AS later FROM coordination.parked_events WHERE event->'payload'->>'policyNo' = 'P7'`);
    expect(row).toEqual({ attempts: 0, later: true });

    expect(await sweep()).toEqual({ retried: 0, deadLettered: 0 }); // not due yet
    await dueNow('P7');
    expect(await sweep()).toEqual({ retried: 1, deadLettered: 0 });
    expect(await parked()).not.toContain('P7');
    expect((await effects()).filter((r) => r === 'P7')).toEqual(['P7']);
    expect(await sweep()).toEqual({ retried: 0, deadLettered: 0 });
  });

  it('parks again with a longer backoff while the fact is still missing, and dead-letters a poison retry', async () => {
    await dataSource.transaction((m) => router().dispatch(parsed(policy('P8', 'C8')), source, m, 0));
    await dueNow('P8');
    expect(await sweep()).toEqual({ retried: 1, deadLettered: 0 });
    const [again] = await dataSource.query(
      `SELECT attempts, retry_at - now() > interval '750 milliseconds' AS backed_off FROM coordination.parked_events WHERE event->'payload'->>'policyNo' = 'P8'`,
    );
    expect(again).toEqual({ attempts: 1, backed_off: true });

    // C8 registers as a client whose policies are refused; the race again leaves P8 parked.
    await dataSource.query(`INSERT INTO coordination.test_effects_clients (local_id, name) VALUES ('C8', 'poison-policies')`);
    await dueNow('P8');
    const before = await openLetters();
    expect(await sweep()).toEqual({ retried: 1, deadLettered: 1 });
    expect(await parked()).not.toContain('P8');
    expect(await openLetters()).toEqual([...before, 'policy P8 refused'].sort());
    expect((await effects()).filter((r) => r === 'P8')).toEqual([]);
  });
});

/** Defers its effect's write (a client named 'null-ref…' writes none: the write fails on its own, a not-null violation). */
class DeferringHandler implements InboundHandler {
  readonly name = 'test.deferring';
  readonly handles = ['ClientRegistered'] as const;

  async handle(ctx: InboundContext): Promise<void> {
    const p = ctx.event.payload as { localId: string; name: string };
    ctx.defer(ctx.manager.query('INSERT INTO coordination.test_effects (ref) VALUES ($1)', [p.name.startsWith('null-ref') ? null : `deferred-${p.localId}`]));
  }
}

/** Runs after DeferringHandler: reads its effect behind the deferred write; a client named 'null-ref-waits' waits for another first. */
class ReadingHandler implements InboundHandler {
  readonly name = 'test.reading';
  readonly handles = ['ClientRegistered'] as const;
  readonly seen: string[] = [];

  async handle(ctx: InboundContext): Promise<void> {
    const p = ctx.event.payload as { localId: string; name: string };
    if (p.name === 'null-ref-waits') throw new MissingFactError(clientKey('life', 'never'));
    const rows: Array<{ ref: string }> = await ctx.manager.query('SELECT ref FROM coordination.test_effects WHERE ref = $1', [`deferred-${p.localId}`]);
    this.seen.push(...rows.map((r) => r.ref));
  }
}

describe('deferred writes (InboundContext.defer)', () => {
  const source = { kind: 'replay' as const, topic: TOPIC, partition: 0, offset: '0' };
  const parsed = (value: string) => {
    const result = parseSubsidiaryEvent(value);
    if (!result.ok) throw new Error('test event invalid');
    return result.event;
  };

  it('a later handler reads behind the write; a write that fails on its own is the event\'s failure, not what failed after it', async () => {
    const reading = new ReadingHandler();
    const router = new InboundRouter([new DeferringHandler(), reading], store);
    await dataSource.transaction((m) => router.dispatch(parsed(registration('C40', 'Gia')), source, m, 0));
    expect(reading.seen).toEqual(['deferred-C40']);
    expect((await effects()).filter((r) => r.startsWith('deferred-'))).toEqual(['deferred-C40']);

    // The read behind the failed write fails for it (25P02); a missing fact found after it is not parked (the write came first).
    for (const [localId, name] of [['C41', 'null-ref'], ['C42', 'null-ref-waits']]) {
      const failing = dataSource.transaction((m) => router.dispatch(parsed(registration(localId, name)), source, m, 0));
      await expect(failing).rejects.toMatchObject({ code: '23502' });
    }
    expect(await dataSource.query(`SELECT 1 FROM coordination.parked_events WHERE event->'payload'->>'localId' IN ('C41', 'C42')`)).toEqual([]);
  });
});
