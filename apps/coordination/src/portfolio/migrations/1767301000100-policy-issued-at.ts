import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When each policy was issued (business time), so readers can ask what was in force at a moment. */
export class PolicyIssuedAt1767301000100 implements MigrationInterface {
  name = 'PolicyIssuedAt1767301000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.policies ADD COLUMN issued_at timestamptz NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.policies DROP COLUMN issued_at');
  }
}
