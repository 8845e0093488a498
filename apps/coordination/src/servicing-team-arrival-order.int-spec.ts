import type { EventType } from '@lib/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/infra/postgres';
import { createCoordinationApp } from './coordination-app';
import { agent, company, policy, referral } from './conflicts/testing/harness';
import { TEST_HMAC_KEY } from './identity/testing/identity-app';
import { dispatchReplayed, startWholeApp, subsidiaryEvent } from './testing/whole-app-feed';
import { permutations } from '../../../test/support/permutations';

/**
 * A top-strategic client's relationship team as of a moment is who serviced its policies on that day,
 * by the servicing history's business dates, not the policy row as it stands now. The client holds 600k
 * a year of life cover (top-strategic on its own), serviced by agent X; from a date in June agent Y
 * services it instead: a renewal naming Y from 1 June, or X's termination on 15 June handing the book to
 * X's team leader Y. Life agents refer the client to P&C in March (X, then Y) and in July: X is the team
 * in March (X's registration meets no conflict, Y's is one with X), Y from June. Each scenario's five facts
 * arrive in every order on the whole app (a renewal before its policy is parked until the policy is
 * recorded); each order plays on its own client (and, for the termination, its own agents).
 */
jest.setTimeout(900_000);

type Fact = 'PL' | 'CHANGE' | 'R-MAR-X' | 'R-MAR-Y' | 'R-JUL';

const T0 = '2025-01-02T09:00:00+08:00';
const yearly = (amount: string) => ({ amount, currency: 'CNY', mode: 'ANNUAL' });
const lifeAgent = (agentId: string, leaderId: string | null = null) => ({ ...agent(agentId, 'AGENCY'), leaderId, joinedAt: '2025-01-02' });

interface Scenario {
  /** Suffix of the order's ids: `-<tag><n>`. */
  tag: string;
  seed: number;
  x: (n: number) => string;
  y: (n: number) => string;
  /** Agents onboarded before each order's facts (none: shared agents onboarded once). */
  agents?: (n: number) => object[];
  policy: (n: number) => object;
  change: { type: EventType; payload: (n: number) => object; at: string };
  /** Who registers in July: the agent the team has then (no conflict) or the one it no longer has. */
  july: 'x' | 'y';
}

const client = (s: Scenario, n: number) => `LIFE-ORG-${s.tag}${n}`;

async function play(app: NestFastifyApplication, s: Scenario, fact: Fact, n: number): Promise<void> {
  const send = (type: EventType, payload: object, at: string) => dispatchReplayed(app, subsidiaryEvent(type, 'life', payload, at, 'team'));
  const register = (id: string, line: string, agentId: string, at: string) =>
    send('ReferralRegistered', referral(`${id}-${s.tag}${n}`, client(s, n), 'pnc', line, agentId, at), at);
  switch (fact) {
    case 'PL': return send('PolicyIssued', s.policy(n), '2025-05-28T10:00:00+08:00');
    case 'CHANGE': return send(s.change.type, s.change.payload(n), s.change.at);
    case 'R-MAR-X': return register('RX', 'MOTOR', s.x(n), '2026-03-10T09:00:00+08:00');
    case 'R-MAR-Y': return register('RY', 'HOME', s.y(n), '2026-03-12T09:00:00+08:00');
    case 'R-JUL': return register('RJ', 'COMMERCIAL_PROPERTY', s.july === 'x' ? s.x(n) : s.y(n), '2026-07-10T09:00:00+08:00');
  }
}

/** The conflicts standing for the order's client (`LIFE-ORG-<tag><n>`): what raised each, its status and decision, and who services its life policy now (the order's suffix left out). */
async function standing(ds: DataSource, tag: string, n: number): Promise<string[]> {
  const [{ party_id: partyId }] = await ds.query('SELECT party_id FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', ['life', `LIFE-ORG-${tag}${n}`]);
  const rows: Array<{ kind: string; referral_ids: string[]; status: string; decided: string | null }> = await ds.query(
    `SELECT kind, referral_ids, status,
            decision->>'mode' || ' ' || (SELECT string_agg(s->>'agentId' || ' ' || (s->>'pct'), ',') FROM jsonb_array_elements(decision->'shares') s) AS decided
       FROM coordination.conflict_index WHERE status <> 'superseded' AND party_id = $1 ORDER BY 1, 2`,
    [partyId],
  );
  const [{ servicer }] = await ds.query('SELECT servicing_agent_id AS servicer FROM coordination.policies WHERE subsidiary = $1 AND policy_no = $2', ['life', `PL-${tag}${n}`]);
  const plain = (text: string) => text.replaceAll(`-${tag}${n}`, '');
  return [...rows.map((r) => plain(`${r.kind} ${r.referral_ids.join(',')} ${r.status}: ${r.decided}`)).sort(), `serviced by ${plain(servicer)}`];
}

// X services the policy from its first term; a renewal names Y for the term from 1 June 2026.
const RENEWAL: Scenario = {
  tag: 'N', seed: 800, x: () => 'A-1001', y: () => 'A-1002', july: 'x',
  policy: (n) => ({ ...policy(`PL-N${n}`, `LIFE-ORG-N${n}`, 'LIFE_WHOLE', 'A-1001', 'A-1001', 'AGENCY', null), premium: yearly('600000.00'), effectiveDate: '2025-06-01', expiryDate: '2026-05-31' }),
  change: {
    type: 'PolicyRenewed', at: '2026-05-20T10:00:00+08:00',
    payload: (n) => ({ policyNo: `PL-N${n}`, newEffectiveDate: '2026-06-01', newExpiryDate: '2027-05-31', premium: yearly('600000.00'), servicingAgentId: 'A-1002' }),
  },
};

// X leaves on 15 June 2026; the orphan rule (team-leader) hands the policy to X's leader Y from then.
const TERMINATION: Scenario = {
  tag: 'L', seed: 1000, x: (n) => `A-X-L${n}`, y: (n) => `A-Y-L${n}`, july: 'y',
  agents: (n) => [lifeAgent(`A-Y-L${n}`), lifeAgent(`A-X-L${n}`, `A-Y-L${n}`)],
  policy: (n) => ({ ...policy(`PL-L${n}`, `LIFE-ORG-L${n}`, 'LIFE_WHOLE', `A-X-L${n}`, `A-X-L${n}`, 'AGENCY', null), premium: yearly('600000.00'), effectiveDate: '2025-06-01', expiryDate: '2026-12-31' }),
  change: { type: 'AgentTerminated', at: '2026-06-15T18:00:00+08:00', payload: (n) => ({ agentId: `A-X-L${n}`, effectiveDate: '2026-06-15', reason: 'resigned' }) },
};

describe.each([
  ['a renewal naming a new servicing agent', RENEWAL, [
    'strategic-account RJ auto-resolved: award A-1002 100.00',
    'strategic-account RY auto-resolved: award A-1001 100.00',
    'serviced by A-1002',
  ]],
  ['the servicing agent\'s termination handing the policy to the team leader', TERMINATION, [
    'strategic-account RY auto-resolved: award A-X 100.00',
    'serviced by A-Y',
  ]],
])('the relationship team by the servicing history\'s dates, with %s, in every arrival order', (_name, scenario, expected) => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const outcomes = new Map<string, string[]>();

  beforeAll(async () => {
    db = await createTestDatabase(`team_as_of_${scenario.tag.toLowerCase()}`);
    process.env.INBOUND_DISABLED = '1';
    process.env.SCHEDULER_DISABLED = '1';
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', IDENTITY_HMAC_KEY: TEST_HMAC_KEY, DATABASE_POOL_SIZE: '4' };
    ({ app } = await createCoordinationApp({ env, logger: false }));
    await app.init();
    if (!scenario.agents) for (const id of ['A-1001', 'A-1002']) await dispatchReplayed(app, subsidiaryEvent('AgentOnboarded', 'life', lifeAgent(id), T0, 'team'));
    for (const [n, order] of permutations<Fact>(['PL', 'R-MAR-X', 'R-MAR-Y', 'CHANGE', 'R-JUL']).entries()) {
      for (const payload of scenario.agents?.(n) ?? []) await dispatchReplayed(app, subsidiaryEvent('AgentOnboarded', 'life', payload, T0, 'team'));
      await dispatchReplayed(app, subsidiaryEvent('ClientRegistered', 'life', company(client(scenario, n), scenario.seed + n), T0, 'team'));
      for (const fact of order) await play(app, scenario, fact, n);
      outcomes.set(order.join(' → '), await standing(app.get(DataSource), scenario.tag, n));
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then each registration meets the team of its own date: X\'s March one none, Y\'s March one X, the July one Y, whatever arrived first', () => {
    expect(outcomes.size).toBe(120);
    const differing = [...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(expected));
    expect({ differing: differing.length, orders: differing.map(([order, outcome]) => `${order}: ${outcome.join('; ')}`) }).toEqual({ differing: 0, orders: [] });
    expect(outcomes.get('PL → R-MAR-X → R-MAR-Y → CHANGE → R-JUL')).toEqual(expected);
  });
});

/**
 * The team's leader is the agent servicing the largest premium as of the moment: the client holds 400k a
 * year of life cover (A-1001) from 1 January 2026 and 300k of group cover (G-3001) from 1 February, which
 * an endorsement raises by 200k a year from 1 May. P&C's agent refers the client for term life on 10 April
 * (the life servicer leads) and on 10 June (the group servicer leads). The five facts in every order.
 */
describe('the relationship team led by the premium of the day, with an endorsement, in every arrival order', () => {
  type Led = 'PL' | 'PG' | 'ENDORSE' | 'R-APR' | 'R-JUN';
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const outcomes = new Map<string, string[]>();
  const holder = (sub: 'life' | 'pnc' | 'group', n: number) => `${sub.toUpperCase()}-ORG-M${n}`;

  async function playLed(fact: Led, n: number): Promise<void> {
    const send = (type: EventType, sub: 'life' | 'pnc' | 'group', payload: object, at: string) => dispatchReplayed(app, subsidiaryEvent(type, sub, payload, at, 'team'));
    switch (fact) {
      case 'PL': return send('PolicyIssued', 'life', {
        ...policy(`PL-M${n}`, holder('life', n), 'LIFE_WHOLE', 'A-1001', 'A-1001', 'AGENCY', null),
        premium: yearly('400000.00'), standardPremium: '400000.00', effectiveDate: '2026-01-01', expiryDate: '2026-12-31',
      }, '2025-12-28T10:00:00+08:00');
      case 'PG': return send('PolicyIssued', 'group', {
        ...policy(`PG-M${n}`, holder('group', n), 'GROUP_HEALTH', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', null),
        premium: yearly('300000.00'), standardPremium: '300000.00', effectiveDate: '2026-02-01', expiryDate: '2027-01-31',
      }, '2026-01-28T10:00:00+08:00');
      case 'ENDORSE': return send('PolicyEndorsed', 'group', {
        policyNo: `PG-M${n}`, effectiveDate: '2026-05-01', premiumDelta: '200000.00', standardPremiumDelta: '200000.00', reason: 'headcount raised',
      }, '2026-04-25T10:00:00+08:00');
      case 'R-APR': return send('ReferralRegistered', 'pnc', referral(`RA-M${n}`, holder('pnc', n), 'life', 'LIFE_TERM', 'P-2001', '2026-04-10T09:00:00+08:00'), '2026-04-10T09:00:00+08:00');
      case 'R-JUN': return send('ReferralRegistered', 'pnc', referral(`RB-M${n}`, holder('pnc', n), 'life', 'LIFE_TERM', 'P-2001', '2026-06-10T09:00:00+08:00'), '2026-06-10T09:00:00+08:00');
    }
  }

  beforeAll(async () => {
    ({ db, app } = await startWholeApp('team_as_of_m'));
    const agents: Array<['life' | 'pnc' | 'group', object]> = [['life', lifeAgent('A-1001')], ['group', agent('G-3001', 'GROUP_ACCOUNT')], ['pnc', agent('P-2001', 'AGENCY')]];
    for (const [sub, payload] of agents) await dispatchReplayed(app, subsidiaryEvent('AgentOnboarded', sub, payload, T0, 'team'));
    for (const [n, order] of permutations<Led>(['PL', 'PG', 'R-APR', 'ENDORSE', 'R-JUN']).entries()) {
      for (const sub of ['life', 'pnc', 'group'] as const) await dispatchReplayed(app, subsidiaryEvent('ClientRegistered', sub, company(holder(sub, n), 1200 + n), T0, 'team'));
      for (const fact of order) await playLed(fact, n);
      outcomes.set(order.join(' → '), await standing(app.get(DataSource), 'M', n));
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then the April registration meets the life servicer\'s team and the June one the group servicer\'s, whatever arrived first', () => {
    const expected = ['strategic-account RA auto-resolved: award A-1001 100.00', 'strategic-account RB auto-resolved: award G-3001 100.00', 'serviced by A-1001'];
    expect(outcomes.size).toBe(120);
    const differing = [...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(expected));
    expect({ differing: differing.length, orders: differing.map(([order, outcome]) => `${order}: ${outcome.join('; ')}`) }).toEqual({ differing: 0, orders: [] });
  });
});
