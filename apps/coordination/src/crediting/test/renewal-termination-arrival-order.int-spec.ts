import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { agent, motorPolicy, premium } from './crediting-fixtures';
import { startCreditingApp, type CreditingTestApp } from './crediting-test-app';

type Feed = [type: 'PolicyRenewed' | 'PolicyCancelled' | 'PolicyLapsed', subsidiary: 'pnc', payload: object];

interface LineRow {
  line_id: string; credit_key: string; origin: string; kind: string; side: string; level: string; beneficiary_id: string;
  team_id: string | null; branch_id: string | null; transaction_id: string; transaction_kind: string; reverses_line_id: string | null;
  premium: string; standard_premium: string; weighted_credit: string; effective_date: string; reason: string;
}

/**
 * A cancellation or lapse dated inside a renewed term (on or after its start) that the subsidiary reports
 * before the renewal (issue #10). In business order the renewal is credited and the termination claws back
 * its unexpired part pro rata; arriving after the termination, the renewal was refused
 * (`PolicyTransactionNotCredited`, CREDIT_POLICY_NOT_IN_FORCE). Now it takes its place before the
 * termination: the same lines (the renewal's credit, the termination's reversal of it), net credit and
 * ledger status as business order, and the portfolio keeps the policy cancelled or lapsed (the renewal put
 * it back in force before, where in business order the termination came after it). R1 sells and services each policy (March 2026 to February 2027), renewed
 * from March 2027; each order runs on its own policy (`x<order>`) in one database.
 */
const CASES: Array<{ name: string; termination: Feed[0]; effectiveDate: string }> = [
  { name: 'a cancellation in the renewed term', termination: 'PolicyCancelled', effectiveDate: '2027-06-01' },
  { name: 'a lapse in the renewed term', termination: 'PolicyLapsed', effectiveDate: '2027-09-01' },
  { name: "a cancellation on the renewed term's first day", termination: 'PolicyCancelled', effectiveDate: '2027-03-01' },
];

const policyOf = (order: number) => `RTx${order}`;

function facts(order: number, termination: Feed[0], effectiveDate: string): { renewal: Feed; ending: Feed } {
  const policyNo = policyOf(order);
  return {
    renewal: ['PolicyRenewed', 'pnc', { policyNo, newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: 'P-R1' }],
    ending: [termination, 'pnc', { policyNo, effectiveDate, reason: 'stopped paying' }],
  };
}

/** The policy's credit lines as the read model has them, each order's ids (transaction ids, the policy's suffix) named alike. */
async function linesOf(h: CreditingTestApp, order: number): Promise<LineRow[]> {
  const rows: LineRow[] = await h.dataSource.query(
    `SELECT line_id, credit_key, origin, kind, side, level, beneficiary_id, team_id, branch_id, transaction_id, transaction_kind, reverses_line_id,
            premium::text, standard_premium::text, weighted_credit::text, effective_date::text, reason
       FROM coordination.credit_lines WHERE policy_no = $1`, [policyOf(order)]);
  const kinds = new Map(rows.map((r) => [r.transaction_id, r.transaction_kind]));
  const named = (text: string | null) => {
    if (text === null) return null;
    let out = text.split(policyOf(order)).join('RT');
    for (const [id, kind] of kinds) out = out.split(id).join(kind);
    return out;
  };
  return rows
    .map((r) => ({ ...r, line_id: named(r.line_id)!, credit_key: named(r.credit_key)!, transaction_id: r.transaction_kind, reverses_line_id: named(r.reverses_line_id), reason: named(r.reason)! }))
    .sort((a, b) => a.line_id.localeCompare(b.line_id));
}

async function outcomeOf(h: CreditingTestApp, order: number) {
  const q = (sql: string) => h.dataSource.query(sql, [policyOf(order)]);
  return {
    lines: await linesOf(h, order),
    net: await q(`SELECT side, level, beneficiary_id, sum(weighted_credit)::text AS weighted_credit
                    FROM coordination.credit_lines WHERE policy_no = $1 GROUP BY 1, 2, 3 HAVING sum(weighted_credit) <> 0 ORDER BY 1, 2, 3`),
    ledgerStatus: await q(`SELECT status FROM coordination.credit_ledgers WHERE policy_no = $1`),
    policyStatus: await q(`SELECT status FROM coordination.policies WHERE policy_no = $1`),
    refused: await q(`SELECT data->>'code' AS code FROM event_store.events WHERE stream_id = 'credit-pnc-' || $1 AND type = 'PolicyTransactionNotCredited'`),
  };
}

describe('a renewal reported after a cancellation or lapse dated in its term, whatever the arrival order', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('renewal_termination');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-9', randomUUID());
    await h.feed('AgentOnboarded', 'pnc', agent('P-R0', 'AGENCY', 'P-RB', 'P-RT', null));
    await h.feed('AgentOnboarded', 'pnc', agent('P-R1', 'AGENCY', 'P-RB', 'P-RT', 'P-R0'));
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s: the late renewal gives business order\'s lines, net credit and status', async (_, i) => {
    const { termination, effectiveDate } = CASES[i];
    const [business, late] = [10 * i, 10 * i + 1];
    for (const [order, renewalFirst] of [[business, true], [late, false]] as const) {
      await h.feed('PolicyIssued', 'pnc', motorPolicy(policyOf(order), 'PNC-9', { sellingAgentId: 'P-R1', servicingAgentId: 'P-R1' }));
      const { renewal, ending } = facts(order, termination, effectiveDate);
      for (const [type, sub, payload] of renewalFirst ? [renewal, ending] : [ending, renewal]) await h.feed(type, sub, payload);
    }
    await h.settle();
    const reference = await outcomeOf(h, business);
    // Business order: the renewal credited (5,000.00 to R1 and up the line), then clawed back pro rata by the termination.
    const clawback = reference.lines.find((l) => l.side === 'sales' && l.level === 'agent' && l.reverses_line_id === 'Renewed|sales|P-R1|agent|P-R1');
    expect(clawback).toMatchObject({ origin: 'reversal', transaction_id: termination === 'PolicyCancelled' ? 'Cancelled' : 'Lapsed' });
    expect(clawback!.reason).toContain('pro rata');
    expect(reference.ledgerStatus).toEqual([{ status: 'terminated' }]);
    expect(reference.policyStatus).toEqual([{ status: termination === 'PolicyCancelled' ? 'cancelled' : 'lapsed' }]);
    expect(reference.refused).toEqual([]);
    expect(await outcomeOf(h, late)).toEqual(reference);
  }, 300_000);
});
