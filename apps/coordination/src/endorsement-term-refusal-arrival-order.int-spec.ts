import type { EventType, SubsidiaryEvent } from '@lib/contracts';
import type { EventStore } from '@lib/event-store';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../test/infra/postgres';
import { agent, company, policy } from './conflicts/testing/harness';
import { CreditRuleSet, PaymentMode, RuleSetPublished, defaultRuleSet } from './crediting/domain';
import { RULES_STREAM } from './crediting/rules/rule-catalogue';
import { ledgerRefusals } from './crediting/test/ledger-refusals';
import { EVENT_STORE } from './infrastructure/tokens';
import { creditLinesSettled, dispatchReplayed, startWholeApp, subsidiaryEvent } from './testing/whole-app-feed';
import { permutations } from '../../../test/support/permutations';

/**
 * The rules change on 1 March 2027: the set in effect from then has no factor for whole life paid
 * monthly, nor for critical illness paid annually (written straight to `credit-rules`, as a set
 * published before the catalogue required a factor for every mode would be). Each policy is issued at
 * 35,000 a month from 1 February 2026 and renewed from 1 February 2027 at 456,000 a year paid annually;
 * an endorsement dated 1 June 2026 raises the first term by 4,000 and one dated 1 May 2027 the renewed
 * term by 5,000. Business order reads the second endorsement with the renewed term's annual mode: the
 * rules credit it on whole life (5,000) and refuse it on critical illness. Arriving before the renewal,
 * it is read with the first term's monthly mode: refused on whole life, credited on critical illness
 * (60,000). The four facts arrive in every order, each order on its own client and policy; then, after
 * every fact is delivered again and after a cancellation dated 1 August 2027, each policy's net credit
 * per line must be business order's. So must the refusals its ledger records: on critical illness the
 * renewed term's endorsement is refused in every order (credited as read monthly, its credit withdrawn by
 * the renewal, it is recorded refused as business order refuses it on arrival); on whole life none stands
 * (one refused as read monthly is credited by the renewal).
 */
jest.setTimeout(600_000);

type Fact = 'ISSUE' | 'E-1' | 'RENEW' | 'E-2';
type Product = 'LIFE_WHOLE' | 'CRITICAL_ILLNESS';

const T0 = '2026-01-05T09:00:00+08:00';
const BUSINESS = 'ISSUE → E-1 → RENEW → E-2';
const client = (n: number) => `LIFE-ORG-R${n}`;
const policyNo = (n: number) => `PL-R${n}`;
const REFUSED: ReadonlyArray<{ productLine: Product; mode: PaymentMode }> = [
  { productLine: 'LIFE_WHOLE', mode: 'MONTHLY' }, { productLine: 'CRITICAL_ILLNESS', mode: 'ANNUAL' },
];

async function publishRefusingRules(app: NestFastifyApplication): Promise<void> {
  const v1 = defaultRuleSet({ effectiveTo: '2027-03-01' });
  const full = defaultRuleSet({ version: 'v2', effectiveFrom: '2027-03-01' });
  const v2: CreditRuleSet = { ...full, standardPremiumFactors: full.standardPremiumFactors.filter((f) => !REFUSED.some((r) => r.productLine === f.productLine && r.mode === f.mode)) };
  const data: RuleSetPublished['data'] = { ruleSet: v2, segments: [v1, v2], publishedAt: '2026-01-01T00:00:00Z', publishedBy: 'test' };
  await app.get<EventStore>(EVENT_STORE).append(RULES_STREAM, [{ eventId: '6b0e7f5e-8a8e-4d43-9d1c-2f7d6b0c1a01', type: 'RuleSetPublished', data, metadata: { actor: 'test' } }], 'no_stream');
}

function factEvent(fact: Fact, n: number, product: Product): { type: EventType; payload: object; at: string } {
  const no = policyNo(n);
  switch (fact) {
    case 'ISSUE': {
      const issued = { ...policy(no, client(n), product, 'A-1001', 'A-1001', 'AGENCY', null), effectiveDate: '2026-02-01', expiryDate: '2027-01-31' };
      return { type: 'PolicyIssued', payload: { ...issued, premium: { amount: '35000.00', currency: 'CNY', mode: 'MONTHLY' } }, at: '2026-01-30T10:00:00+08:00' };
    }
    case 'E-1':
      return { type: 'PolicyEndorsed', payload: { policyNo: no, effectiveDate: '2026-06-01', premiumDelta: '4000.00', reason: 'sum assured raised' }, at: '2026-05-25T10:00:00+08:00' };
    case 'RENEW': {
      const premium = { amount: '456000.00', currency: 'CNY', mode: 'ANNUAL' };
      return { type: 'PolicyRenewed', payload: { policyNo: no, newEffectiveDate: '2027-02-01', newExpiryDate: '2028-01-31', premium, servicingAgentId: 'A-1001' }, at: '2027-01-20T10:00:00+08:00' };
    }
    case 'E-2':
      return { type: 'PolicyEndorsed', payload: { policyNo: no, effectiveDate: '2027-05-01', premiumDelta: '5000.00', reason: 'rider added' }, at: '2027-04-25T10:00:00+08:00' };
  }
}

const LEGS = ['product/subsidiary life', 'sales/agent A-1001', 'sales/branch BJ-01', 'sales/subsidiary life', 'sales/team BJ-01-T1'];

/** Policy `n`'s net credit per credited line (lines netting to nothing left out: a credit withdrawn in full is none), named by the credit's kind and date. */
async function netCreditOf(ds: DataSource, n: number): Promise<string[]> {
  const rows: Array<{ kind: string; date: string; side: string; level: string; beneficiary: string; premium: string; standard: string; weighted: string }> = await ds.query(
    `SELECT o.transaction_kind AS kind, o.effective_date::text AS date, o.side, o.level, o.beneficiary_id AS beneficiary,
            sum(l.premium)::text AS premium, sum(l.standard_premium)::text AS standard, sum(l.weighted_credit)::text AS weighted
       FROM coordination.credit_lines l JOIN coordination.credit_lines o ON o.line_id = l.credit_key
      WHERE l.policy_no = $1 GROUP BY 1, 2, 3, 4, 5
     HAVING sum(l.premium) <> 0 OR sum(l.standard_premium) <> 0 OR sum(l.weighted_credit) <> 0 ORDER BY 1, 2, 3, 4, 5`,
    [policyNo(n)],
  );
  return rows.map((r) => `${r.kind} ${r.date} ${r.side}/${r.level} ${r.beneficiary}: ${r.premium} ${r.standard} ${r.weighted}`);
}

const credits = (nets: Record<string, string>) => Object.entries(nets).flatMap(([credit, net]) => LEGS.map((leg) => `${credit} ${leg}: ${net} ${net} ${net}`));

describe('an endorsement the rules credit under one term\'s payment mode and refuse under the other\'s, in every arrival order with its term', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const played: Array<{ product: Product; order: string; n: number; events: SubsidiaryEvent[] }> = [];

  const byProduct = async (product: Product) => {
    const runs = played.filter((p) => p.product === product);
    const outcomes = await Promise.all(runs.map(async ({ order, n }) => ({ order, credit: await netCreditOf(app.get(DataSource), n) })));
    const business = outcomes.find((o) => o.order === BUSINESS)!.credit;
    const differing = outcomes.filter((o) => JSON.stringify(o.credit) !== JSON.stringify(business))
      .map(({ order, credit }) => ({ order, unlike: credit.filter((line) => !business.includes(line)), missing: business.filter((line) => !credit.includes(line)) }));
    return { business, differing, count: outcomes.length };
  };

  beforeAll(async () => {
    ({ db, app } = await startWholeApp('endorsement_refusal'));
    await publishRefusingRules(app);
    await dispatchReplayed(app, subsidiaryEvent('AgentOnboarded', 'life', agent('A-1001', 'AGENCY'), T0, 'endorse-refusal'));
    const orders = permutations<Fact>(['ISSUE', 'E-1', 'RENEW', 'E-2']);
    const products: Product[] = ['LIFE_WHOLE', 'CRITICAL_ILLNESS'];
    for (const [n, [product, order]] of products.flatMap((p) => orders.map((o) => [p, o] as const)).entries()) {
      await dispatchReplayed(app, subsidiaryEvent('ClientRegistered', 'life', company(client(n), 700 + n), T0, 'endorse-refusal'));
      const events = order.map((fact) => {
        const { type, payload, at } = factEvent(fact, n, product);
        return subsidiaryEvent(type, 'life', payload, at, 'endorse-refusal');
      });
      for (const event of events) await dispatchReplayed(app, event);
      played.push({ product, order: order.join(' → '), n, events });
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then whole life credits the renewed term\'s endorsement as paid annually, and critical illness credits it not at all but records it refused, whatever arrived first', async () => {
    await creditLinesSettled(app);
    const wholeLife = await byProduct('LIFE_WHOLE');
    expect(wholeLife.business).toEqual(credits({ 'Endorsed 2026-06-01': '48000.00', 'Endorsed 2027-05-01': '5000.00', 'Issued 2026-02-01': '420000.00', 'Renewed 2027-02-01': '456000.00' }));
    const criticalIllness = await byProduct('CRITICAL_ILLNESS');
    expect(criticalIllness.business).toEqual(credits({ 'Endorsed 2026-06-01': '48000.00', 'Issued 2026-02-01': '420000.00', 'Renewed 2027-02-01': '456000.00' }));
    expect([wholeLife.count, criticalIllness.count]).toEqual([24, 24]);
    expect({ wholeLife: wholeLife.differing, criticalIllness: criticalIllness.differing }).toEqual({ wholeLife: [], criticalIllness: [] });
    const refusals = await Promise.all(played.map(async ({ product, order, n }) => {
      const streamId = `credit-life-${policyNo(n)}`;
      return { product, order, refused: await ledgerRefusals(app.get(DataSource), streamId), standing: await ledgerRefusals(app.get(DataSource), streamId, { standing: true }) };
    }));
    const e2Refused = [{ code: 'CREDIT_NO_STANDARD_PREMIUM_FACTOR', kind: 'Endorsed', date: '2027-05-01' }];
    expect(refusals.filter((r) => r.product === 'CRITICAL_ILLNESS' && JSON.stringify(r.refused) !== JSON.stringify(e2Refused))).toEqual([]);
    expect(refusals.filter((r) => JSON.stringify(r.standing) !== JSON.stringify(r.product === 'LIFE_WHOLE' ? [] : e2Refused))).toEqual([]);
  });

  // The router skips an event id it handled; the ledger's own redelivery (a fact read again) is endorsement-term-refusal.spec's.
  it('then every fact delivered again changes no credit', async () => {
    for (const { events } of played) for (const event of events) await dispatchReplayed(app, event);
    await creditLinesSettled(app);
    for (const product of ['LIFE_WHOLE', 'CRITICAL_ILLNESS'] as const) {
      const { business, differing } = await byProduct(product);
      expect({ product, differing }).toEqual({ product, differing: [] });
      expect(business.some((line) => line.startsWith('Endorsed 2027-05-01'))).toBe(product === 'LIFE_WHOLE');
    }
  });

  it('then, after a cancellation dated in the renewed term, each policy\'s clawback is business order\'s, whatever arrived first', async () => {
    for (const { n } of played) {
      await dispatchReplayed(app, subsidiaryEvent('PolicyCancelled', 'life', { policyNo: policyNo(n), effectiveDate: '2027-08-01', reason: 'surrendered' }, '2027-08-01T10:00:00+08:00', 'endorse-refusal'));
    }
    await creditLinesSettled(app);
    const wholeLife = await byProduct('LIFE_WHOLE');
    // The renewal keeps 181 of its 364 days, the whole-life endorsement (5,000 a year from 1 May) 92 of its 275.
    expect(wholeLife.business).toEqual(credits({ 'Endorsed 2026-06-01': '48000.00', 'Endorsed 2027-05-01': '1672.73', 'Issued 2026-02-01': '420000.00', 'Renewed 2027-02-01': '226747.25' }));
    const criticalIllness = await byProduct('CRITICAL_ILLNESS');
    expect(criticalIllness.business).toEqual(credits({ 'Endorsed 2026-06-01': '48000.00', 'Issued 2026-02-01': '420000.00', 'Renewed 2027-02-01': '226747.25' }));
    expect({ wholeLife: wholeLife.differing, criticalIllness: criticalIllness.differing }).toEqual({ wholeLife: [], criticalIllness: [] });
  });
});
