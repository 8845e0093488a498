import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The write side's own bookkeeping: handled event ids and events parked until a prerequisite arrives. */
export class CoordinationCore1767300000000 implements MigrationInterface {
  name = 'CoordinationCore1767300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA IF NOT EXISTS coordination');
    await q.query(`CREATE TABLE coordination.processed_events (
      event_id uuid PRIMARY KEY,
      handled_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`CREATE TABLE coordination.parked_events (
      id bigserial PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      awaits text NOT NULL,
      event jsonb NOT NULL,
      source jsonb NOT NULL,
      reason text NOT NULL,
      parked_at timestamptz NOT NULL DEFAULT now())`);
    await q.query('CREATE INDEX parked_events_awaits ON coordination.parked_events (awaits, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.parked_events');
    await q.query('DROP TABLE coordination.processed_events');
  }
}
