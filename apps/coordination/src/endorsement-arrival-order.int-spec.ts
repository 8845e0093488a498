import type { EventType } from '@lib/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../test/infra/postgres';
import { agent, company, policy, referral } from './conflicts/testing/harness';
import { dispatchReplayed, startWholeApp, subsidiaryEvent } from './testing/whole-app-feed';
import { permutations } from '../../../test/support/permutations';

/**
 * An endorsement changes a policy's premium from its effective date, so the party's tier as of a moment
 * counts it from then, whatever arrived first. The client holds 450k a year of life cover (A-1001) from 1
 * February 2026: strategic. An endorsement raises it by 60k a year from 1 May: top-strategic from then.
 * P&C's agent registers the client for term life on 20 April (before) and 10 May (after), and the group's
 * direct agent visits it on 12 May (after). The five facts arrive in every order on the whole app (an
 * endorsement before its policy is parked until the policy is recorded); each order plays on its own
 * client (ids suffixed with the order's number).
 */
jest.setTimeout(600_000);

type Sub = 'life' | 'pnc' | 'group';
type Fact = 'PL' | 'ENDORSE' | 'R-A' | 'R-B' | 'V-B';

const T0 = '2026-01-05T09:00:00+08:00';
const AGENTS: Array<[Sub, object]> = [['life', agent('A-1001', 'AGENCY')], ['pnc', agent('P-2001', 'AGENCY')], ['group', agent('G-DIRECT-1', 'DIRECT')]];
const client = (sub: Sub, n: number) => `${sub.toUpperCase()}-ORG-E${n}`;

async function play(app: NestFastifyApplication, fact: Fact, n: number): Promise<void> {
  const send = (type: EventType, sub: Sub, payload: object, at: string) => dispatchReplayed(app, subsidiaryEvent(type, sub, payload, at, 'endorse'));
  switch (fact) {
    case 'PL': {
      const payload = { ...policy(`PL-E${n}`, client('life', n), 'LIFE_WHOLE', 'A-1001', 'A-1001', 'AGENCY', null), effectiveDate: '2026-02-01', expiryDate: '2027-01-31' };
      return send('PolicyIssued', 'life', { ...payload, premium: { amount: '450000.00', currency: 'CNY', mode: 'ANNUAL' } }, '2026-01-30T10:00:00+08:00');
    }
    case 'ENDORSE':
      return send('PolicyEndorsed', 'life', { policyNo: `PL-E${n}`, effectiveDate: '2026-05-01', premiumDelta: '60000.00', reason: 'sum assured raised' }, '2026-04-25T10:00:00+08:00');
    case 'R-A':
      return send('ReferralRegistered', 'pnc', referral(`RA-E${n}`, client('pnc', n), 'life', 'LIFE_TERM', 'P-2001', '2026-04-20T09:00:00+08:00'), '2026-04-20T09:00:00+08:00');
    case 'R-B':
      return send('ReferralRegistered', 'pnc', referral(`RB-E${n}`, client('pnc', n), 'life', 'LIFE_TERM', 'P-2001', '2026-05-10T09:00:00+08:00'), '2026-05-10T09:00:00+08:00');
    case 'V-B': {
      const visit = { activityId: `VB-E${n}`, agentId: 'G-DIRECT-1', clientLocalId: client('group', n), kind: 'visit', at: '2026-05-12T09:00:00+08:00' };
      return send('ActivityLogged', 'group', visit, '2026-05-12T09:00:00+08:00');
    }
  }
}

/** The conflicts standing for client `n`: what raised each (a registration, or a visit), its status and decision. */
async function standing(ds: DataSource, n: number): Promise<string[]> {
  const [{ party_id: partyId }] = await ds.query('SELECT party_id FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', ['life', client('life', n)]);
  const rows: Array<{ kind: string; referral_ids: string[]; conflict_key: string; status: string; decided: string | null }> = await ds.query(
    `SELECT kind, referral_ids, conflict_key, status,
            decision->>'mode' || ' ' || (SELECT string_agg(s->>'agentId' || ' ' || (s->>'pct'), ',') FROM jsonb_array_elements(decision->'shares') s) AS decided
       FROM coordination.conflict_index WHERE status <> 'superseded' AND party_id = $1 ORDER BY 1, 2, 3`,
    [partyId],
  );
  const raisedBy = (r: (typeof rows)[number]) => r.conflict_key.split('|approach:')[1] ?? r.referral_ids.join(',');
  return rows.map((r) => `${r.kind} ${raisedBy(r).replaceAll(`-E${n}`, '')} ${r.status}: ${r.decided}`).sort();
}

describe('an endorsement that makes the client top-strategic, in every arrival order', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const outcomes = new Map<string, string[]>();

  beforeAll(async () => {
    ({ db, app } = await startWholeApp('endorsement_order'));
    for (const [sub, payload] of AGENTS) await dispatchReplayed(app, subsidiaryEvent('AgentOnboarded', sub, payload, T0, 'endorse'));
    for (const [n, order] of permutations<Fact>(['PL', 'R-A', 'ENDORSE', 'R-B', 'V-B']).entries()) {
      for (const sub of ['life', 'pnc', 'group'] as const) await dispatchReplayed(app, subsidiaryEvent('ClientRegistered', sub, company(client(sub, n), 700 + n), T0, 'endorse'));
      for (const fact of order) await play(app, fact, n);
      outcomes.set(order.join(' → '), await standing(app.get(DataSource), n));
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then the registration and the visit dated after the endorsement meet the relationship team, the earlier registration does not, whatever arrived first', () => {
    const business = outcomes.get('PL → R-A → ENDORSE → R-B → V-B');
    expect(business).toEqual([
      'strategic-account RB auto-resolved: award A-1001 100.00',
      'strategic-account group:VB auto-resolved: award A-1001 100.00',
    ]);
    expect(outcomes.size).toBe(120);
    expect([...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(business))).toEqual([]);
  });
});
