import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { eventStoreAppRoleSql } from '@lib/event-store';
import { event } from '@lib/event-store/testing/event-store.contract';
import { expectEventually } from '../../../test/infra/expect-eventually';
import { createPgFixture, type PgFixture } from './pg-fixture';

describe('PostgreSQL event store permissions', () => {
  let fx: PgFixture;
  const streamId = `perm-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fx = await createPgFixture('es_permissions');
    await fx.store.append(streamId, [event('Kept', { premium: '100.00' })]);
    await expectEventually(async () => {
      await fx.store.seal();
      expect((await fx.store.verifyIntegrity()).checkedCount).toBe(1);
    });
  });
  afterAll(() => fx?.close());

  it.each([
    ['UPDATE events', `UPDATE event_store.events SET data = '{}'`],
    ['DELETE events', `DELETE FROM event_store.events`],
    ['TRUNCATE events', `TRUNCATE event_store.events`],
    ['UPDATE seals', `UPDATE event_store.seals SET chain_hash = ''`],
    ['DELETE seals', `DELETE FROM event_store.seals`],
    ['choose tx_id on INSERT', `INSERT INTO event_store.events (tx_id, event_id, stream_id, stream_revision, type, schema_version, data, metadata) VALUES ('1', 'x', 'x', 0, 'x', 1, '{}', '{}')`],
    ['choose recorded_at on INSERT', `INSERT INTO event_store.events (recorded_at, event_id, stream_id, stream_revision, type, schema_version, data, metadata) VALUES (now(), 'x', 'x', 0, 'x', 1, '{}', '{}')`],
    ['DELETE checkpoints', `DELETE FROM event_store.checkpoints`],
    ['CREATE in the schema', `CREATE TABLE event_store.shadow (id int)`],
  ])('the application role cannot %s', async (_label, sql) => {
    await expect(fx.app.query(sql)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/permission denied/) });
  });

  it('the owner is stopped by the append-only triggers too', async () => {
    await expect(fx.owner.query(`UPDATE event_store.events SET data = '{}'`)).rejects.toMatchObject({ code: '42501', message: expect.stringMatching(/append-only/) });
    await expect(fx.owner.query(`DELETE FROM event_store.seals`)).rejects.toMatchObject({ code: '42501' });
    await expect(fx.owner.query(`TRUNCATE event_store.events`)).rejects.toMatchObject({ code: '42501' });
  });

  it('nothing was changed by the refused statements', async () => {
    expect((await fx.store.readStream(streamId)).map((e) => e.data)).toEqual([{ premium: '100.00' }]);
    expect(await fx.store.verifyIntegrity()).toMatchObject({ ok: true, checkedCount: 1 });
  });

  it('creating the same role from several sessions at once succeeds in each (roles are cluster-wide; parallel databases race like this)', async () => {
    const role = `xsell_es_race_${randomUUID().slice(0, 8)}`;
    const [createRole] = eventStoreAppRoleSql({ role });
    const sources = await Promise.all(Array.from({ length: 4 }, () => new DataSource({ type: 'postgres', url: fx.db.url, poolSize: 1 }).initialize()));
    try {
      await Promise.all(sources.map((s) => s.query(createRole)));
      await Promise.all(sources.map((s) => s.query(createRole)));
      expect(await fx.owner.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [role])).toHaveLength(1);
    } finally {
      await Promise.all(sources.map((s) => s.destroy()));
      await fx.owner.query(`DROP ROLE IF EXISTS "${role}"`);
    }
  });

  it('refuses role names that would need quoting', () => {
    expect(() => eventStoreAppRoleSql({ role: 'App"; DROP' })).toThrow(/invalid role name/);
  });
});
