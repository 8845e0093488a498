import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Parked events get a retry schedule. With partitions consumed concurrently, the event that
 * provides a key can commit while the event waiting for it is still being parked in another
 * transaction, so it never sees the parked row: the parked-event sweep retries each parked
 * event when its `retry_at` comes, backing off by `attempts`.
 */
export class ParkedRetry1767300000100 implements MigrationInterface {
  name = 'ParkedRetry1767300000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE coordination.parked_events
      ADD COLUMN attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN retry_at timestamptz NOT NULL DEFAULT now()`);
    await q.query('CREATE INDEX parked_events_retry_at ON coordination.parked_events (retry_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX coordination.parked_events_retry_at');
    await q.query('ALTER TABLE coordination.parked_events DROP COLUMN retry_at, DROP COLUMN attempts');
  }
}
