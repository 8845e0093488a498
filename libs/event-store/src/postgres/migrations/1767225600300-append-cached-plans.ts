import type { MigrationInterface, QueryRunner } from 'typeorm';

const FUNCTIONS = ['event_store.append_to_stream(text, text, bigint, jsonb)', 'event_store.append_batch(jsonb)'];

/**
 * The append functions planned every statement on every call (plan_cache_mode =
 * force_custom_plan), so that a generic plan made while `events` or `streams` looked empty
 * could not scan them whole for the rest of a connection's life. That planning was about half
 * of an append's cost (5,000 single-event appends in one session: 0.94-1.02 s planned per call,
 * 0.49-0.51 s with cached plans, PostgreSQL 18 on the 2-core development machine).
 *
 * Now each connection plans them once and keeps the plans, and the functions run with
 * enable_seqscan off: every statement in them reads `events` and `streams` by a unique key, so
 * no plan of theirs, generic or not, made on any statistics, scans either table. Measured the
 * way the danger arises (the tables analysed while empty, then 40,000 appends in one session):
 * with cached plans alone each 5,000 took 4.0 s, then 10.7, 16.9... 57.8 s (a full scan per
 * append); with enable_seqscan off, 0.37-0.43 s each, flat.
 */
export class EventStoreAppendCachedPlans1767225600300 implements MigrationInterface {
  name = 'EventStoreAppendCachedPlans1767225600300';

  async up(q: QueryRunner): Promise<void> {
    for (const fn of FUNCTIONS) {
      await q.query(`ALTER FUNCTION ${fn} RESET plan_cache_mode`);
      await q.query(`ALTER FUNCTION ${fn} SET enable_seqscan = off`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const fn of FUNCTIONS) {
      await q.query(`ALTER FUNCTION ${fn} RESET enable_seqscan`);
      await q.query(`ALTER FUNCTION ${fn} SET plan_cache_mode = force_custom_plan`);
    }
  }
}
