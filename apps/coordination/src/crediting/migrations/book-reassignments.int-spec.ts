import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { bookReassignmentsOf, recordBookReassignment } from '../orphans/book-reassignments';
import { startCreditingApp, type CreditingTestApp } from '../test/crediting-test-app';
import { CreditBookReassignments1767330000600 } from './1767330000600-book-reassignments';

jest.setTimeout(120_000);

/**
 * A coordinator's whole-book reassignments (`credit_book_reassignments`): created empty (none made before
 * it can be told from a named one), again without harm, and each kept after the servicing rows recorded
 * when it was made.
 */
describe('migration 1767330000600: whole-book reassignments kept', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('book_reassignments');
    h = await startCreditingApp(db.url);
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('creates the table once, and keeps each reassignment after the rows recorded when it was made', async () => {
    await h.dataSource.query('DROP TABLE coordination.credit_book_reassignments');
    for (let run = 0; run < 2; run++) {
      const runner = h.dataSource.createQueryRunner();
      try {
        await new CreditBookReassignments1767330000600().up(runner);
      } finally {
        await runner.release();
      }
      expect(await h.dataSource.query('SELECT count(*)::int AS n FROM coordination.credit_book_reassignments')).toEqual([{ n: 0 }]);
    }
    await h.dataSource.query(
      `INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule) VALUES ('pnc', 'BR-1', '2026-03-01', 'X', NULL, NULL)`);
    const [{ seq }] = await h.dataSource.query("SELECT max(seq)::int AS seq FROM coordination.credit_servicing_history");
    const made = await recordBookReassignment(h.dataSource.manager,
      { fromAgentId: 'X', toAgentId: 'C', effectiveDate: '2026-11-23', reason: 'X moves to commercial lines', madeAt: new Date('2026-11-23T10:00:00Z') });
    expect(made.afterSeq).toBe(seq);
    expect(await bookReassignmentsOf(h.dataSource.manager, ['X', 'Y'])).toEqual([made]);
    expect(await bookReassignmentsOf(h.dataSource.manager, ['Y'])).toEqual([]);
  });
});
