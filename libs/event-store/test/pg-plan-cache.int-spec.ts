import { randomUUID } from 'node:crypto';
import { createPgFixture, type PgFixture } from './pg-fixture';

/**
 * append_to_stream is PL/pgSQL: PostgreSQL may cache a generic plan per connection for its
 * statements. Planned while `events` is small, the duplicate-id lookup would stay a full
 * scan of `events` after the table has grown, making every append cost more as the store
 * grows. The function is set to plan each call for its own arguments.
 */
let fx: PgFixture;

beforeAll(async () => {
  fx = await createPgFixture('es_plan_cache', { poolSize: 1 });
});

afterAll(async () => fx?.close());

const event = (type: string) => ({ eventId: randomUUID(), type, data: { n: 1 }, metadata: {} });

it('given plans made on a small table, when the table has grown, then an append does not scan the events table', async () => {
  // Statistics of a tiny table (as autovacuum takes them early in a store's life), then warm the one
  // pooled connection's plan cache (more than 5 calls: past PostgreSQL's custom-plan phase).
  for (let i = 0; i < 5; i++) await fx.store.append(`small-${i}`, [event('Small')], 'no_stream');
  await fx.owner.query('ANALYZE event_store.events');
  for (let i = 0; i < 12; i++) await fx.store.append(`warm-${i}`, [event('Warmed')], 'no_stream');
  await fx.owner.query(
    `INSERT INTO event_store.events (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
     SELECT 'bulk-' || g, 'bulk-' || g, 0, 'Bulk', 1, '{}'::jsonb, '{}'::jsonb FROM generate_series(1, 30000) g`,
  ); // no ANALYZE yet: autovacuum has not caught up with the growth

  // Scan counts not yet flushed to the shared statistics: read before and after, inside one transaction.
  const scans = await fx.app.transaction(async (manager) => {
    const count = async () => Number((await manager.query(`SELECT seq_scan FROM pg_stat_xact_user_tables WHERE schemaname = 'event_store' AND relname = 'events'`))[0]?.seq_scan ?? 0);
    const before = await count();
    for (let i = 0; i < 20; i++) await fx.store.append(`after-${i}`, [event('Grown')], 'no_stream', { manager });
    await fx.store.append('after-0', [event('Grown')], 'stream_exists', { manager });
    return (await count()) - before;
  });
  expect(scans).toBe(0);
});
