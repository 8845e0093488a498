import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { ClientEvents } from '../testing/client-events';
import { startIdentityApp, type IdentityTestApp } from '../testing/identity-app';
import { identityKeyOwner, ownerOrCandidates } from './identity.store';

jest.setTimeout(120_000);

/**
 * Statements are server-side prepared (preparingClient), so after its first calls a connection may
 * run one from a generic plan, kept until the table is next analysed. A look-up of a registration's
 * identity key joined the key list to `identity_keys`: planned while the table was small, the join
 * became a hash join over a full scan of the table, which stayed a full scan per registration while
 * the table grew (a fresh deployment's first minute; the coordination bench saw 0.4 to 0.7 of them
 * per registration, each reading thousands of rows). Each key is now looked up on its own: with no
 * statistics yet, the planner takes the primary key for one key's look-up. (A table analysed while it
 * held a handful of rows may still be read whole until autovacuum analyses it again, after 50 more
 * rows and within its naptime.)
 */
describe('identity key look-ups, given plans made while identity_keys was small and not yet analysed', () => {
  let db: TestDatabase;
  let t: IdentityTestApp;
  const events = new ClientEvents();

  beforeAll(async () => {
    db = await createTestDatabase('identity_plans');
    t = await startIdentityApp(db.url);
    // A fresh deployment's first minute: a few clients, and no statistics yet (autovacuum has not
    // come round; kept off here so that it cannot come round during the test either).
    for (const table of ['identity_keys', 'match_candidates', 'party_redirects']) {
      await t.dataSource.query(`ALTER TABLE coordination.${table} SET (autovacuum_enabled = off)`);
    }
    for (let i = 0; i < 5; i++) await t.feed(events.registered('life', `LIFE-P${i}`, { name: `王${i}`, phones: [`1380000${String(i).padStart(4, '0')}`] }));
    await t.settle();
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const seqScans = async (manager: EntityManager): Promise<number> => {
    // Counts not yet flushed to the shared statistics: read in the transaction that made them.
    const [row]: Array<{ n: string }> = await manager.query(
      "SELECT coalesce(sum(seq_scan), 0)::text AS n FROM pg_stat_xact_user_tables WHERE schemaname = 'coordination' AND relname = 'identity_keys'",
    );
    return Number(row.n);
  };

  it('when the table has grown, then neither look-up scans identity_keys', async () => {
    const owner = randomUUID();
    const keys = [{ kind: 'id-hash' as const, value: 'known-key' }];
    await t.dataSource.query("INSERT INTO coordination.identity_keys (kind, value, party_id) VALUES ('id-hash', 'known-key', $1)", [owner]);
    const scans = await t.dataSource.transaction(async (manager) => {
      // Past PostgreSQL's five custom plans, on this transaction's connection, while the table is small.
      for (let i = 0; i < 12; i++) {
        await identityKeyOwner(manager, [{ kind: 'id-hash', value: `warm-${i}` }]);
        await ownerOrCandidates(manager, [{ kind: 'id-hash', value: `warm-${i}` }], [`phone:warm-${i}`]);
      }
      // Committed on another connection, not analysed yet: autovacuum has not caught up with the growth.
      await t.dataSource.query(
        `INSERT INTO coordination.identity_keys (kind, value, party_id)
         SELECT 'id-hash', 'bulk-' || g, gen_random_uuid() FROM generate_series(1, 30000) g`,
      );
      const before = await seqScans(manager);
      for (let i = 0; i < 20; i++) {
        expect(await identityKeyOwner(manager, [{ kind: 'id-hash', value: `missing-${i}` }, ...keys])).toBe(owner);
        expect(await ownerOrCandidates(manager, keys, ['phone:none'])).toEqual({ owner, candidates: null });
        expect((await ownerOrCandidates(manager, [{ kind: 'id-hash', value: `missing-${i}` }], ['phone:none'])).owner).toBeNull();
      }
      return (await seqScans(manager)) - before;
    });
    expect(scans).toBe(0);
  });
});
