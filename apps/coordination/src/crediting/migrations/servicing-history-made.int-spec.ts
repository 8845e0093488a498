import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { startCreditingApp, type CreditingTestApp } from '../test/crediting-test-app';
import { CreditServicingMadeAfter1767330000800 } from './1767330000800-servicing-history-made';

jest.setTimeout(120_000);

/**
 * The servicing history's `made_after_seq`: rows kept before it existed that a whole-book reassignment made
 * take the book's `after_seq` (where it was made, whenever they were recorded); every other row none.
 * Filled once, when the column is added.
 */
describe('migration 1767330000800: where the whole-book reassignment each servicing row was made by was made', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('servicing_history_made');
    h = await startCreditingApp(db.url);
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it("gives a whole-book reassignment's rows its after_seq, and no other row any, once", async () => {
    await h.dataSource.query('ALTER TABLE coordination.credit_servicing_history DROP COLUMN made_after_seq');
    const insert = (policyNo: string, date: string, agentId: string, fromAgentId: string | null, rule: string | null, bookId: number | null = null) => h.dataSource.query(
      `INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule, book_reassignment_id)
       VALUES ('pnc', $1, $2, $3, $4, $5, $6)`, [policyNo, date, agentId, fromAgentId, rule, bookId]);
    const book = async (from: string, to: string, date: string) => {
      const [{ id, afterSeq }] = await h.dataSource.query(
        `INSERT INTO coordination.credit_book_reassignments (from_agent_id, to_agent_id, effective_date, reason, after_seq, made_at)
         VALUES ($1, $2, $3, 'moves', (SELECT COALESCE(max(seq), 0) FROM coordination.credit_servicing_history), now()) RETURNING id::int AS id, after_seq::int AS "afterSeq"`,
        [from, to, date]);
      return { id: id as number, afterSeq: afterSeq as number };
    };
    for (const no of ['SM-1', 'SM-2', 'SM-3']) await insert(no, '2026-03-01', 'X', null, null);
    const whole = await book('X', 'C', '2026-11-23');
    await insert('SM-1', '2026-11-23', 'C', 'X', 'coordinator', whole.id); // the book's, as made
    await insert('SM-2', '2026-11-23', 'D', 'C', 'coordinator'); // named, made after it
    await insert('SM-3', '2026-06-30', 'X', 'Y', 'least-loaded-in-branch'); // a termination's
    await insert('SM-3', '2026-11-23', 'C', 'X', 'coordinator', whole.id); // the book's, followed later
    const made = async () => (await h.dataSource.query(
      `SELECT concat_ws(' ', policy_no, effective_date::text, coalesce(from_agent_id, '-'), agent_id, made_after_seq) AS row
         FROM coordination.credit_servicing_history WHERE policy_no LIKE 'SM-%' ORDER BY seq`)).map((r: { row: string }) => r.row);
    const expected = [
      'SM-1 2026-03-01 - X', 'SM-2 2026-03-01 - X', 'SM-3 2026-03-01 - X', `SM-1 2026-11-23 X C ${whole.afterSeq}`, 'SM-2 2026-11-23 C D',
      'SM-3 2026-06-30 Y X', `SM-3 2026-11-23 X C ${whole.afterSeq}`,
    ];
    for (let run = 0; run < 2; run++) {
      const runner = h.dataSource.createQueryRunner();
      try {
        await new CreditServicingMadeAfter1767330000800().up(runner);
      } finally {
        await runner.release();
      }
      expect(await made()).toEqual(expected);
      // Once added, a row recorded since is left alone by a second run.
      if (run === 0) await insert('SM-4', '2026-11-23', 'C', 'X', 'coordinator', whole.id);
      if (run === 0) expected.push('SM-4 2026-11-23 X C');
    }
  });
});
