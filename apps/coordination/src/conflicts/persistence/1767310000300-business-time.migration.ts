import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Conflicts judged by business time: when a registration stopped holding its line (converted by
 * a sale, lost), and the natural key of each conflict a registration raised, so the conflicts of
 * a party and line can be reconciled with the facts whatever order they arrived in.
 */
export class ConflictsBusinessTime1767310000300 implements MigrationInterface {
  name = 'ConflictsBusinessTime1767310000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.referral_index ADD COLUMN closed_at timestamptz NULL');
    await q.query('ALTER TABLE coordination.conflict_index ADD COLUMN conflict_key text NULL');
    await q.query(`CREATE INDEX conflict_index_scope ON coordination.conflict_index (party_id, product_line) WHERE conflict_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX coordination.conflict_index_scope');
    await q.query('ALTER TABLE coordination.conflict_index DROP COLUMN conflict_key');
    await q.query('ALTER TABLE coordination.referral_index DROP COLUMN closed_at');
  }
}
