import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lost and expired referrals are link candidates by business time: a sale issued before the loss
 * (or inside the window of an expired one) converts it whichever arrived first. The loss time is
 * kept apart from `closed_at`, which a later conversion overwrites with the sale's issue time.
 */
export class ConflictsClosedReferrals1767310000600 implements MigrationInterface {
  name = 'ConflictsClosedReferrals1767310000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.referral_index ADD COLUMN lost_at timestamptz NULL');
    await q.query(`UPDATE coordination.referral_index SET lost_at = closed_at WHERE status = 'lost'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.referral_index DROP COLUMN lost_at');
  }
}
