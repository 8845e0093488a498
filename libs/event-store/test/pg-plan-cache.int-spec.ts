import { randomUUID } from 'node:crypto';
import { createPgFixture, type PgFixture } from './pg-fixture';

/**
 * append_to_stream and append_batch are PL/pgSQL: each connection caches a generic plan for
 * their statements. Planned on statistics that say `events` or `streams` is tiny (or empty),
 * a lookup by key would stay a full scan of the table after it has grown, making every append
 * cost more as the store grows. The functions run with enable_seqscan off, so no plan of theirs
 * scans either table whatever the statistics say (migration 1767225600300).
 */
let fx: PgFixture;

// A store of its own per case: the statistics must be those of its own early life.
beforeEach(async () => {
  fx = await createPgFixture('es_plan_cache', { poolSize: 1 });
});

afterEach(async () => fx?.close());

const event = (type: string) => ({ eventId: randomUUID(), type, data: { n: 1 }, metadata: {} });

it.each([
  ['tiny', 5],
  ['empty', 0],
])('given plans made on %s tables, when the tables have grown, then neither append function scans events or streams', async (_, early) => {
  // Statistics of a tiny or empty store (as autovacuum takes them early in its life), then warm the
  // one pooled connection's plan cache (more than 5 calls: past PostgreSQL's custom-plan phase).
  for (let i = 0; i < early; i++) await fx.store.append(`small-${_}-${i}`, [event('Small')], 'no_stream');
  await fx.owner.query('ANALYZE event_store.events; ANALYZE event_store.streams');
  for (let i = 0; i < 12; i++) {
    await fx.store.append(`warm-${_}-${i}`, [event('Warmed')], 'no_stream');
    await fx.store.appendMany([{ streamId: `warm-many-${_}-${i}`, events: [event('Warmed')], expected: 'no_stream' }, { streamId: `warm-more-${_}-${i}`, events: [event('Warmed')] }]);
  }
  await fx.owner.query(
    `WITH s AS (INSERT INTO event_store.streams (stream_id, revision) SELECT 'bulk-${_}-' || g, 0 FROM generate_series(1, 30000) g RETURNING stream_id)
     INSERT INTO event_store.events (event_id, stream_id, stream_revision, type, schema_version, data, metadata)
     SELECT 'bulk-${_}-' || g, 'bulk-${_}-' || g, 0, 'Bulk', 1, '{}'::jsonb, '{}'::jsonb FROM generate_series(1, 30000) g`,
  ); // no ANALYZE yet: autovacuum has not caught up with the growth

  // Scan counts not yet flushed to the shared statistics: read before and after, inside one transaction.
  const scans = await fx.app.transaction(async (manager) => {
    const count = async () => {
      const rows: Array<{ relname: string; seq_scan: string }> = await manager.query(
        `SELECT relname, seq_scan::text AS seq_scan FROM pg_stat_xact_user_tables WHERE schemaname = 'event_store' AND relname IN ('events', 'streams') ORDER BY relname`,
      );
      return Object.fromEntries(rows.map((r) => [r.relname, Number(r.seq_scan)]));
    };
    const before = await count();
    for (let i = 0; i < 20; i++) {
      await fx.store.append(`after-${_}-${i}`, [event('Grown')], 'no_stream', { manager });
      await fx.store.appendMany([{ streamId: `after-many-${_}-${i}`, events: [event('Grown')] }, { streamId: `after-${_}-${i}`, events: [event('Grown')], expected: 0n }], { manager });
    }
    await fx.store.append(`after-${_}-0`, [event('Grown')], 'stream_exists', { manager });
    const after = await count();
    return { events: (after.events ?? 0) - (before.events ?? 0), streams: (after.streams ?? 0) - (before.streams ?? 0) };
  });
  expect(scans).toEqual({ events: 0, streams: 0 });
});
