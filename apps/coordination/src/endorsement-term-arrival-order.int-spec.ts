import type { EventType } from '@lib/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../test/infra/postgres';
import { agent, company, policy } from './conflicts/testing/harness';
import { ClientViewProjection } from './identity/projections/client-view.projection';
import { creditLinesSettled, dispatchReplayed, projectionSettled, startWholeApp, subsidiaryEvent } from './testing/whole-app-feed';
import { permutations } from '../../../test/support/permutations';

/**
 * An endorsement changes the premium of the term it is dated in, and a renewal states the next term's
 * premium in full. The client holds whole life (A-1001) at 35,000 a month from 1 February 2026 (420k a
 * year: strategic); an endorsement dated 1 June 2026 raises the first term by 4,000 a month; the renewal
 * from 1 February 2027 is at 38,000 a month; an endorsement dated 1 May 2027 raises the renewed term by
 * 5,000 a month (43,000: 516k a year, top-strategic). The four facts arrive in every order on the whole
 * app (a renewal or endorsement before its policy is parked until the policy is recorded); each order
 * plays on its own client and policy (ids suffixed with the order's number). Then identity's 360° view
 * (the holding's premium, annual standard premium and term, the tier) must be the one business order
 * gives, and so must crediting: a cancellation dated 1 August 2027, sent after the four, claws back the
 * unexpired part of the credits whose premium year it falls in (the renewal's and the second
 * endorsement's), not the first term's. A second policy is renewed at 456,000 a year paid annually
 * (`RENEW-ANNUAL`), with the same two endorsements (all 24 orders of the issue, the two endorsements and
 * that renewal): the first term's is credited as 4,000 a month and the renewed term's as 5,000 a year,
 * whether each arrives before or after the renewal (one arriving first is credited against the first
 * term, paid monthly, and credited again when the renewal is recorded), and so is what a cancellation
 * dated in the renewed term claws back.
 */
jest.setTimeout(600_000);

type Fact = 'ISSUE' | 'E-1' | 'RENEW' | 'E-2' | 'RENEW-ANNUAL';

const T0 = '2026-01-05T09:00:00+08:00';
const client = (n: number) => `LIFE-ORG-T${n}`;
const policyNo = (n: number) => `PL-T${n}`;
const BUSINESS = 'ISSUE → E-1 → RENEW → E-2';
const MODE_CHANGE_BUSINESS = 'ISSUE → E-1 → RENEW-ANNUAL → E-2';

async function send(app: NestFastifyApplication, type: EventType, payload: object, at: string): Promise<void> {
  await dispatchReplayed(app, subsidiaryEvent(type, 'life', payload, at, 'endorse-term'));
}

async function play(app: NestFastifyApplication, fact: Fact, n: number): Promise<void> {
  const no = policyNo(n);
  switch (fact) {
    case 'ISSUE': {
      const issued = { ...policy(no, client(n), 'LIFE_WHOLE', 'A-1001', 'A-1001', 'AGENCY', null), effectiveDate: '2026-02-01', expiryDate: '2027-01-31' };
      return send(app, 'PolicyIssued', { ...issued, premium: { amount: '35000.00', currency: 'CNY', mode: 'MONTHLY' } }, '2026-01-30T10:00:00+08:00');
    }
    case 'E-1':
      return send(app, 'PolicyEndorsed', { policyNo: no, effectiveDate: '2026-06-01', premiumDelta: '4000.00', reason: 'sum assured raised' }, '2026-05-25T10:00:00+08:00');
    case 'RENEW':
    case 'RENEW-ANNUAL': {
      const premium = fact === 'RENEW' ? { amount: '38000.00', currency: 'CNY', mode: 'MONTHLY' } : { amount: '456000.00', currency: 'CNY', mode: 'ANNUAL' };
      const renewal = { policyNo: no, newEffectiveDate: '2027-02-01', newExpiryDate: '2028-01-31', premium, servicingAgentId: 'A-1001' };
      return send(app, 'PolicyRenewed', renewal, '2027-01-20T10:00:00+08:00');
    }
    case 'E-2':
      return send(app, 'PolicyEndorsed', { policyNo: no, effectiveDate: '2027-05-01', premiumDelta: '5000.00', reason: 'rider added' }, '2027-04-25T10:00:00+08:00');
  }
}

/** Client `n`'s holdings and tier in identity's view, with the order's suffix taken off the policy number. */
async function viewOf(ds: DataSource, n: number) {
  const [{ party_id: partyId }] = await ds.query('SELECT party_id FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', ['life', client(n)]);
  const [row]: Array<{ view: { holdings: Array<{ policyNo: string; premium: unknown }>; tier: unknown }; tier: string }> = await ds.query(
    'SELECT view, tier FROM coordination.client_view WHERE party_id = $1', [partyId],
  );
  return {
    holdings: row.view.holdings.map(({ policyNo: no, ...h }) => ({ policyNo: no.replace(`-T${n}`, ''), ...h })),
    tier: row.view.tier,
    column: row.tier,
  };
}

const LEGS = ['product/subsidiary life', 'sales/agent A-1001', 'sales/branch BJ-01', 'sales/subsidiary life', 'sales/team BJ-01-T1'];

/** Policy `n`'s net credit per credited line (what a credit and every line adjusting or reversing it add up to), named by the credit's transaction kind and date. */
async function netCreditOf(ds: DataSource, n: number): Promise<string[]> {
  const rows: Array<{ kind: string; date: string; side: string; level: string; beneficiary: string; premium: string; standard: string; weighted: string }> = await ds.query(
    `SELECT o.transaction_kind AS kind, o.effective_date::text AS date, o.side, o.level, o.beneficiary_id AS beneficiary,
            sum(l.premium)::text AS premium, sum(l.standard_premium)::text AS standard, sum(l.weighted_credit)::text AS weighted
       FROM coordination.credit_lines l JOIN coordination.credit_lines o ON o.line_id = l.credit_key
      WHERE l.policy_no = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    [policyNo(n)],
  );
  return rows.map((r) => `${r.kind} ${r.date} ${r.side}/${r.level} ${r.beneficiary}: ${r.premium} ${r.standard} ${r.weighted}`);
}

describe('endorsements dated in the first and the renewed term, in every arrival order with the renewal', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const played: Array<{ order: string; n: number }> = [];
  const ofScenario = <T extends { order: string }>(runs: T[], business: string) => runs.filter((r) => r.order.includes('RENEW-ANNUAL') === business.includes('RENEW-ANNUAL'));

  beforeAll(async () => {
    ({ db, app } = await startWholeApp('endorsement_term'));
    await send(app, 'AgentOnboarded', agent('A-1001', 'AGENCY'), T0);
    const orders = [...permutations<Fact>(['ISSUE', 'E-1', 'RENEW', 'E-2']), ...permutations<Fact>(['ISSUE', 'E-1', 'RENEW-ANNUAL', 'E-2'])];
    for (const [n, order] of orders.entries()) {
      await send(app, 'ClientRegistered', company(client(n), 900 + n), T0);
      for (const fact of order) await play(app, fact, n);
      played.push({ order: order.join(' → '), n });
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then identity\'s view holds the renewed term at its renewal premium changed by the second endorsement only, whatever arrived first', async () => {
    await projectionSettled(app, app.get(ClientViewProjection));
    const views = ofScenario(await Promise.all(played.map(async ({ order, n }) => ({ order, view: await viewOf(app.get(DataSource), n) }))), BUSINESS);
    const business = views.find((v) => v.order === BUSINESS)!.view;
    expect(business).toEqual({
      holdings: [expect.objectContaining({
        policyNo: 'PL', role: 'holder', status: 'in-force', effectiveDate: '2027-02-01', expiryDate: '2028-01-31',
        premium: { amount: '43000.00', currency: 'CNY', mode: 'MONTHLY' }, annualStandardPremium: '516000.00',
      })],
      tier: { tier: 'top-strategic', annualStandardPremium: '516000.00' },
      column: 'top-strategic',
    });
    expect(views).toHaveLength(24);
    const differing = views.filter((v) => JSON.stringify(v.view) !== JSON.stringify(business));
    expect(differing.map(({ order, view }) => `${order}: ${view.holdings.map((h) => JSON.stringify(h.premium)).join()} ${view.column}`)).toEqual([]);
  });

  it('then, the renewal changing the payment mode, each endorsement is credited and shown by its own term\'s mode in every order', async () => {
    await projectionSettled(app, app.get(ClientViewProjection));
    await creditLinesSettled(app);
    const runs = ofScenario(await Promise.all(played.map(async ({ order, n }) => ({
      order, outcome: { view: await viewOf(app.get(DataSource), n), credit: await netCreditOf(app.get(DataSource), n) },
    }))), MODE_CHANGE_BUSINESS);
    const business = runs.find((r) => r.order === MODE_CHANGE_BUSINESS)!.outcome;
    expect(business.view).toMatchObject({
      holdings: [{ premium: { amount: '461000.00', currency: 'CNY', mode: 'ANNUAL' }, annualStandardPremium: '461000.00', effectiveDate: '2027-02-01' }],
      column: 'strategic',
    });
    // 4,000 a month in the first term (48k a year), 5,000 more a year in the renewed one.
    expect(business.credit.filter((line) => line.startsWith('Endorsed'))).toEqual([['2026-06-01', '48000.00'], ['2027-05-01', '5000.00']].flatMap(([date, net]) =>
      LEGS.map((leg) => `Endorsed ${date} ${leg}: ${net} ${net} ${net}`)));
    expect(runs).toHaveLength(24);
    const differing = runs.filter((r) => JSON.stringify(r.outcome) !== JSON.stringify(business));
    expect(differing.map(({ order, outcome }) => ({ order, view: JSON.stringify(outcome.view) === JSON.stringify(business.view), unlike: outcome.credit.filter((line) => !business.credit.includes(line)) }))).toEqual([]);
  });

  it('then, after a cancellation dated in the renewed term, crediting claws back the renewed term\'s credits only, whatever arrived first', async () => {
    for (const { n } of played) await send(app, 'PolicyCancelled', { policyNo: policyNo(n), effectiveDate: '2027-08-01', reason: 'surrendered' }, '2027-08-01T10:00:00+08:00');
    await creditLinesSettled(app);
    const credits = ofScenario(await Promise.all(played.map(async ({ order, n }) => ({ order, credit: await netCreditOf(app.get(DataSource), n) }))), BUSINESS);
    const business = credits.find((c) => c.order === BUSINESS)!.credit;
    // 4,000 a month from 1 June (48k a year) keeps all its credit: its premium year ended on 31 January 2027. The
    // renewal (456k) and the second endorsement (60k) keep what ran until 1 August: 181 of 364 and 92 of 275 days.
    expect(business).toEqual(['Endorsed 2026-06-01', 'Endorsed 2027-05-01', 'Issued 2026-02-01', 'Renewed 2027-02-01'].flatMap((credit) => {
      const net = { 'Endorsed 2026-06-01': '48000.00', 'Endorsed 2027-05-01': '20072.73', 'Issued 2026-02-01': '420000.00', 'Renewed 2027-02-01': '226747.25' }[credit];
      return LEGS.map((leg) => `${credit} ${leg}: ${net} ${net} ${net}`);
    }));
    expect(credits).toHaveLength(24);
    const differing = credits.filter((c) => JSON.stringify(c.credit) !== JSON.stringify(business));
    expect(differing.map(({ order, credit }) => ({ order, unlike: credit.filter((line) => !business.includes(line)) }))).toEqual([]);
  });

  it('then, the renewal changing the payment mode, the cancellation claws back the renewed term\'s endorsement at its annual premium, whatever arrived first', async () => {
    // The test before sent the cancellations of both policies' orders.
    await creditLinesSettled(app);
    const credits = ofScenario(await Promise.all(played.map(async ({ order, n }) => ({ order, credit: await netCreditOf(app.get(DataSource), n) }))), MODE_CHANGE_BUSINESS);
    const business = credits.find((c) => c.order === MODE_CHANGE_BUSINESS)!.credit;
    // The renewed term's endorsement (5,000 a year from 1 May) keeps 92 of its 275 days, as the renewal keeps 181 of 364.
    expect(business).toEqual(['Endorsed 2026-06-01', 'Endorsed 2027-05-01', 'Issued 2026-02-01', 'Renewed 2027-02-01'].flatMap((credit) => {
      const net = { 'Endorsed 2026-06-01': '48000.00', 'Endorsed 2027-05-01': '1672.73', 'Issued 2026-02-01': '420000.00', 'Renewed 2027-02-01': '226747.25' }[credit];
      return LEGS.map((leg) => `${credit} ${leg}: ${net} ${net} ${net}`);
    }));
    expect(credits).toHaveLength(24);
    const differing = credits.filter((c) => JSON.stringify(c.credit) !== JSON.stringify(business));
    expect(differing.map(({ order, credit }) => ({ order, unlike: credit.filter((line) => !business.includes(line)) }))).toEqual([]);
  });
});
