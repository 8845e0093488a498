import type { SubsidiaryEvent } from '@lib/contracts';
import { batchHooksOf, isBatchYield, type InboundMessage } from '@lib/messaging';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { InboundRouter } from '../../infrastructure/inbound/inbound-router';
import type { ClientView } from '../domain';
import { ClientEvents, residentId } from '../testing/client-events';
import { startIdentityApp, type IdentityTestApp } from '../testing/identity-app';
import { resolutionLockNames, sourceRecordOf } from './client-record.mapping';

jest.setTimeout(120_000);

let db: TestDatabase;
let t: IdentityTestApp;
const events = new ClientEvents();

beforeAll(async () => {
  db = await createTestDatabase('identity_resolution');
  t = await startIdentityApp(db.url);
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const requireView = async (partyId: string | null): Promise<ClientView> => {
  if (!partyId) throw new Error('client has no party');
  const view = await t.view(partyId);
  if (!view) throw new Error(`no view for ${partyId}`);
  return view;
};

describe('identity resolution from subsidiary events', () => {
  it('given the same person in life, P&C (a name typo, no id) and group (another phone), then one party with three identities', async () => {
    const id = residentId('1989-12-23');
    await t.feed(events.registered('life', 'LIFE-0000107', { name: '徐思远', birthDate: '1989-12-23', idNumber: id, phones: ['15054360764'], address: '北京市淮海路197号' }));
    await t.feed(events.registered('pnc', 'PNC-0000888', { name: '徐思源', birthDate: '1989-12-23', phones: ['15054360764'] }));
    await t.feed(events.registered('group', 'GRP-0000031', { name: '徐思远', birthDate: '1989-12-23', idNumber: id, phones: ['13911112222'] }));

    const partyId = await t.partyOf('life', 'LIFE-0000107');
    expect(await t.partyOf('pnc', 'PNC-0000888')).toBe(partyId);
    expect(await t.partyOf('group', 'GRP-0000031')).toBe(partyId);
    await t.settle();
    const view = await requireView(partyId);
    expect(view.subsidiaries).toEqual(['life', 'pnc', 'group']);
    const methods = Object.fromEntries(view.identities.map((i) => [i.subsidiary, i.redacted ? null : i.method]));
    expect(methods).toEqual({ life: 'origin', pnc: 'probabilistic', group: 'deterministic' });
    const pnc = view.identities.find((i) => i.subsidiary === 'pnc');
    expect(pnc && !pnc.redacted && pnc.score).toBeGreaterThanOrEqual(0.99);
    // The identity number shows masked only; the HMAC never reaches a view.
    expect(JSON.stringify(view)).not.toContain(id);
    expect(view.profile.identity).toMatchObject({ value: { type: 'RESIDENT_ID', masked: expect.stringMatching(/^\d{3}\*+\d{4}$/) } });
  });

  it('given two registrations of one identity in concurrent transactions, then one party holds both', async () => {
    const id = residentId('1975-04-02', 'F');
    const life = events.registered('life', 'LIFE-RACE-1', { name: '林晓梅', gender: 'F', birthDate: '1975-04-02', idNumber: id });
    const group = events.registered('group', 'GRP-RACE-1', { name: '林小梅', gender: 'F', idNumber: id, phones: ['13700001111'] });
    await Promise.all([t.feed(life), t.feed(group)]);

    const partyId = await t.partyOf('life', 'LIFE-RACE-1');
    expect(partyId).not.toBeNull();
    expect(await t.partyOf('group', 'GRP-RACE-1')).toBe(partyId);
    const keys = await t.dataSource.query(`SELECT party_id FROM coordination.identity_keys WHERE party_id = $1`, [partyId]);
    expect(keys).toHaveLength(1);
    const registered = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM coordination.party_links WHERE (subsidiary, local_id) IN (('life', 'LIFE-RACE-1'), ('group', 'GRP-RACE-1'))
        GROUP BY party_id`,
    );
    expect(registered).toEqual([{ n: 2 }]);
  });

  it('given an update and a consent change before the registration, then both are parked and completed on registration', async () => {
    const [t1, t2, t3] = [events.next(), events.next(), events.next()];
    await t.feed(events.updated('life', 'LIFE-EARLY-1', { name: '周建国', birthDate: '1970-01-15', phones: ['13600002222'] }, t2));
    await t.feed(events.consent('life', 'LIFE-EARLY-1', 'group-sharing', true, t3));
    const parked = await t.dataSource.query(`SELECT awaits FROM coordination.parked_events WHERE awaits = 'client:life:LIFE-EARLY-1'`);
    expect(parked).toHaveLength(2);

    await t.feed(events.registered('life', 'LIFE-EARLY-1', { name: '周建囯', birthDate: '1970-01-15' }, t1));
    expect(await t.dataSource.query(`SELECT 1 FROM coordination.parked_events WHERE awaits = 'client:life:LIFE-EARLY-1'`)).toHaveLength(0);
    await t.settle();
    const view = await requireView(await t.partyOf('life', 'LIFE-EARLY-1'));
    const life = view.identities[0];
    if (life.redacted) throw new Error('unexpected redaction');
    expect(life.profile).toMatchObject({ name: '周建国', phones: ['13600002222'] });
    expect(life.consent).toMatchObject({ groupSharing: true, marketing: false });
  });

  it('given a relationship, then both ends show it, each from its side', async () => {
    await t.feed(events.registered('life', 'LIFE-HUS', { name: '王大明', birthDate: '1980-05-05', phones: ['13500003333'] }));
    await t.feed(events.registered('life', 'LIFE-WIFE', { name: '李小红', gender: 'F', birthDate: '1982-06-06', phones: ['13500004444'] }));
    await t.feed(events.relationship('life', 'LIFE-HUS', 'spouse', 'LIFE-WIFE'));
    await t.feed(events.relationship('life', 'LIFE-WIFE', 'beneficiary', 'LIFE-HUS'));
    await t.settle();
    const [hus, wife] = [await t.partyOf('life', 'LIFE-HUS'), await t.partyOf('life', 'LIFE-WIFE')];
    const husView = await requireView(hus);
    expect(husView.relationships.map((r) => [r.role, r.direction, r.otherPartyId]).sort()).toEqual([
      ['has-beneficiary', 'incoming', wife],
      ['spouse', 'outgoing', wife],
    ]);
    expect((await requireView(wife)).relationships.map((r) => r.role).sort()).toEqual(['beneficiary', 'spouse']);
  });
});

describe('identity locks inside a Kafka batch', () => {
  const message = (event: SubsidiaryEvent, offset: number): InboundMessage => ({
    topic: `subsidiary.${event.subsidiary}.events`, partition: 0, offset: String(offset), key: null, value: JSON.stringify(event), headers: {}, timestamp: '0',
  });
  const lockNamesOf = (event: SubsidiaryEvent) => {
    if (event.type !== 'ClientRegistered') throw new Error('a registration');
    return resolutionLockNames(sourceRecordOf(event.subsidiary, event.payload, event.occurredAt));
  };

  it('given a registration behind another in its batch whose identity another consumer is resolving, then it yields instead of waiting (no deadlock), leaves nothing, and applies first in the next transaction', async () => {
    const first = events.registered('life', 'LIFE-YIELD-1', { name: '周晓东', birthDate: '1980-02-02', idNumber: residentId('1980-02-02') });
    const second = events.registered('pnc', 'PNC-YIELD-2', { name: '吴雨桐', gender: 'F', birthDate: '1991-07-09', idNumber: residentId('1991-07-09', 'F') });
    const handler = t.app.get(InboundRouter).handlerFor('kafka');
    const hooks = batchHooksOf(handler)!;
    // Another consumer's transaction holds one of the second registration's identity locks.
    const other = t.dataSource.createQueryRunner();
    await other.connect();
    await other.startTransaction();
    await other.query(`SELECT pg_advisory_xact_lock(hashtextextended('identity:' || $1, 0))`, [lockNamesOf(second)[0]]);

    let yielded: unknown = null;
    await t.dataSource.transaction(async (manager) => {
      const batch = [message(first, 1), message(second, 2)];
      await hooks.prepare(batch, manager);
      await handler(batch[0], manager);
      yielded = await handler(batch[1], manager).then(() => null, (error: unknown) => error);
      await hooks.finish(manager);
    });
    expect(isBatchYield(yielded)).toBe(true);
    expect(await t.partyOf('life', 'LIFE-YIELD-1')).not.toBeNull();
    expect(await t.partyOf('pnc', 'PNC-YIELD-2')).toBeNull();
    const left = await t.dataSource.query(
      `SELECT (SELECT count(*)::int FROM coordination.match_candidates WHERE local_id = 'PNC-YIELD-2') AS candidates,
              (SELECT count(*)::int FROM coordination.processed_events WHERE event_id = $1) AS processed`, [second.eventId]);
    expect(left).toEqual([{ candidates: 0, processed: 0 }]);

    // First in its own transaction it waits for the lock, and goes on once the other consumer commits.
    const next = t.dataSource.transaction(async (manager) => {
      await hooks.prepare([message(second, 2)], manager);
      await handler(message(second, 2), manager);
      await hooks.finish(manager);
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await t.partyOf('pnc', 'PNC-YIELD-2')).toBeNull();
    await other.commitTransaction();
    await other.release();
    await next;
    expect(await t.partyOf('pnc', 'PNC-YIELD-2')).not.toBeNull();
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM coordination.processed_events WHERE event_id = $1', [second.eventId])).toEqual([{ n: 1 }]);
  });
});
