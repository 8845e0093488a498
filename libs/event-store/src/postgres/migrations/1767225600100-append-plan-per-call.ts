import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * append_to_stream is PL/pgSQL, whose statements PostgreSQL may run from a generic plan
 * cached per connection. A generic plan made while `events` was small (its statistics
 * say so until autovacuum analyses it again) looks stored event ids up by a full scan of
 * `events`, and keeps doing so as the table grows: every append then costs more the
 * bigger the store. Planning each call for its own arguments keeps the lookups on the
 * event_id index; the planning costs microseconds per append.
 */
export class EventStoreAppendPlanPerCall1767225600100 implements MigrationInterface {
  name = 'EventStoreAppendPlanPerCall1767225600100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER FUNCTION event_store.append_to_stream(text, text, bigint, jsonb) SET plan_cache_mode = force_custom_plan');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER FUNCTION event_store.append_to_stream(text, text, bigint, jsonb) RESET plan_cache_mode');
  }
}
