import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each servicing history row a coordinator's whole-book reassignment made keeps where the book was made
 * (`made_after_seq`: its `after_seq`, the last row recorded then), so within its day it comes before a
 * coordinator's reassignment made after the book even when it was recorded after it (a late fact gave the
 * book's agent the policy before it, and the book handed it on then). Every other row is where it was
 * recorded (none). Rows kept before the column take their book's, once, when the column is added.
 */
export class CreditServicingMadeAfter1767330000800 implements MigrationInterface {
  name = 'CreditServicingMadeAfter1767330000800';

  async up(q: QueryRunner): Promise<void> {
    const [{ present }]: Array<{ present: boolean }> = await q.query(
      `SELECT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'coordination' AND table_name = 'credit_servicing_history' AND column_name = 'made_after_seq') AS present`);
    if (present) return;
    await q.query('ALTER TABLE coordination.credit_servicing_history ADD COLUMN made_after_seq bigint');
    await q.query(`UPDATE coordination.credit_servicing_history h SET made_after_seq = b.after_seq
                     FROM coordination.credit_book_reassignments b WHERE b.id = h.book_reassignment_id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.credit_servicing_history DROP COLUMN made_after_seq');
  }
}
