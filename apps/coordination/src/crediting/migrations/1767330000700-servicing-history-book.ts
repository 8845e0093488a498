import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each servicing history row a coordinator's whole-book reassignment made names it (`book_reassignment_id`),
 * so a named reassignment with the same giver, target and day is never taken for it (a late status change
 * takes back the book's own hand-outs only, and the book is done for a policy only by its own). Rows kept
 * before the column existed: a coordinator's row is the book's when a whole-book reassignment with its giver,
 * target and day was made before it was recorded (the latest such, `after_seq` below its seq); a named one
 * made earlier that day is not. A named one made later that day with the same giver and target cannot be told
 * from the book's and is read as the book's, as before. Filled once, when the column is added.
 */
export class CreditServicingBookReassignment1767330000700 implements MigrationInterface {
  name = 'CreditServicingBookReassignment1767330000700';

  async up(q: QueryRunner): Promise<void> {
    const [{ present }]: Array<{ present: boolean }> = await q.query(
      `SELECT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'coordination' AND table_name = 'credit_servicing_history' AND column_name = 'book_reassignment_id') AS present`);
    if (present) return;
    await q.query('ALTER TABLE coordination.credit_servicing_history ADD COLUMN book_reassignment_id bigint');
    await q.query(`UPDATE coordination.credit_servicing_history h SET book_reassignment_id = (
        SELECT b.id FROM coordination.credit_book_reassignments b
         WHERE b.from_agent_id = h.from_agent_id AND b.to_agent_id = h.agent_id AND b.effective_date = h.effective_date AND b.after_seq < h.seq
         ORDER BY b.after_seq DESC, b.id DESC LIMIT 1)
      WHERE h.rule = 'coordinator'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE coordination.credit_servicing_history DROP COLUMN book_reassignment_id');
  }
}
