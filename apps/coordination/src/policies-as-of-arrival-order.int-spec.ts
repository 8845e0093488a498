import { COORDINATION_EVENT_NAMESPACE, deterministicEventId, type EventType, type Subsidiary } from '@lib/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/infra/postgres';
import { createCoordinationApp } from './coordination-app';
import { agent, company, policy, referral } from './conflicts/testing/harness';
import { DEFAULT_PRECEDENCE } from './conflicts/domain';
import { PrecedenceStore } from './conflicts/write/precedence.store';
import { TEST_HMAC_KEY } from './identity/testing/identity-app';
import { dispatchReplayed, subsidiaryEvent } from './testing/whole-app-feed';
import { permutations } from '../../../test/support/permutations';

/**
 * A registration, sale or quote is judged with the client's policies as they stood at its own time: in
 * force that day (by their terms and the status changes' dates) and serviced by the agent of that day (by
 * the servicing history), not as the portfolio rows stand when it happens to be judged. The client (not
 * strategic: nothing is judged again for its tier) holds group health cover serviced by the group's
 * direct agent. Each scenario's facts arrive in every order on the whole app, each order on its own client.
 * Quote clashes are left to the precedence's rules (not always queued), so the servicer they read shows.
 */
jest.setTimeout(300_000);

type Sub = Subsidiary;
const T0 = '2025-01-02T09:00:00+08:00';
const yearly = (amount: string) => ({ amount, currency: 'CNY', mode: 'ANNUAL' });
const staff = (agentId: string, channel: string) => ({ ...agent(agentId, channel), joinedAt: '2025-01-02' });
const AGENTS: Array<[Sub, object]> = [
  ['group', staff('G-DIRECT-1', 'DIRECT')], ['group', staff('G-DIRECT-2', 'DIRECT')], ['group', staff('G-BROKER-1', 'BROKER')],
  ['life', staff('A-1001', 'AGENCY')], ['pnc', staff('P-2001', 'AGENCY')],
];

interface Fact {
  type: EventType;
  sub: Sub;
  payload: (n: number, tag: string) => object;
  at: string;
}

const holder = (sub: Sub, tag: string, n: number) => `${sub.toUpperCase()}-ORG-${tag}${n}`;
const health = (term: { effectiveDate: string; expiryDate: string }): Fact => ({
  type: 'PolicyIssued', sub: 'group', at: '2025-05-28T10:00:00+08:00',
  payload: (n, tag) => ({ ...policy(`PG-${tag}${n}`, holder('group', tag, n), 'GROUP_HEALTH', 'G-DIRECT-1', 'G-DIRECT-1', 'DIRECT', null), premium: yearly('90000.00'), ...term }),
});
const registration = (id: string, sub: Sub, agentId: string, at: string): Fact => ({
  type: 'ReferralRegistered', sub, at, payload: (n, tag) => referral(`${id}-${tag}${n}`, holder(sub, tag, n), 'group', 'GROUP_HEALTH', agentId, at),
});
const quote = (id: string, agentId: string, at: string): Fact => ({
  type: 'ActivityLogged', sub: 'group', at,
  payload: (n, tag) => ({ activityId: `${id}-${tag}${n}`, agentId, clientLocalId: holder('group', tag, n), kind: 'quote', at, productLine: 'GROUP_HEALTH', quotedPrice: '92000.00' }),
});
const cancelled = (effectiveDate: string): Fact => ({
  type: 'PolicyCancelled', sub: 'group', at: `${effectiveDate}T10:00:00+08:00`,
  payload: (n, tag) => ({ policyNo: `PG-${tag}${n}`, effectiveDate, reason: 'surrendered', refund: '1000.00' }),
});

const YEAR = { effectiveDate: '2026-01-10', expiryDate: '2027-01-09' };
const CANCEL = cancelled('2026-04-01');
/** Each scenario's facts in business order. */
const SCENARIOS: Array<{ name: string; tag: string; seed: number; facts: Array<[string, Fact]>; expected: string[] }> = [
  {
    // Cancelled from 1 April: a life agent's registration of 10 March meets the direct agent's relationship, P&C's of 10 June does not.
    name: 'a cancellation between two registrations', tag: 'C', seed: 1400,
    facts: [
      ['PG', health(YEAR)], ['R-MAR', registration('RM', 'life', 'A-1001', '2026-03-10T09:00:00+08:00')],
      ['CANCEL', CANCEL], ['R-JUN', registration('RY', 'pnc', 'P-2001', '2026-06-10T09:00:00+08:00')],
    ],
    expected: ['servicing-relationship RM auto-resolved: award G-DIRECT-1 100.00'],
  },
  {
    // The broker quotes on 1 March and the direct agent on 5 March: the policy is in force, the direct agent keeps the client.
    name: 'a cancellation after a quote clash', tag: 'QM', seed: 1500,
    facts: [
      ['PG', health(YEAR)], ['Q-BROKER', quote('QB', 'G-BROKER-1', '2026-03-01T10:00:00+08:00')],
      ['Q-DIRECT', quote('QD', 'G-DIRECT-1', '2026-03-05T10:00:00+08:00')], ['CANCEL', CANCEL],
    ],
    expected: ['channel-quote-clash  auto-resolved: award G-DIRECT-1 100.00'],
  },
  {
    // The same quotes on 1 and 5 May, after the cancellation of 1 April: no servicing relationship decides the clash.
    name: 'a cancellation before a quote clash', tag: 'QY', seed: 1600,
    facts: [
      ['PG', health(YEAR)], ['CANCEL', CANCEL],
      ['Q-BROKER', quote('QB', 'G-BROKER-1', '2026-05-01T10:00:00+08:00')], ['Q-DIRECT', quote('QD', 'G-DIRECT-1', '2026-05-05T10:00:00+08:00')],
    ],
    expected: ['channel-quote-clash  queued: null'],
  },
  {
    // The policy's first term ends on 31 May; a renewal names the group's other direct agent from 1 June. The March registration meets the
    // first servicer, the July one the renewal's (without the renewal, no policy was in force in July).
    name: 'a renewal naming a new servicing agent', tag: 'N', seed: 1700,
    facts: [
      ['PG', health({ effectiveDate: '2025-06-01', expiryDate: '2026-05-31' })], ['R-MAR', registration('RM', 'life', 'A-1001', '2026-03-10T09:00:00+08:00')],
      ['RENEW', {
        type: 'PolicyRenewed', sub: 'group', at: '2026-05-20T10:00:00+08:00',
        payload: (n, tag) => ({ policyNo: `PG-${tag}${n}`, newEffectiveDate: '2026-06-01', newExpiryDate: '2027-05-31', premium: yearly('90000.00'), servicingAgentId: 'G-DIRECT-2' }),
      }],
      ['R-JUL', registration('RJ', 'pnc', 'P-2001', '2026-07-10T09:00:00+08:00')],
    ],
    expected: ['servicing-relationship RJ auto-resolved: award G-DIRECT-2 100.00', 'servicing-relationship RM auto-resolved: award G-DIRECT-1 100.00'],
  },
];

/** The conflicts standing for the order's client: what raised each, its status and decision (the order's suffix left out). */
async function standing(ds: DataSource, tag: string, n: number): Promise<string[]> {
  const [{ party_id: partyId }] = await ds.query('SELECT party_id FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', ['group', holder('group', tag, n)]);
  const rows: Array<{ kind: string; referral_ids: string[]; status: string; decided: string | null }> = await ds.query(
    `SELECT kind, referral_ids, status,
            decision->>'mode' || ' ' || (SELECT string_agg(s->>'agentId' || ' ' || (s->>'pct'), ',') FROM jsonb_array_elements(decision->'shares') s) AS decided
       FROM coordination.conflict_index WHERE status <> 'superseded' AND party_id = $1`,
    [partyId],
  );
  return rows.map((r) => `${r.kind} ${r.referral_ids.join(',')} ${r.status}: ${r.decided}`.replaceAll(`-${tag}${n}`, '')).sort();
}

describe.each(SCENARIOS)('the policies as they stood at each approach, with $name, in every arrival order', ({ tag, seed, facts, expected }) => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const outcomes = new Map<string, string[]>();
  const names = facts.map(([name]) => name);
  const byName = new Map(facts);

  beforeAll(async () => {
    db = await createTestDatabase(`policies_as_of_${tag.toLowerCase()}`);
    process.env.INBOUND_DISABLED = '1';
    process.env.SCHEDULER_DISABLED = '1';
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', IDENTITY_HMAC_KEY: TEST_HMAC_KEY, DATABASE_POOL_SIZE: '4' };
    ({ app } = await createCoordinationApp({ env, logger: false }));
    await app.init();
    const at = '2025-01-01T00:00:00Z';
    await app.get(DataSource).transaction((manager) => app.get(PrecedenceStore).change({ ...DEFAULT_PRECEDENCE, alwaysQueue: [] }, {
      manager,
      metadata: { correlationId: 'policies-as-of', causationId: null, actor: 'test', occurredAt: at },
      eventId: (...qualifiers) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'policies-as-of-precedence', tag, ...qualifiers),
    }, { actor: 'test', at }));
    for (const [sub, payload] of AGENTS) await dispatchReplayed(app, subsidiaryEvent('AgentOnboarded', sub, payload, T0, 'as-of'));
    for (const [n, order] of permutations(names).entries()) {
      for (const sub of ['life', 'pnc', 'group'] as const) await dispatchReplayed(app, subsidiaryEvent('ClientRegistered', sub, company(holder(sub, tag, n), seed + n), T0, 'as-of'));
      for (const name of order) {
        const fact = byName.get(name)!;
        await dispatchReplayed(app, subsidiaryEvent(fact.type, fact.sub, fact.payload(n, tag), fact.at, 'as-of'));
      }
      outcomes.set(order.join(' → '), await standing(app.get(DataSource), tag, n));
    }
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('then every order ends with the conflicts business order gives', () => {
    expect(outcomes.size).toBe(24);
    const differing = [...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(expected));
    expect({ differing: differing.length, orders: differing.map(([order, outcome]) => `${order}: ${outcome.join('; ')}`) }).toEqual({ differing: 0, orders: [] });
    expect(outcomes.get(names.join(' → '))).toEqual(expected);
  });
});
