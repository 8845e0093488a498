import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { startCreditingApp, type CreditingTestApp } from '../test/crediting-test-app';
import { CreditServicingSuperseded1767330000500 } from './1767330000500-servicing-history-superseded';

jest.setTimeout(120_000);

/**
 * The servicing history's `superseded` column: rows kept before it existed start standing, except a
 * termination's hand-out replaced by a later-recorded one of the same termination (its judgement
 * again), which the readers already passed over.
 */
describe('migration 1767330000500: servicing history rows a hand-out judged again supersedes', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;
  const LL = 'least-loaded-in-branch';
  const rows: Array<[policyNo: string, date: string, agentId: string, fromAgentId: string | null, rule: string | null]> = [
    ['SP-1', '2026-03-01', 'X', null, null],
    ['SP-1', '2026-06-30', 'Y', 'X', LL], // replaced by the next: superseded
    ['SP-1', '2026-06-30', 'W', 'X', LL],
    ['SP-1', '2026-11-23', 'C', 'W', 'coordinator'],
    ['SP-2', '2026-03-01', 'X', null, null],
    ['SP-2', '2026-06-30', 'Y', 'X', 'team-leader'],
    ['SP-2', '2026-09-30', 'Z', 'Y', LL], // another termination's: stands
    ['SP-2', '2027-03-01', 'R', 'Z', 'renewal'],
    ['SP-2', '2027-03-01', 'R', 'Z', 'renewal'], // a renewal told twice is no hand-out
  ];
  const flags = async () => (await h.dataSource.query(
    `SELECT policy_no, effective_date::text AS date, agent_id, superseded FROM coordination.credit_servicing_history
      WHERE policy_no LIKE 'SP-%' ORDER BY seq`)).map((r: { policy_no: string; date: string; agent_id: string; superseded: boolean }) =>
    `${r.policy_no} ${r.date} ${r.agent_id}${r.superseded ? ' superseded' : ''}`);

  beforeAll(async () => {
    db = await createTestDatabase('servicing_superseded');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-9', randomUUID());
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('is false for rows the app records, and marks only the replaced hand-outs of a history kept before it, once', async () => {
    await h.dataSource.query('ALTER TABLE coordination.credit_servicing_history DROP COLUMN superseded');
    for (const [policyNo, date, agentId, fromAgentId, rule] of rows) {
      await h.dataSource.query(
        `INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule) VALUES ('pnc', $1, $2, $3, $4, $5)`,
        [policyNo, date, agentId, fromAgentId, rule]);
    }
    const expected = [
      'SP-1 2026-03-01 X', 'SP-1 2026-06-30 Y superseded', 'SP-1 2026-06-30 W', 'SP-1 2026-11-23 C',
      'SP-2 2026-03-01 X', 'SP-2 2026-06-30 Y', 'SP-2 2026-09-30 Z', 'SP-2 2027-03-01 R', 'SP-2 2027-03-01 R',
    ];
    for (let run = 0; run < 2; run++) {
      const runner = h.dataSource.createQueryRunner();
      try {
        await new CreditServicingSuperseded1767330000500().up(runner);
      } finally {
        await runner.release();
      }
      expect(await flags()).toEqual(expected);
    }
    // A row written after it starts standing.
    await h.dataSource.query(
      `INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule) VALUES ('pnc', 'SP-3', '2026-03-01', 'X', NULL, NULL)`);
    expect((await flags()).at(-1)).toBe('SP-3 2026-03-01 X');
  });
});
