import type { EventType } from '@lib/contracts';
import { ApiKeyStore } from '@lib/platform';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '../../../test/infra/postgres';
import { company, policy } from './conflicts/testing/harness';
import { CLOCK, type Clock } from './infrastructure/tokens';
import { creditLinesSettled, dispatchReplayed, startWholeApp, subsidiaryEvent } from './testing/whole-app-feed';
import { interleavings } from '../../../test/support/permutations';

/**
 * An orphan hand-out's candidate recorded after the termination was handled (issue #10): agents travel on
 * partitions keyed by agent, so the leaver's team leader (team-leader) or a branch colleague
 * (least-loaded-in-branch) can arrive after the termination. P&C agent M joined on 4 May 2025, sells and
 * services motor policy PP from 1 June 2025 and leaves on 31 August 2025; PP is renewed from 1 June 2026
 * (naming no agent). The candidate C joined long before (8 December 2011) or after the termination (15
 * September 2025: no candidate then). Three partitions (C's onboarding; M's onboarding and termination; the
 * policy and its renewal) arrive in all 30 interleavings, each order on agents, client and policy of its own;
 * every reader must say what business order says: the portfolio's servicer, the standing servicing history,
 * the servicer the policy stream states last, the pending reassignment, the ledger's reassignments and net
 * credit per transaction and beneficiary. Before the fix a C arriving after the termination left PP waiting
 * for a coordinator ("found no active agent") where business order hands it to C.
 */
jest.setTimeout(900_000);

type Fact = 'CANDIDATE' | 'MEMBER' | 'TERMINATION' | 'ISSUE' | 'RENEWAL' | 'REASSIGN';

const PARTITIONS: Fact[][] = [['CANDIDATE'], ['MEMBER', 'TERMINATION'], ['ISSUE', 'RENEWAL']];
const ORDERS = interleavings(PARTITIONS);
const BUSINESS_ORDER = 'CANDIDATE → MEMBER → ISSUE → TERMINATION → RENEWAL';
const TERMINATED_ON = '2025-08-31';

interface Scenario {
  name: string;
  tag: string;
  seed: number;
  /** When C joined, and whether C stands in M's branch or another. */
  joinedAt: string;
  branch: 'same' | 'other';
  /** Whether C is M's team leader. */
  leads: boolean;
  /** Business order's servicer (C or M) and pending reassignment reason (none when handed on). */
  servicer: 'C' | 'M';
  waits?: string;
}

const ids = (s: Scenario, n: number) => {
  const suffix = `${s.tag}${n}`;
  return {
    suffix, c: `PA-C-${suffix}`, m: `PA-M-${suffix}`, policyNo: `PP-${suffix}`, client: `PNC-ORG-OC${suffix}`,
    branch: `PB-${suffix}`, team: `PT-${suffix}`, otherBranch: `PB-X-${suffix}`, otherTeam: `PT-X-${suffix}`,
  };
};

/** `coordinatorKey`: the REST reassignment of M's policy to agent Z (onboarded with the order's client) is made with it. */
async function play(app: NestFastifyApplication, s: Scenario, fact: Fact, n: number, coordinatorKey = ''): Promise<void> {
  const send = (type: EventType, payload: object, at: string) => dispatchReplayed(app, subsidiaryEvent(type, 'pnc', payload, at, 'orphan-candidate'));
  const { c, m, policyNo, client, branch, team, otherBranch, otherTeam } = ids(s, n);
  const agent = (agentId: string, placement: object, joinedAt: string) => ({ agentId, name: '测试员', channel: 'AGENCY', ...placement, joinedAt });
  switch (fact) {
    case 'CANDIDATE': {
      const placement = s.branch === 'same' ? { branchId: branch, teamId: team } : { branchId: otherBranch, teamId: otherTeam };
      return send('AgentOnboarded', agent(c, { ...placement, leaderId: null }, s.joinedAt), `${s.joinedAt}T09:00:00+08:00`);
    }
    case 'MEMBER':
      return send('AgentOnboarded', agent(m, { branchId: branch, teamId: team, leaderId: s.leads ? c : null }, '2025-05-04'), '2025-05-04T09:00:00+08:00');
    case 'TERMINATION':
      return send('AgentTerminated', { agentId: m, effectiveDate: TERMINATED_ON, reason: 'retired' }, `${TERMINATED_ON}T18:00:00+08:00`);
    case 'ISSUE': return send('PolicyIssued', {
      ...policy(policyNo, client, 'MOTOR', m, m, 'AGENCY', null), effectiveDate: '2025-06-01', expiryDate: '2026-05-31',
    }, '2025-05-28T10:00:00+08:00');
    case 'REASSIGN': {
      // Answered 200 while the policy waits, 404 once handed on (business order's answer): either way the outcome is compared.
      await request(app.getHttpServer()).post(`/v1/admin/agents/${m}/reassignment`).set('X-Api-Key', coordinatorKey)
        .send({ toAgentId: `PA-Z-${ids(s, n).suffix}`, policyNos: [policyNo], reason: 'the client asked for Z' });
      return;
    }
    case 'RENEWAL': return send('PolicyRenewed', {
      policyNo, newEffectiveDate: '2026-06-01', newExpiryDate: '2027-05-31', premium: { amount: '52000.00', currency: 'CNY', mode: 'ANNUAL' },
    }, '2026-05-20T10:00:00+08:00');
  }
}

/** What every reader says of the order's policy, its ids bare (C, M, the branches and teams). */
async function outcomeOf(ds: DataSource, s: Scenario, n: number) {
  const { suffix, policyNo } = ids(s, n);
  const bare = (text: string) => text.replaceAll(`-${suffix}`, '');
  const q = async (sql: string) => ((await ds.query(sql, [policyNo])) as Array<{ row: string }>).map((r) => bare(r.row));
  return {
    servicer: await q(`SELECT servicing_agent_id AS row FROM coordination.policies WHERE subsidiary = 'pnc' AND policy_no = $1`),
    history: await q(`SELECT concat_ws(' ', effective_date::text, coalesce(from_agent_id, '-'), agent_id, coalesce(rule, 'issue')) AS row
                        FROM coordination.credit_servicing_history WHERE subsidiary = 'pnc' AND policy_no = $1 AND NOT superseded ORDER BY 1`),
    stated: await q(`SELECT COALESCE(data->>'toAgentId', data->>'servicingAgentId') AS row FROM event_store.events
                      WHERE stream_id = 'policy-pnc-' || $1 AND type IN ('PolicyRecorded', 'PolicyRenewalRecorded', 'PolicyServicingReassigned')
                      ORDER BY global_position DESC LIMIT 1`),
    pending: await q(`SELECT concat_ws(' ', from_agent_id, since::text, reason) AS row FROM coordination.credit_pending_reassignments
                       WHERE subsidiary = 'pnc' AND policy_no = $1`),
    ledgerReassigned: await q(`SELECT concat_ws(' ', data->>'effectiveDate', data->>'fromAgentId', data->>'toAgentId') AS row FROM event_store.events
                                WHERE stream_id = 'credit-pnc-' || $1 AND type = 'ServicingReassigned' ORDER BY global_position`),
    // Net per transaction and beneficiary: a late hand-out re-credits the renewal by compensating lines.
    credit: await q(`SELECT concat_ws(' ', o.transaction_kind, o.effective_date::text, l.side, l.level, l.beneficiary_id, sum(l.weighted_credit)::text) AS row
                       FROM coordination.credit_lines l JOIN coordination.credit_lines o ON o.line_id = l.credit_key
                      WHERE l.policy_no = $1 GROUP BY o.transaction_kind, o.effective_date, l.side, l.level, l.beneficiary_id
                     HAVING sum(l.weighted_credit) <> 0 ORDER BY 1`),
  };
}

const TEAM_LEADER: Scenario[] = [
  { name: 'the team leader, in the leaver\'s branch', tag: 'S', seed: 6100, joinedAt: '2011-12-08', branch: 'same', leads: true, servicer: 'C' },
  { name: 'the team leader, in another branch', tag: 'O', seed: 6200, joinedAt: '2011-12-08', branch: 'other', leads: true, servicer: 'C' },
  { name: 'a team leader who joined after the termination', tag: 'J', seed: 6300, joinedAt: '2025-09-15', branch: 'same', leads: true, servicer: 'M',
    waits: 'rule team-leader found no active agent' },
];
const LEAST_LOADED: Scenario[] = [
  { name: 'the one colleague of the branch', tag: 'C', seed: 6400, joinedAt: '2011-12-08', branch: 'same', leads: false, servicer: 'C' },
  { name: 'a colleague who joined after the termination', tag: 'K', seed: 6500, joinedAt: '2025-09-15', branch: 'same', leads: false, servicer: 'M',
    waits: 'rule least-loaded-in-branch found no active agent' },
];

describe.each([
  ['team-leader', TEAM_LEADER],
  ['least-loaded-in-branch', LEAST_LOADED],
])('an orphan hand-out under %s whose candidate arrives after the termination, in every arrival order', (rule, scenarios) => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const outcomes = new Map<string, Map<string, Awaited<ReturnType<typeof outcomeOf>>>>();

  beforeAll(async () => {
    process.env.ORPHAN_REASSIGNMENT_RULE = rule;
    ({ db, app } = await startWholeApp(`orphan_candidate_${rule.split('-')[0]}`));
    for (const s of scenarios) {
      for (const [n, order] of ORDERS.entries()) {
        const registered = company(ids(s, n).client, s.seed + n);
        await dispatchReplayed(app, subsidiaryEvent('ClientRegistered', 'pnc', registered, '2025-01-02T09:00:00+08:00', 'orphan-candidate'));
        for (const fact of order) await play(app, s, fact, n);
      }
    }
    await creditLinesSettled(app);
    for (const s of scenarios) {
      const byOrder = new Map<string, Awaited<ReturnType<typeof outcomeOf>>>();
      for (const [n, order] of ORDERS.entries()) byOrder.set(order.join(' → '), await outcomeOf(app.get(DataSource), s, n));
      outcomes.set(s.tag, byOrder);
    }
  });
  afterAll(async () => {
    delete process.env.ORPHAN_REASSIGNMENT_RULE;
    await app?.close();
    await db?.drop();
  });

  it.each(scenarios.map((s) => [s.name, s] as const))('with %s: every order ends as business order does', (_name, s) => {
    const byOrder = outcomes.get(s.tag)!;
    expect(byOrder.size).toBe(30);
    const reference = byOrder.get(BUSINESS_ORDER)!;
    const servicer = s.servicer === 'C' ? 'PA-C' : 'PA-M';
    expect(reference).toMatchObject({
      servicer: [servicer],
      stated: [servicer],
      pending: s.waits ? [`PA-M ${TERMINATED_ON} ${s.waits}`] : [],
      ledgerReassigned: s.waits ? [] : [`${TERMINATED_ON} PA-M PA-C`],
    });
    expect(reference.history).toEqual(['2025-06-01 - PA-M issue', ...(s.waits ? [] : [`${TERMINATED_ON} PA-M PA-C ${rule}`])]);
    // The renewal credits whoever services the policy on its date.
    expect(reference.credit.filter((row) => row.startsWith('Renewed') && row.includes(' sales agent '))).toEqual([expect.stringContaining(` ${servicer} `)]);
    const differing = [...byOrder].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(reference));
    expect(differing.map(([order, outcome]) => `${order}: ${JSON.stringify(outcome)}`)).toEqual([]);
  });
});

/**
 * With a coordinator's REST reassignment of the policy to a third agent Z a month after the termination (the
 * clock, 1 October 2025), made after the policy arrived: in business order the leader has the policy by then
 * and the request finds nothing to reassign. Made while the policy waited (the leader not recorded yet), the
 * leader's hand-out, arriving after it, supersedes it. The servicer, standing history, stated servicer and
 * pending rows agree with business order in all 54 orders (12 left the policy with Z before); the ledger's
 * history and the renewal credit do not in all (see RELIABILITY.md, finding 3, orphan servicing reassignment).
 */
describe('a team leader recorded after the termination, and a coordinator\'s reassignment of the waiting policy, in every arrival order', () => {
  const s: Scenario = { name: 'with a coordinator', tag: 'Z', seed: 6600, joinedAt: '2011-12-08', branch: 'same', leads: true, servicer: 'C' };
  const orders = interleavings<Fact>([['CANDIDATE'], ['MEMBER', 'TERMINATION', 'REASSIGN'], ['ISSUE', 'RENEWAL']])
    .filter((order) => order.indexOf('ISSUE') < order.indexOf('REASSIGN'));
  let db: TestDatabase;
  let app: NestFastifyApplication;
  const outcomes = new Map<string, object>();

  beforeAll(async () => {
    ({ db, app } = await startWholeApp('orphan_candidate_coordinator'));
    jest.spyOn(app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date('2025-10-01T10:00:00+08:00'));
    const { key } = await app.get(ApiKeyStore).create({ name: 'coordinator', role: 'coordinator', createdBy: 'test' });
    for (const [n, order] of orders.entries()) {
      const { client, suffix, branch, team } = ids(s, n);
      const z = { agentId: `PA-Z-${suffix}`, name: '测试员', channel: 'AGENCY', branchId: branch, teamId: team, leaderId: null, joinedAt: '2011-01-01' };
      await dispatchReplayed(app, subsidiaryEvent('AgentOnboarded', 'pnc', z, '2011-01-01T09:00:00+08:00', 'orphan-candidate'));
      await dispatchReplayed(app, subsidiaryEvent('ClientRegistered', 'pnc', company(client, s.seed + n), '2025-01-02T09:00:00+08:00', 'orphan-candidate'));
      for (const fact of order) await play(app, s, fact, n, key);
      const { servicer, history, stated, pending } = await outcomeOf(app.get(DataSource), s, n);
      outcomes.set(order.join(' → '), { servicer, history, stated, pending });
    }
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await app?.close();
    await db?.drop();
  });

  it('then the leader services the policy from the termination date and nothing waits, whatever arrived first', () => {
    expect(outcomes.size).toBe(54);
    const expected = { servicer: ['PA-C'], history: ['2025-06-01 - PA-M issue', `${TERMINATED_ON} PA-M PA-C team-leader`], stated: ['PA-C'], pending: [] };
    expect(outcomes.get('CANDIDATE → MEMBER → ISSUE → TERMINATION → REASSIGN → RENEWAL')).toEqual(expected);
    const differing = [...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(expected));
    expect(differing.map(([order, outcome]) => `${order}: ${JSON.stringify(outcome)}`)).toEqual([]);
  });
});
