import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { agent, motorPolicy, premium } from './crediting-fixtures';
import { startCreditingApp, type CreditingTestApp } from './crediting-test-app';

type Fact = 'CANCEL-1' | 'REINSTATE-1' | 'RENEW' | 'LEAVES' | 'CANCEL-2';
type Feed = [type: 'PolicyRenewed' | 'PolicyCancelled' | 'PolicyReinstated' | 'AgentTerminated', subsidiary: 'pnc', payload: object];

interface LineRow {
  line_id: string; credit_key: string; origin: string; kind: string; side: string; level: string; beneficiary_id: string;
  transaction_id: string; transaction_kind: string; reverses_line_id: string | null;
  premium: string; standard_premium: string; weighted_credit: string; effective_date: string; reason: string;
}

/**
 * A late renewal whose place in the ledger's history (before a servicing reassignment dated after its start)
 * comes before a cancellation and a reinstatement dated in the first term that arrived after that
 * reassignment (issue #10). Each order runs on its own policy (`RRx<n>`) and its own servicer (`P-Q<n>`,
 * under leader P-Q0), who sells the policy (March 2026 to February 2027) and leaves on 1 April 2027 (the
 * team-leader rule hands the policy to P-Q0 from then); it is cancelled from 1 May 2026 and reinstated from
 * 1 June 2026, renewed from 1 March 2027 naming its servicer, and cancelled again from 1 June 2027. In
 * business order the renewal is credited to the servicer of its date and clawed back pro rata. Arriving
 * last, the history replayed with the renewal in its place refused the reinstatement (the renewal recorded
 * first left the policy in force on its date), so the renewal was refused too (`PolicyTransactionNotCredited`).
 */
const BUSINESS: Fact[] = ['CANCEL-1', 'REINSTATE-1', 'RENEW', 'LEAVES', 'CANCEL-2'];
const ORDERS: Fact[][] = [
  BUSINESS,
  ['LEAVES', 'CANCEL-1', 'REINSTATE-1', 'CANCEL-2', 'RENEW'],
  ['CANCEL-1', 'LEAVES', 'REINSTATE-1', 'CANCEL-2', 'RENEW'],
  ['CANCEL-1', 'REINSTATE-1', 'LEAVES', 'CANCEL-2', 'RENEW'],
];

const policyOf = (n: number) => `RRx${n}`;
const servicerOf = (n: number) => `P-Q${n + 1}`;

function feedOf(fact: Fact, n: number): Feed {
  const policyNo = policyOf(n);
  switch (fact) {
    case 'CANCEL-1':
      return ['PolicyCancelled', 'pnc', { policyNo, effectiveDate: '2026-05-01', reason: 'stopped paying' }];
    case 'REINSTATE-1':
      return ['PolicyReinstated', 'pnc', { policyNo, effectiveDate: '2026-06-01' }];
    case 'RENEW':
      return ['PolicyRenewed', 'pnc', { policyNo, newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: servicerOf(n) }];
    case 'LEAVES':
      return ['AgentTerminated', 'pnc', { agentId: servicerOf(n), effectiveDate: '2027-04-01', reason: 'resigned' }];
    case 'CANCEL-2':
      return ['PolicyCancelled', 'pnc', { policyNo, effectiveDate: '2027-06-01', reason: 'stopped paying' }];
  }
}

/** The policy's credit lines as the read model has them, each order's ids (transaction ids, policy, servicer) named alike. */
async function linesOf(h: CreditingTestApp, n: number): Promise<LineRow[]> {
  const rows: LineRow[] = await h.dataSource.query(
    `SELECT line_id, credit_key, origin, kind, side, level, beneficiary_id, transaction_id, transaction_kind, reverses_line_id,
            premium::text, standard_premium::text, weighted_credit::text, effective_date::text, reason
       FROM coordination.credit_lines WHERE policy_no = $1`, [policyOf(n)]);
  const ids = new Map(rows.map((r) => [r.transaction_id, `${r.transaction_kind}@${r.effective_date}`]));
  const named = (text: string | null) => {
    if (text === null) return null;
    let out = text.split(policyOf(n)).join('RR').split(servicerOf(n)).join('P-Q');
    for (const [id, name] of ids) out = out.split(id).join(name);
    return out;
  };
  return rows
    .map((r) => ({ ...r, line_id: named(r.line_id)!, credit_key: named(r.credit_key)!, transaction_id: ids.get(r.transaction_id)!, beneficiary_id: named(r.beneficiary_id)!,
      reverses_line_id: named(r.reverses_line_id), reason: named(r.reason)! }))
    .sort((a, b) => a.line_id.localeCompare(b.line_id));
}

async function outcomeOf(h: CreditingTestApp, n: number) {
  const q = (sql: string) => h.dataSource.query(sql, [policyOf(n)]);
  return {
    lines: await linesOf(h, n),
    ledgerStatus: await q(`SELECT status FROM coordination.credit_ledgers WHERE policy_no = $1`),
    policyStatus: await q(`SELECT status FROM coordination.policies WHERE policy_no = $1`),
    refused: await q(`SELECT data->'transaction'->>'kind' AS kind, data->>'code' AS code FROM event_store.events
                       WHERE stream_id = 'credit-pnc-' || $1 AND type = 'PolicyTransactionNotCredited'`),
  };
}

describe('a late renewal placed before a reassignment that a cancellation and reinstatement dated before it arrived after', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('renewal_reinstatement');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-7', randomUUID());
    await h.feed('AgentOnboarded', 'pnc', agent('P-Q0', 'AGENCY', 'P-QB', 'P-QT', null));
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('gives business order\'s lines, net credit and statuses in each order', async () => {
    for (const [n, order] of ORDERS.entries()) {
      await h.feed('AgentOnboarded', 'pnc', agent(servicerOf(n), 'AGENCY', 'P-QB', 'P-QT', 'P-Q0'));
      await h.feed('PolicyIssued', 'pnc', motorPolicy(policyOf(n), 'PNC-7', { sellingAgentId: servicerOf(n), servicingAgentId: servicerOf(n) }));
      for (const fact of order) await h.feed(...feedOf(fact, n));
    }
    await h.settle();
    const reference = await outcomeOf(h, 0);
    // Business order: the renewal credited to the servicer of its date, then clawed back pro rata by the second cancellation.
    expect(reference.lines.filter((l) => l.transaction_kind === 'Renewed' && l.level === 'agent').map((l) => l.beneficiary_id)).toEqual(['P-Q']);
    expect(reference.lines.some((l) => l.reverses_line_id?.startsWith('Renewed') && l.reason.includes('pro rata'))).toBe(true);
    expect(reference.ledgerStatus).toEqual([{ status: 'terminated' }]);
    expect(reference.policyStatus).toEqual([{ status: 'cancelled' }]);
    expect(reference.refused).toEqual([]);
    const differing: string[] = [];
    for (const [n, order] of ORDERS.entries()) {
      const outcome = await outcomeOf(h, n);
      if (JSON.stringify(outcome) !== JSON.stringify(reference)) differing.push(`${order.join(' → ')}: ${JSON.stringify({ ...outcome, lines: outcome.lines.length })}`);
    }
    expect(differing).toEqual([]);
  }, 300_000);
});
