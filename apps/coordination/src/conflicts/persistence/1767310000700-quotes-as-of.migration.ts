import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Quote clashes judged by business time: the quotes recorded before this were judged once on
 * arrival (their clashes have no natural key), so they stay rivals but are not judged again;
 * quotes recorded from now on are (`judged_on_arrival` false by default).
 */
export class ConflictsQuotesAsOf1767310000700 implements MigrationInterface {
  name = 'ConflictsQuotesAsOf1767310000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.quote_index ADD COLUMN judged_on_arrival boolean NOT NULL DEFAULT true');
    await q.query('ALTER TABLE coordination.quote_index ALTER COLUMN judged_on_arrival SET DEFAULT false');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.quote_index DROP COLUMN judged_on_arrival');
  }
}
