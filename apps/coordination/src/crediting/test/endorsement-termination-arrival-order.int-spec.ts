import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { agent, motorPolicy, premium } from './crediting-fixtures';
import { startCreditingApp, type CreditingTestApp } from './crediting-test-app';
import { ledgerRefusals } from './ledger-refusals';
import { permutations } from '../../../../../test/support/permutations';

type Fact = 'RENEW' | 'ENDORSE' | 'END';
type Feed = [type: 'PolicyRenewed' | 'PolicyEndorsed' | 'PolicyCancelled' | 'PolicyLapsed' | 'PolicyReinstated', subsidiary: 'pnc', payload: object];

interface LineRow {
  line_id: string; credit_key: string; origin: string; kind: string; side: string; level: string; beneficiary_id: string;
  transaction_id: string; transaction_kind: string; reverses_line_id: string | null;
  premium: string; standard_premium: string; weighted_credit: string; effective_date: string; reason: string;
}

/**
 * An endorsement dated in a renewed term (1 April 2027, +500) and a cancellation or lapse dated after it in
 * that term, reported in any order with the renewal (issue #10). In business order (renewal, endorsement,
 * termination) the endorsement is credited and the termination claws back its unexpired part pro rata, as
 * it does the renewal's. Arriving after the termination, the endorsement was refused
 * (`PolicyTransactionNotCredited`, CREDIT_POLICY_NOT_IN_FORCE); now it takes its place before it, as a late
 * renewal does. Every order of the three facts (after the issue) runs on its own policy (`ETx<order>`) in
 * one database: net credit per credited line, ledger and portfolio status and refusals must be business
 * order's, and where the endorsement arrives after the renewal (read with the renewed term, as in business
 * order) the credit lines row by row too. R1 sells and services each policy (March 2026 to February 2027).
 */
const CASES: Array<{ name: string; termination: 'PolicyCancelled' | 'PolicyLapsed'; effectiveDate: string; status: string }> = [
  { name: 'a cancellation in the renewed term', termination: 'PolicyCancelled', effectiveDate: '2027-06-01', status: 'cancelled' },
  { name: 'a lapse in the renewed term', termination: 'PolicyLapsed', effectiveDate: '2027-09-01', status: 'lapsed' },
];
const BUSINESS: Fact[] = ['RENEW', 'ENDORSE', 'END'];

const policyOf = (order: number) => `ETx${order}`;

function feedOf(fact: Fact, order: number, termination: Feed[0], effectiveDate: string): Feed {
  const policyNo = policyOf(order);
  switch (fact) {
    case 'RENEW':
      return ['PolicyRenewed', 'pnc', { policyNo, newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: 'P-E1' }];
    case 'ENDORSE':
      return ['PolicyEndorsed', 'pnc', { policyNo, effectiveDate: '2027-04-01', premiumDelta: '500.00', reason: 'driver added' }];
    case 'END':
      return [termination, 'pnc', { policyNo, effectiveDate, reason: 'stopped paying' }];
  }
}

/** The policy's credit lines as the read model has them, each order's ids (transaction ids, the policy's suffix) named alike. */
async function linesOf(h: CreditingTestApp, order: number): Promise<LineRow[]> {
  const rows: LineRow[] = await h.dataSource.query(
    `SELECT line_id, credit_key, origin, kind, side, level, beneficiary_id, transaction_id, transaction_kind, reverses_line_id,
            premium::text, standard_premium::text, weighted_credit::text, effective_date::text, reason
       FROM coordination.credit_lines WHERE policy_no = $1`, [policyOf(order)]);
  const kinds = new Map(rows.map((r) => [r.transaction_id, r.transaction_kind]));
  const named = (text: string | null) => {
    if (text === null) return null;
    let out = text.split(policyOf(order)).join('ET');
    for (const [id, kind] of kinds) out = out.split(id).join(kind);
    return out;
  };
  return rows
    .map((r) => ({ ...r, line_id: named(r.line_id)!, credit_key: named(r.credit_key)!, transaction_id: r.transaction_kind, reverses_line_id: named(r.reverses_line_id), reason: named(r.reason)! }))
    .sort((a, b) => a.line_id.localeCompare(b.line_id));
}

/** Net credit per credited line: the credit's transaction kind and date, side, level and beneficiary. */
async function netOf(h: CreditingTestApp, order: number): Promise<string[]> {
  const rows: Array<{ kind: string; date: string; side: string; level: string; beneficiary: string; weighted: string }> = await h.dataSource.query(
    `SELECT o.transaction_kind AS kind, o.effective_date::text AS date, o.side, o.level, o.beneficiary_id AS beneficiary, sum(l.weighted_credit)::text AS weighted
       FROM coordination.credit_lines l JOIN coordination.credit_lines o ON o.line_id = l.credit_key
      WHERE l.policy_no = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`, [policyOf(order)]);
  return rows.map((r) => `${r.kind} ${r.date} ${r.side}/${r.level} ${r.beneficiary}: ${r.weighted}`);
}

async function outcomeOf(h: CreditingTestApp, order: number) {
  const q = (sql: string) => h.dataSource.query(sql, [policyOf(order)]);
  return {
    net: await netOf(h, order),
    ledgerStatus: await q(`SELECT status FROM coordination.credit_ledgers WHERE policy_no = $1`),
    policyStatus: await q(`SELECT status FROM coordination.policies WHERE policy_no = $1`),
    refused: await ledgerRefusals(h.dataSource, `credit-pnc-${policyOf(order)}`),
    standing: await ledgerRefusals(h.dataSource, `credit-pnc-${policyOf(order)}`, { standing: true }),
  };
}

describe('an endorsement reported after a cancellation or lapse dated after it in its renewed term, whatever the arrival order', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    db = await createTestDatabase('endorsement_termination');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-8', randomUUID());
    await h.feed('AgentOnboarded', 'pnc', agent('P-E0', 'AGENCY', 'P-EB', 'P-ET', null));
    await h.feed('AgentOnboarded', 'pnc', agent('P-E1', 'AGENCY', 'P-EB', 'P-ET', 'P-E0'));
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it.each(CASES.map((c, i) => [c.name, i] as const))('%s: every order gives business order\'s credit and status', async (_, i) => {
    const { termination, effectiveDate, status } = CASES[i];
    const orders = permutations(BUSINESS).map((facts, k) => ({ facts, n: 10 * i + k }));
    for (const { facts, n } of orders) {
      await h.feed('PolicyIssued', 'pnc', motorPolicy(policyOf(n), 'PNC-8', { sellingAgentId: 'P-E1', servicingAgentId: 'P-E1' }));
      for (const fact of facts) await h.feed(...feedOf(fact, n, termination, effectiveDate));
    }
    await h.settle();
    const business = orders.find((o) => o.facts.join() === BUSINESS.join())!;
    const reference = await outcomeOf(h, business.n);
    // Business order: the endorsement credited (500.00 to E1 and up the line), then clawed back pro rata with the renewal.
    const clawback = (await linesOf(h, business.n)).find((l) => l.level === 'agent' && l.side === 'sales' && l.reverses_line_id === 'Endorsed|sales|P-E1|agent|P-E1');
    expect(clawback).toMatchObject({ origin: 'reversal' });
    expect(clawback!.reason).toContain('pro rata');
    expect(reference.net.filter((l) => l.startsWith('Endorsed 2027-04-01 sales/agent'))).toHaveLength(1);
    expect(reference.ledgerStatus).toEqual([{ status: 'terminated' }]);
    expect(reference.policyStatus).toEqual([{ status }]);
    expect(reference.refused).toEqual([]);
    const differing: string[] = [];
    for (const { facts, n } of orders) {
      if (JSON.stringify(await outcomeOf(h, n)) !== JSON.stringify(reference)) differing.push(`${facts.join(' → ')}: ${JSON.stringify(await outcomeOf(h, n))}`);
      const readWithRenewal = facts.indexOf('RENEW') < facts.indexOf('ENDORSE');
      if (readWithRenewal && JSON.stringify(await linesOf(h, n)) !== JSON.stringify(await linesOf(h, business.n))) differing.push(`${facts.join(' → ')}: lines differ`);
    }
    expect(differing).toEqual([]);
  }, 300_000);

  /**
   * An endorsement dated 1 July 2027, after a cancellation from 1 June 2027 in the renewed term, reported
   * before it: in business order (renewal, cancellation, endorsement) the endorsement is refused
   * (CREDIT_POLICY_NOT_IN_FORCE). Credited where it arrived, the cancellation now withdraws its credit
   * (a recalculation `termination-<id>`) before clawing back the renewal, so net credit, the lines but the
   * endorsement's own (credited and withdrawn) and both statuses are business order's; the cancellation
   * reported again changes nothing. The endorsement then stands refused as in business order, recorded so
   * (a `PolicyTransactionNotCredited`, CREDIT_POLICY_NOT_IN_FORCE): the refusals an audit counts by event
   * type are business order's (before, the withdrawal was a `CreditAdjusted` only, and none was recorded).
   */
  it('an endorsement dated after a cancellation and reported before it: its credit withdrawn, as business order refuses it', async () => {
    const later = (fact: Fact, n: number): Feed => (fact === 'ENDORSE'
      ? ['PolicyEndorsed', 'pnc', { policyNo: policyOf(n), effectiveDate: '2027-07-01', premiumDelta: '500.00', reason: 'driver added' }]
      : feedOf(fact, n, 'PolicyCancelled', '2027-06-01'));
    const orders: Array<{ facts: Fact[]; n: number }> = [
      { facts: ['RENEW', 'END', 'ENDORSE'], n: 100 }, { facts: ['RENEW', 'ENDORSE', 'END'], n: 101 }, { facts: ['RENEW', 'ENDORSE', 'END', 'END'], n: 102 },
    ];
    for (const { facts, n } of orders) {
      await h.feed('PolicyIssued', 'pnc', motorPolicy(policyOf(n), 'PNC-8', { sellingAgentId: 'P-E1', servicingAgentId: 'P-E1' }));
      for (const fact of facts) await h.feed(...later(fact, n));
    }
    await h.settle();
    const credited = async (n: number) => {
      const outcome = await outcomeOf(h, n);
      return { ...outcome, net: outcome.net.filter((l) => !l.endsWith(': 0.00')) };
    };
    const ownLines = async (n: number) => (await linesOf(h, n)).filter((l) => !l.credit_key.startsWith('Endorsed|'));
    const reference = await credited(100);
    expect(reference.net.some((l) => l.startsWith('Endorsed'))).toBe(false);
    expect(reference.ledgerStatus).toEqual([{ status: 'terminated' }]);
    expect(reference.policyStatus).toEqual([{ status: 'cancelled' }]);
    const refusal = { code: 'CREDIT_POLICY_NOT_IN_FORCE', kind: 'Endorsed', date: '2027-07-01' };
    expect(reference).toMatchObject({ refused: [refusal], standing: [refusal] });
    for (const n of [101, 102]) {
      expect([n, await credited(n)]).toEqual([n, reference]);
      expect([n, await ownLines(n)]).toEqual([n, await ownLines(100)]);
      const withdrawal = (await linesOf(h, n)).filter((l) => l.credit_key.startsWith('Endorsed|') && l.origin === 'recalculation');
      expect(withdrawal.length).toBeGreaterThan(0);
      expect(withdrawal.every((l) => l.reason.includes('withdrawn'))).toBe(true);
    }
  }, 300_000);

  /**
   * The same endorsement withdrawn by the cancellation, then a reinstatement dated before it (15 June 2027):
   * in business order (cancellation, reinstatement, endorsement) the endorsement is credited; reported
   * first, it is credited again when the reinstatement arrives, so net credit and both statuses are
   * business order's and every line keeps a row of its own. Withdrawn by the cancellation, it was recorded
   * refused, as when it arrives between the cancellation and the reinstatement (CER); the reinstatement
   * credits it once in both, so no refusal stands, as in business order, which records none.
   */
  it('an endorsement withdrawn so, then a reinstatement dated before it: credited again, as in business order', async () => {
    const policyNo = (n: number) => policyOf(n);
    const facts = {
      C: (n: number): Feed => ['PolicyCancelled', 'pnc', { policyNo: policyNo(n), effectiveDate: '2027-06-01', reason: 'stopped paying' }],
      R: (n: number): Feed => ['PolicyReinstated', 'pnc', { policyNo: policyNo(n), effectiveDate: '2027-06-15' }],
      E: (n: number): Feed => ['PolicyEndorsed', 'pnc', { policyNo: policyNo(n), effectiveDate: '2027-07-01', premiumDelta: '500.00', reason: 'driver added' }],
    };
    const orders = [{ order: 'CRE', n: 110 }, { order: 'ECR', n: 111 }, { order: 'CER', n: 112 }];
    for (const { order, n } of orders) {
      await h.feed('PolicyIssued', 'pnc', motorPolicy(policyOf(n), 'PNC-8', { sellingAgentId: 'P-E1', servicingAgentId: 'P-E1' }));
      await h.feed(...feedOf('RENEW', n, 'PolicyCancelled', '2027-06-01'));
      for (const f of order) await h.feed(...facts[f as keyof typeof facts](n));
    }
    await h.settle();
    const credited = async (n: number) => {
      const { refused, ...outcome } = await outcomeOf(h, n);
      return { outcome: { ...outcome, net: outcome.net.filter((l) => !l.endsWith(': 0.00')) }, refused };
    };
    const reference = await credited(110);
    expect(reference.outcome.net.filter((l) => l.startsWith('Endorsed 2027-07-01'))).toHaveLength(5);
    expect(reference.outcome.ledgerStatus).toEqual([{ status: 'in-force' }]);
    expect(reference.refused).toEqual([]);
    expect(reference.outcome.standing).toEqual([]);
    for (const n of [111, 112]) {
      const { outcome, refused } = await credited(n);
      expect([n, outcome]).toEqual([n, reference.outcome]);
      expect([n, refused]).toEqual([n, [{ code: 'CREDIT_POLICY_NOT_IN_FORCE', kind: 'Endorsed', date: '2027-07-01' }]]);
    }
  }, 300_000);
});
