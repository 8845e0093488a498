import { createEvent, type EventType } from '@lib/contracts';
import { enqueueOutbox, listDeadLetters, outboxMigrations, PoisonMessageError, PostgresLogInboundTransport } from '@lib/messaging';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { expectEventually } from '../../../../../test/infra/expect-eventually';
import { createTestDatabase, TestDatabase } from '../../../../../test/infra/postgres';
import { CoordinationCore1767300000000 } from '../migrations/1767300000000-coordination-core';
import { InboundRouter } from './inbound-router';
import { coordinationMessagingMigrations } from './inbound-runner';
import { clientKey, InboundContext, InboundHandler, MissingFactError } from './inbound.types';

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

const event = (type: EventType, payload: object): string => {
  const built = createEvent({ type, eventId: randomUUID(), subsidiary: 'life', occurredAt: '2026-03-01T08:00:00.000Z', correlationId: 'router-spec', payload });
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return JSON.stringify(built.event);
};

const registration = (localId: string, name: string) =>
  event('ClientRegistered', { localId, kind: 'person', name, gender: 'F', birthDate: '1980-01-01', phones: [], emails: [] });

const policy = (policyNo: string, holderLocalId: string) =>
  event('PolicyIssued', {
    policyNo, productCode: 'P1', productLine: 'LIFE_TERM', holderLocalId, insuredLocalIds: [holderLocalId],
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
    migrations: [...outboxMigrations('sub_life'), ...coordinationMessagingMigrations, CoordinationCore1767300000000],
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
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
    await transport!.start(new InboundRouter([new RecordingHandler()]).handlerFor('postgres-log'));
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
