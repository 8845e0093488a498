import type { EventType } from '@lib/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../test/infra/postgres';
import { agent, company, policy } from './conflicts/testing/harness';
import { ClientViewProjection } from './identity/projections/client-view.projection';
import { policyReaders } from './testing/policy-readers';
import { creditLinesSettled, dispatchReplayed, projectionSettled, startWholeApp, subsidiaryEvent } from './testing/whole-app-feed';
import { permutations } from '../../../test/support/permutations';

/**
 * A renewed term starts in force: a cancellation or lapse dated before it ends the earlier term only (issue
 * #10). P&C motor cover for March 2026 to February 2027, renewed from 1 March 2027. Reported after the
 * renewal, a cancellation dated in the first term left the portfolio row (coordination.policies) and the
 * 360° view cancelled, while business order (the cancellation, then the renewal) has the row in force; and
 * the view read cancelled even in business order (its fold took no status from a renewal). Each scenario's
 * facts arrive in each order on the whole app, each order on its own client and policy; every reader must
 * say what business order says: the row's status, its status history, the days in force by it
 * (`inForceOn`), identity's view of the holding and its folded policy, and the ledger's status and net
 * credit. A cancellation dated in the renewed term leaves it cancelled, whichever arrives first. A
 * reinstatement dated in the first term, reported after the renewal, re-credits what the cancellation
 * clawed back (the ledger, in force by the renewal, refused it, CREDIT_POLICY_NOT_TERMINATED, and the
 * crediting handler took it for a repeat); reported before the cancellation (the policy in force on its date),
 * the portfolio and the ledger keep it until the cancellation arrives (see reinstatement-arrival-order.int-spec).
 */
jest.setTimeout(600_000);

type Fact = 'RENEW' | 'CANCEL' | 'LAPSE' | 'CANCEL-RENEWED' | 'REINSTATE';

const T0 = '2026-01-05T09:00:00+08:00';
const client = (tag: string, n: number) => `PNC-ORG-${tag}${n}`;
const policyNo = (tag: string, n: number) => `PM-${tag}${n}`;
const DAYS = ['2026-04-30', '2026-05-01', '2026-08-01', '2026-11-01', '2027-02-28', '2027-03-01', '2027-07-01'];

const SCENARIOS: Array<{ name: string; tag: string; seed: number; facts: Fact[]; status: string }> = [
  { name: 'a cancellation dated in the first term', tag: 'C', seed: 3100, facts: ['CANCEL', 'RENEW'], status: 'in-force' },
  { name: 'a lapse dated in the first term', tag: 'L', seed: 3200, facts: ['LAPSE', 'RENEW'], status: 'in-force' },
  { name: 'a cancellation dated in the renewed term', tag: 'R', seed: 3300, facts: ['RENEW', 'CANCEL-RENEWED'], status: 'cancelled' },
  { name: 'a cancellation and a reinstatement dated in the first term', tag: 'I', seed: 3400, facts: ['CANCEL', 'REINSTATE', 'RENEW'], status: 'in-force' },
];

async function send(app: NestFastifyApplication, type: EventType, payload: object, at: string): Promise<void> {
  await dispatchReplayed(app, subsidiaryEvent(type, 'pnc', payload, at, 'renewal-status'));
}

async function play(app: NestFastifyApplication, fact: Fact, no: string): Promise<void> {
  switch (fact) {
    case 'RENEW': {
      const renewal = { policyNo: no, newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: { amount: '50000.00', currency: 'CNY', mode: 'ANNUAL' }, servicingAgentId: 'P-3001' };
      return send(app, 'PolicyRenewed', renewal, '2027-02-10T10:00:00+08:00');
    }
    case 'CANCEL':
      return send(app, 'PolicyCancelled', { policyNo: no, effectiveDate: '2026-05-01', reason: 'surrendered' }, '2026-05-01T10:00:00+08:00');
    case 'LAPSE':
      return send(app, 'PolicyLapsed', { policyNo: no, effectiveDate: '2026-10-01', reason: 'unpaid' }, '2026-10-01T10:00:00+08:00');
    case 'REINSTATE':
      return send(app, 'PolicyReinstated', { policyNo: no, effectiveDate: '2026-07-01' }, '2026-07-01T10:00:00+08:00');
    case 'CANCEL-RENEWED':
      return send(app, 'PolicyCancelled', { policyNo: no, effectiveDate: '2027-06-01', reason: 'surrendered' }, '2027-06-01T10:00:00+08:00');
  }
}

/** What every reader says of the policy, with the order's suffix taken off. */
async function readersOf(ds: DataSource, tag: string, n: number) {
  const no = policyNo(tag, n);
  const net = await ds.query(
    `SELECT side, level, beneficiary_id, sum(weighted_credit)::text AS weighted FROM coordination.credit_lines WHERE policy_no = $1 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`, [no]);
  return {
    ...(await policyReaders(ds, no, client(tag, n), DAYS)),
    net,
  };
}

describe.each(SCENARIOS)('the status of a renewed policy with $name, in every arrival order', ({ tag, seed, facts, status }) => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const played: Array<{ order: string; n: number }> = [];

  beforeAll(async () => {
    ({ db, app } = await startWholeApp(`renewal_status_${tag.toLowerCase()}`));
    await send(app, 'AgentOnboarded', agent('P-3001', 'AGENCY'), T0);
    for (const [n, order] of permutations(facts).entries()) {
      await send(app, 'ClientRegistered', company(client(tag, n), seed + n), T0);
      const issued = { ...policy(policyNo(tag, n), client(tag, n), 'MOTOR', 'P-3001', 'P-3001', 'AGENCY', null), effectiveDate: '2026-03-01', expiryDate: '2027-02-28' };
      await send(app, 'PolicyIssued', issued, '2026-02-25T10:00:00+08:00');
      for (const fact of order) await play(app, fact, policyNo(tag, n));
      played.push({ order: order.join(' → '), n });
    }
    await projectionSettled(app, app.get(ClientViewProjection));
    await creditLinesSettled(app);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then every reader says what business order says', async () => {
    const ds = app.get(DataSource);
    const outcomes = await Promise.all(played.map(async ({ order, n }) => ({ order, readers: await readersOf(ds, tag, n) })));
    const business = outcomes.find((o) => o.order === facts.join(' → '))!.readers;
    expect(business).toMatchObject({ row: status, view: [`PM ${status}`], folded: status });
    expect(business.inForce).toContain('2027-03-01');
    const differing = outcomes.filter((o) => JSON.stringify(o.readers) !== JSON.stringify(business));
    expect(differing.map((o) => ({ order: o.order, ...o.readers }))).toEqual([]);
  });
});
