import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { startCreditingApp, type CreditingTestApp } from '../test/crediting-test-app';
import { CreditServicingBookReassignment1767330000700 } from './1767330000700-servicing-history-book';

jest.setTimeout(120_000);

/**
 * The servicing history's `book_reassignment_id`: rows kept before it existed name the whole-book
 * reassignment made before them with their giver, target and day (the latest such); a named reassignment
 * made earlier that day, and every other row, name none. Filled once, when the column is added.
 */
describe('migration 1767330000700: the whole-book reassignment each servicing row was made by', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('servicing_history_book');
    h = await startCreditingApp(db.url);
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('names the book a coordinator row was recorded after, never a named one made before it, once', async () => {
    await h.dataSource.query('ALTER TABLE coordination.credit_servicing_history DROP COLUMN book_reassignment_id');
    const insert = (policyNo: string, date: string, agentId: string, fromAgentId: string | null, rule: string | null) => h.dataSource.query(
      `INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule) VALUES ('pnc', $1, $2, $3, $4, $5)`,
      [policyNo, date, agentId, fromAgentId, rule]);
    const book = async (from: string, to: string, date: string) => {
      const [{ id }] = await h.dataSource.query(
        `INSERT INTO coordination.credit_book_reassignments (from_agent_id, to_agent_id, effective_date, reason, after_seq, made_at)
         VALUES ($1, $2, $3, 'moves', (SELECT COALESCE(max(seq), 0) FROM coordination.credit_servicing_history), now()) RETURNING id::int AS id`, [from, to, date]);
      return id as number;
    };
    for (const no of ['SB-1', 'SB-2', 'SB-3', 'SB-4']) await insert(no, '2026-03-01', 'X', null, null);
    await insert('SB-2', '2026-11-23', 'C', 'X', 'coordinator'); // named, made before the book: not its
    const first = await book('X', 'C', '2026-11-23');
    await insert('SB-1', '2026-11-23', 'C', 'X', 'coordinator'); // the book's
    await insert('SB-3', '2026-11-23', 'D', 'X', 'coordinator'); // another target: not its
    await insert('SB-4', '2026-06-30', 'C', 'X', 'least-loaded-in-branch'); // a termination's
    await insert('SB-4', '2026-11-24', 'X', 'C', 'coordinator'); // another day, from another agent
    const second = await book('X', 'C', '2026-11-23'); // made again the same day: the later rows are its
    await insert('SB-3', '2026-11-23', 'C', 'X', 'coordinator');
    const named = async () => (await h.dataSource.query(
      `SELECT concat_ws(' ', policy_no, effective_date::text, from_agent_id, agent_id, book_reassignment_id) AS row
         FROM coordination.credit_servicing_history WHERE policy_no LIKE 'SB-%' AND from_agent_id IS NOT NULL ORDER BY seq`)).map((r: { row: string }) => r.row);
    const expected = [
      'SB-2 2026-11-23 X C', `SB-1 2026-11-23 X C ${first}`, 'SB-3 2026-11-23 X D', 'SB-4 2026-06-30 X C', 'SB-4 2026-11-24 C X', `SB-3 2026-11-23 X C ${second}`,
    ];
    for (let run = 0; run < 2; run++) {
      const runner = h.dataSource.createQueryRunner();
      try {
        await new CreditServicingBookReassignment1767330000700().up(runner);
      } finally {
        await runner.release();
      }
      expect(await named()).toEqual(expected);
      // Once filled, a named row recorded since is left alone by a second run.
      if (run === 0) await insert('SB-5', '2026-11-23', 'C', 'X', 'coordinator');
      if (run === 0) expected.push('SB-5 2026-11-23 X C');
    }
  });
});
