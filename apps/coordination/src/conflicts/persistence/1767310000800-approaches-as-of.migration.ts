import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Approaches other than quotes (visits, calls...) kept like quotes, so a policy, renewal or status
 * change that arrives after one and changes the party's tier at its time judges it again. Approaches
 * logged before this were judged once on arrival and are not kept: their conflicts stay as they are.
 */
export class ConflictsApproachesAsOf1767310000800 implements MigrationInterface {
  name = 'ConflictsApproachesAsOf1767310000800';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.approach_index (
      approach_id text PRIMARY KEY,
      party_id text NOT NULL,
      product_line text NOT NULL,
      subsidiary text NOT NULL,
      channel text NOT NULL,
      agent_id text NOT NULL,
      approached_at timestamptz NOT NULL)`);
    await q.query('CREATE INDEX approach_index_party_line ON coordination.approach_index (party_id, product_line, approached_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.approach_index');
  }
}
