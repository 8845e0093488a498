import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { interleavings } from '../../../../../test/support/permutations';
import { servicerOn } from '../domain';
import { servicingHistories } from '../orphans/servicing-history';
import { agent, http, motorPolicy, premium } from './crediting-fixtures';
import { startCreditingApp, type CreditingTestApp } from './crediting-test-app';

type Feed =
  | [type: 'AgentOnboarded' | 'AgentTransferred' | 'AgentTerminated' | 'PolicyIssued' | 'PolicyRenewed' | 'PolicyCancelled' | 'PolicyReinstated', subsidiary: 'pnc', payload: object]
  /** A coordinator's reassignment over REST of the agent's book (effective the day it is made). */
  | [type: 'Reassign', agentId: string, body: { toAgentId: string; policyNos?: string[]; reason: string }];

/** The status each coordinator's reassignment was answered with, by the agent whose book it named (ids are per order). */
const answers = new Map<string, number>();

async function deliver(h: CreditingTestApp, step: Feed): Promise<void> {
  if (step[0] === 'Reassign') answers.set(step[1], (await http(h).post(`/v1/admin/agents/${step[1]}/reassignment`, 'coordinator', step[2])).status);
  else await h.feed(step[0], step[1], step[2]);
}

/**
 * least-loaded-in-branch by business time. Branch B: leader A0, A1 and A2 stay, A3 leaves on 30 June
 * with LL3 and LL4. On that date A1 services LL1 (from March) and A0 nothing yet (LL2 starts in
 * August), so LL3 goes to A0 and LL4 to A2 (ties to the smaller id), and LL4's 2027 renewal credits A2.
 * Four partitions (LL1, LL2, the termination, LL4 with its renewal) are delivered in every
 * interleaving; each order runs in a branch of its own (ids suffixed `x<order>`) on one database.
 */
const id = (name: string, order: number) => `${name}x${order}`;

function partitions(order: number): Feed[][] {
  const a = (n: number) => id(`P-A${n}`, order);
  const issue = (policyNo: string, servicer: string, dates: object = {}): Feed =>
    ['PolicyIssued', 'pnc', motorPolicy(id(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, ...dates })];
  return [
    [issue('LL1', a(1))],
    [issue('LL2', a(0), { effectiveDate: '2026-08-01', expiryDate: '2027-07-31' })],
    [['AgentTerminated', 'pnc', { agentId: a(3), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    [
      issue('LL4', a(3), { effectiveDate: '2026-04-01', expiryDate: '2027-03-31' }),
      ['PolicyRenewed', 'pnc', { policyNo: id('LL4', order), newEffectiveDate: '2027-04-01', newExpiryDate: '2028-03-31', premium: premium('4800.00'), servicingAgentId: a(3) }],
    ],
  ];
}

function setup(order: number): Feed[] {
  const [branch, team, a] = [id('P-LB', order), id('P-LT', order), (n: number) => id(`P-A${n}`, order)];
  return [
    ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
    ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
    ['PolicyIssued', 'pnc', motorPolicy(id('LL3', order), 'PNC-9', { sellingAgentId: a(3), servicingAgentId: a(3) })],
  ];
}

/** For each order of the partitions' events, the setup then the events in that order (each order its own branch), then settles. */
async function feedEveryOrder(h: CreditingTestApp, setupOf: (order: number) => Feed[], feeds: (order: number) => Feed[][]) {
  const orders = interleavings(feeds(0).map((p, i) => p.map((_, j) => [i, j] as const)));
  for (const [n, order] of orders.entries()) {
    const feed = feeds(n);
    for (const step of [...setupOf(n), ...order.map(([p, i]) => feed[p][i])]) await deliver(h, step);
  }
  await h.settle();
  return orders;
}

/**
 * The orders whose outcome differs from business order's, each with its outcome: all of them are
 * checked, so a failure tells how many orders differ, not only the first.
 */
async function differingOrders<T>(orders: number, name: (n: number) => string, outcome: (n: number) => Promise<T>, reference: T) {
  const differing: Array<{ order: string; outcome: T }> = [];
  for (let n = 0; n < orders; n++) {
    const got = await outcome(n);
    if (JSON.stringify(got) !== JSON.stringify(reference)) differing.push({ order: name(n), outcome: got });
  }
  return differing;
}

const ORDERS = interleavings(partitions(0).map((p, i) => p.map((_, j) => [i, j] as const)));

/** Who waits for a coordinator, from whom (ids bare). */
function waitingFrom(h: CreditingTestApp, order: number): Promise<Array<{ policy_no: string; from_agent_id: string }>> {
  return h.dataSource.query(`SELECT regexp_replace(policy_no, $1, '') AS policy_no, regexp_replace(from_agent_id, $1, '') AS from_agent_id
                               FROM coordination.credit_pending_reassignments WHERE policy_no ~ $1 ORDER BY 1`, [`x${order}$`]);
}

/** The servicer each policy stream states last (what the 360° view folds), ids bare, by policy number. */
function statedServicers(h: CreditingTestApp, order: number): Promise<Array<{ policy_no: string; servicing_agent_id: string }>> {
  return h.dataSource.query(
    `SELECT * FROM (SELECT DISTINCT ON (stream_id) regexp_replace(data->>'policyNo', $1, '') AS policy_no,
            regexp_replace(COALESCE(data->>'toAgentId', data->>'servicingAgentId'), $1, '') AS servicing_agent_id
       FROM event_store.events WHERE stream_id ~ $1 AND type IN ('PolicyRecorded', 'PolicyRenewalRecorded', 'PolicyServicingReassigned')
      ORDER BY stream_id, global_position DESC) s ORDER BY 1`, [`x${order}$`]);
}

async function outcomeOf(h: CreditingTestApp, order: number) {
  const q = (sql: string) => h.dataSource.query(sql, [`x${order}$`]);
  const bare = (column: string) => `regexp_replace(${column}, $1, '')`;
  return {
    servicing: await q(`SELECT ${bare('policy_no')} AS policy_no, ${bare('servicing_agent_id')} AS servicing_agent_id
                          FROM coordination.policies WHERE policy_no ~ $1 ORDER BY 1`),
    pending: await q(`SELECT ${bare('policy_no')} AS policy_no FROM coordination.credit_pending_reassignments WHERE policy_no ~ $1`),
    // Net per beneficiary: a hand-out judged again re-credits the renewal by compensating lines.
    credit: await q(`SELECT side, level, ${bare('beneficiary_id')} AS beneficiary_id, sum(weighted_credit)::text AS weighted_credit
                       FROM coordination.credit_lines WHERE policy_no ~ $1 GROUP BY 1, 2, 3 HAVING sum(weighted_credit) <> 0 ORDER BY 1, 2, 3`),
    handedTo: await q(`SELECT DISTINCT ON (stream_id) ${bare('stream_id')} AS policy, ${bare(`data->>'fromAgentId'`)} AS "from",
                              ${bare(`data->>'toAgentId'`)} AS "to", data->>'effectiveDate' AS "on"
                         FROM event_store.events WHERE type = 'PolicyServicingReassigned' AND stream_id ~ $1 ORDER BY stream_id, global_position DESC`),
  };
}

/** The standing servicing history rows of one order (ids bare), in business order: who handed what to whom on which day. */
async function standingHistoryOf(h: CreditingTestApp, order: number): Promise<string[]> {
  const rows: Array<{ row: string }> = await h.dataSource.query(
    `SELECT concat_ws(' ', regexp_replace(policy_no, $1, ''), effective_date::text, regexp_replace(coalesce(from_agent_id, '-'), $1, ''),
                      regexp_replace(agent_id, $1, ''), coalesce(rule, 'issue')) AS row
       FROM coordination.credit_servicing_history WHERE policy_no ~ $1 AND NOT superseded
      ORDER BY policy_no, from_agent_id IS NOT NULL, effective_date, CASE WHEN rule = 'coordinator' THEN 1 ELSE 0 END, row`, [`x${order}$`]);
  return rows.map((r) => r.row);
}

/**
 * Who serviced each of the agents' policies on the first of every month from March 2026 to July
 * 2028 by the servicing history, as least-loaded reads it (ids bare; only the months it changes).
 */
async function servicingTimelineOf(h: CreditingTestApp, order: number, agents: string[]) {
  const bare = (agentId: string) => agentId.replace(new RegExp(`x${order}$`), '');
  const months = Array.from({ length: 29 }, (_, i) => `${2026 + Math.floor((i + 2) / 12)}-${String(((i + 2) % 12) + 1).padStart(2, '0')}-01`);
  const histories = await servicingHistories(h.dataSource.manager, agents.map((a) => id(a, order)));
  return Object.fromEntries(histories.map((policy) => [
    bare(policy.policyNo.replace(/^pnc\//, '')),
    months.map((month) => [month, servicerOn(policy, month)] as const)
      .filter(([, agentId], i, all) => agentId && agentId !== all[i - 1]?.[1]).map(([month, agentId]) => `${month} ${bare(agentId!)}`),
  ]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}

describe('least-loaded-in-branch whatever the arrival order across partitions', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    process.env.ORPHAN_REASSIGNMENT_RULE = 'least-loaded-in-branch';
    db = await createTestDatabase('least_loaded');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-9', randomUUID());
  });

  afterAll(async () => {
    delete process.env.ORPHAN_REASSIGNMENT_RULE;
    await h?.close();
    await db?.drop();
  });

  it(`hands out the book by the loads on the termination date and nets the same credit in all ${ORDERS.length} orders`, async () => {
    for (const [n, order] of ORDERS.entries()) {
      const feeds = partitions(n);
      for (const step of [...setup(n), ...order.map(([p, i]) => feeds[p][i])]) await deliver(h, step);
    }
    await h.settle();
    const reference = await outcomeOf(h, 0);
    expect(reference.servicing).toEqual([
      { policy_no: 'LL1', servicing_agent_id: 'P-A1' }, { policy_no: 'LL2', servicing_agent_id: 'P-A0' },
      { policy_no: 'LL3', servicing_agent_id: 'P-A0' }, { policy_no: 'LL4', servicing_agent_id: 'P-A2' },
    ]);
    expect(reference.handedTo).toEqual([
      { policy: 'policy-pnc-LL3', from: 'P-A3', to: 'P-A0', on: '2026-06-30' },
      { policy: 'policy-pnc-LL4', from: 'P-A3', to: 'P-A2', on: '2026-06-30' },
    ]);
    expect(reference.pending).toEqual([]);
    // The renewal credits LL4's servicer on its date; the issues credit their sellers.
    expect(reference.credit.filter((c: { level: string; side: string }) => c.side === 'sales' && c.level === 'agent').map((c: { beneficiary_id: string }) => c.beneficiary_id))
      .toEqual(['P-A0', 'P-A1', 'P-A2', 'P-A3']);
    // Where the termination came before LL1, LL4 first went to A1 and was judged again once LL1 arrived.
    const judgedAgain: Array<{ n: number }> = await h.dataSource.query(
      `SELECT count(*)::int AS n FROM event_store.events WHERE type = 'PolicyServicingReassigned' AND stream_id ~ '^policy-pnc-LL4x' GROUP BY stream_id HAVING count(*) > 1`);
    expect(judgedAgain.length).toBeGreaterThan(0);
    for (const n of ORDERS.keys()) {
      const order = ORDERS[n].map(([p, i]) => `${['LL1', 'LL2', 'termination', 'LL4'][p]}${p === 3 ? (i === 0 ? ' issue' : ' renewal') : ''}`).join(', ');
      expect({ order, ...(await outcomeOf(h, n)) }).toEqual({ order, ...reference });
    }
  }, 600_000);

  /**
   * Branch C: leader C0, C1 and C2 stay, C3 leaves on 30 June with CL3. C0 services CL2 and C2 CL5
   * (both from March); C1 serviced CL1 from March, but CL1 was cancelled from 1 May. On 30 June C1
   * carries nothing, so CL3 goes to C1, whether the cancellation arrived before the termination,
   * after it (the hand-out, first to C0 by the smaller id among three equal loads, is judged again),
   * or after both the issue and the termination.
   */
  it('counts a policy cancelled before the termination date at no load, whenever the cancellation arrives', async () => {
    const c = (name: string, order: number) => id(name, 100 + order);
    const feeds = (order: number): Feed[][] => [
      [
        ['PolicyIssued', 'pnc', motorPolicy(c('CL1', order), 'PNC-9', { sellingAgentId: c('P-C1', order), servicingAgentId: c('P-C1', order) })],
        ['PolicyCancelled', 'pnc', { policyNo: c('CL1', order), effectiveDate: '2026-05-01', reason: 'sold the car' }],
      ],
      [['AgentTerminated', 'pnc', { agentId: c('P-C3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [c('P-CB', order), c('P-CT', order), (n: number) => c(`P-C${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(c(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('CL2', a(0)), issue('CL5', a(2)), issue('CL3', a(3)),
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    for (const n of orders.keys()) {
      const rows: Array<{ servicing_agent_id: string }> = await h.dataSource.query(
        'SELECT servicing_agent_id FROM coordination.policies WHERE policy_no = $1', [c('CL3', n)]);
      expect({ order: n, servicer: rows[0]?.servicing_agent_id }).toEqual({ order: n, servicer: c('P-C1', n) });
    }
  }, 300_000);

  /**
   * Branch D: leader D0, D1 and D2 stay, D3 leaves on 30 June 2027 with DL3. D0 services DL0 (March 2027
   * to February 2028). D2 serviced DL1's first term (March 2026 to February 2027); its renewal for March
   * 2027 on names D1. On 30 June 2027 D0 and D1 carry one policy each and D2 none, so DL3 goes to D2,
   * whether the renewal arrived before the termination or after it (the hand-out, first to D1 by the
   * smaller id, is judged again), and whether DL1's issue came before the termination or not.
   */
  it('counts a renewed policy for the renewal\'s servicer in its new term, whenever the renewal arrives', async () => {
    const d = (name: string, order: number) => id(name, 200 + order);
    const feeds = (order: number): Feed[][] => [
      [
        ['PolicyIssued', 'pnc', motorPolicy(d('DL1', order), 'PNC-9', { sellingAgentId: d('P-D2', order), servicingAgentId: d('P-D2', order) })],
        ['PolicyRenewed', 'pnc', { policyNo: d('DL1', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: d('P-D1', order) }],
      ],
      [['AgentTerminated', 'pnc', { agentId: d('P-D3', order), effectiveDate: '2027-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [d('P-DB', order), d('P-DT', order), (n: number) => d(`P-D${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(d(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, effectiveDate: '2027-03-01', expiryDate: '2028-02-29' })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('DL0', a(0)), issue('DL3', a(3)),
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    for (const n of orders.keys()) {
      const servicers: Array<{ policy_no: string; servicing_agent_id: string }> = await h.dataSource.query(
        `SELECT regexp_replace(policy_no, $2, '') AS policy_no, regexp_replace(servicing_agent_id, $2, '') AS servicing_agent_id
           FROM coordination.policies WHERE policy_no = ANY($1) ORDER BY 1`, [[d('DL1', n), d('DL3', n)], `x${200 + n}$`]);
      expect({ order: n, servicers }).toEqual({ order: n, servicers: [{ policy_no: 'DL1', servicing_agent_id: 'P-D1' }, { policy_no: 'DL3', servicing_agent_id: 'P-D2' }] });
    }
  }, 300_000);

  /** Net sales credit at agent level by beneficiary (ids bare): where the issues and the renewal landed. */
  const salesAgents = (credit: Array<{ side: string; level: string; beneficiary_id: string }>) =>
    credit.filter((c) => c.side === 'sales' && c.level === 'agent').map((c) => c.beneficiary_id);

  /**
   * Branch E: leader E0 and E1 service a policy each, E3 leaves on 30 June with EL3 (its 2027 renewal
   * already credited to E3). E2 joined in January with nothing, so EL3 goes to E2, and E2 earns the
   * renewal. E0a joins on 1 July, after the termination, and is no candidate. Where the termination
   * came before E2's onboarding, EL3 first went to E0 (equal loads, smaller id) and is judged again.
   */
  it('counts a colleague who joined before the termination date, whenever the onboarding arrives', async () => {
    const e = (name: string, order: number) => id(name, 300 + order);
    const joining = (name: string, joinedAt: string, order: number): Feed =>
      ['AgentOnboarded', 'pnc', { ...agent(e(name, order), 'AGENCY', e('P-EB', order), e('P-ET', order), e('P-E0', order)), joinedAt }];
    const feeds = (order: number): Feed[][] => [
      [joining('P-E2', '2026-01-10', order)],
      [joining('P-E0a', '2026-07-01', order)],
      [['AgentTerminated', 'pnc', { agentId: e('P-E3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [e('P-EB', order), e('P-ET', order), (n: number) => e(`P-E${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(e(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('EL0', a(0)), issue('EL1', a(1)), issue('EL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: e('EL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const reference = await outcomeOf(h, 300);
    expect(reference.servicing).toEqual([
      { policy_no: 'EL0', servicing_agent_id: 'P-E0' }, { policy_no: 'EL1', servicing_agent_id: 'P-E1' }, { policy_no: 'EL3', servicing_agent_id: 'P-E2' },
    ]);
    expect(reference.handedTo).toEqual([{ policy: 'policy-pnc-EL3', from: 'P-E3', to: 'P-E2', on: '2026-06-30' }]);
    expect(reference.pending).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-E0', 'P-E1', 'P-E2', 'P-E3']);
    for (const n of orders.keys()) {
      const order = orders[n].map(([p]) => ['E2 joins', 'E0a joins', 'termination'][p]).join(', ');
      expect({ order, ...(await outcomeOf(h, 300 + n)) }).toEqual({ order, ...reference });
    }
  }, 300_000);

  /**
   * Branch F: leader F0 services FL0, F3 leaves on 30 June with FL3 and FL4 (FL3's 2027 renewal already
   * credited to F3). On 1 May F1 (nothing serviced) moved out to branch G and F2 (nothing serviced) in
   * from G. On 30 June the candidates are F0 (one policy) and F2 (none): FL3 goes to F2, then FL4 to F0
   * (equal loads, smaller id), and F2 earns FL3's renewal, whichever of the transfers and the termination arrives first.
   */
  it('places colleagues by their transfers as of the termination date, whenever the transfers arrive', async () => {
    const f = (name: string, order: number) => id(name, 400 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentTransferred', 'pnc', { agentId: f('P-F1', order), toBranchId: f('P-GB', order), toTeamId: f('P-GT', order), toLeaderId: null, effectiveDate: '2026-05-01' }]],
      [['AgentTransferred', 'pnc', { agentId: f('P-F2', order), toBranchId: f('P-FB', order), toTeamId: f('P-FT', order), toLeaderId: f('P-F0', order), effectiveDate: '2026-05-01' }]],
      [['AgentTerminated', 'pnc', { agentId: f('P-F3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [f('P-FB', order), f('P-FT', order), (n: number) => f(`P-F${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(f(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(2), 'AGENCY', f('P-GB', order), f('P-GT', order), null)],
        issue('FL0', a(0)), issue('FL3', a(3)), issue('FL4', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: f('FL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const reference = await outcomeOf(h, 400);
    expect(reference.servicing).toEqual([
      { policy_no: 'FL0', servicing_agent_id: 'P-F0' }, { policy_no: 'FL3', servicing_agent_id: 'P-F2' }, { policy_no: 'FL4', servicing_agent_id: 'P-F0' },
    ]);
    expect(reference.handedTo).toEqual([
      { policy: 'policy-pnc-FL3', from: 'P-F3', to: 'P-F2', on: '2026-06-30' },
      { policy: 'policy-pnc-FL4', from: 'P-F3', to: 'P-F0', on: '2026-06-30' },
    ]);
    expect(reference.pending).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-F0', 'P-F2', 'P-F3']);
    for (const n of orders.keys()) {
      const order = orders[n].map(([p]) => ['F1 moves out', 'F2 moves in', 'termination'][p]).join(', ');
      expect({ order, ...(await outcomeOf(h, 400 + n)) }).toEqual({ order, ...reference });
    }
  }, 300_000);

  /**
   * Branch H: leader H0 and H1 service a policy each, H3 leaves on 30 June with HL3 (its 2027 renewal
   * already credited to H3). H2 (nothing serviced) is onboarded into branch H on 10 January, and the
   * onboarding is re-sent for the same date with branch I: H2 never stood in H, so HL3 goes to H0 (equal
   * loads, smaller id), whichever of the onboardings and the termination arrives first. Where the first
   * onboarding came before the termination was judged again, H2 had HL3 until the re-sent one arrived.
   */
  it('judges again the branch a re-sent onboarding no longer names, whenever it arrives', async () => {
    const g = (name: string, order: number) => id(name, 500 + order);
    const onboarding = (branch: string, order: number): Feed =>
      ['AgentOnboarded', 'pnc', { ...agent(g('P-H2', order), 'AGENCY', g(`P-${branch}B`, order), g(`P-${branch}T`, order), null), joinedAt: '2026-01-10' }];
    const feeds = (order: number): Feed[][] => [
      [onboarding('H', order), onboarding('I', order)],
      [['AgentTerminated', 'pnc', { agentId: g('P-H3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [g('P-HB', order), g('P-HT', order), (n: number) => g(`P-H${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(g(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('HL0', a(0)), issue('HL1', a(1)), issue('HL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: g('HL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const reference = await outcomeOf(h, 500);
    expect(reference.servicing).toEqual([
      { policy_no: 'HL0', servicing_agent_id: 'P-H0' }, { policy_no: 'HL1', servicing_agent_id: 'P-H1' }, { policy_no: 'HL3', servicing_agent_id: 'P-H0' },
    ]);
    expect(reference.handedTo).toEqual([{ policy: 'policy-pnc-HL3', from: 'P-H3', to: 'P-H0', on: '2026-06-30' }]);
    expect(reference.pending).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-H0', 'P-H1', 'P-H3']);
    for (const n of orders.keys()) {
      const order = orders[n].map(([p, i]) => (p === 0 ? `onboarding to ${i === 0 ? 'H' : 'I'}` : 'termination')).join(', ');
      expect({ order, ...(await outcomeOf(h, 500 + n)) }).toEqual({ order, ...reference });
    }
  }, 300_000);

  /**
   * Branch J: leader J0 and J1 service a policy each, J3 leaves on 30 June with JL3 (its 2027 renewal
   * already credited to J3). J2 (nothing serviced) stands in branch K and is transferred into J on 1 May;
   * the transfer is re-sent for the same date to branch L: J2 never stood in J, so JL3 goes to J0, in
   * every order of the transfers and the termination.
   */
  it('judges again the branch a re-sent transfer no longer names, whenever it arrives', async () => {
    const g = (name: string, order: number) => id(name, 600 + order);
    const transfer = (branch: string, order: number): Feed =>
      ['AgentTransferred', 'pnc', { agentId: g('P-J2', order), toBranchId: g(`P-${branch}B`, order), toTeamId: g(`P-${branch}T`, order), toLeaderId: null, effectiveDate: '2026-05-01' }];
    const feeds = (order: number): Feed[][] => [
      [transfer('J', order), transfer('L', order)],
      [['AgentTerminated', 'pnc', { agentId: g('P-J3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [g('P-JB', order), g('P-JT', order), (n: number) => g(`P-J${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(g(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(2), 'AGENCY', g('P-KB', order), g('P-KT', order), null)],
        issue('JL0', a(0)), issue('JL1', a(1)), issue('JL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: g('JL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const reference = await outcomeOf(h, 600);
    expect(reference.servicing).toEqual([
      { policy_no: 'JL0', servicing_agent_id: 'P-J0' }, { policy_no: 'JL1', servicing_agent_id: 'P-J1' }, { policy_no: 'JL3', servicing_agent_id: 'P-J0' },
    ]);
    expect(reference.handedTo).toEqual([{ policy: 'policy-pnc-JL3', from: 'P-J3', to: 'P-J0', on: '2026-06-30' }]);
    expect(reference.pending).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-J0', 'P-J1', 'P-J3']);
    for (const n of orders.keys()) {
      const order = orders[n].map(([p, i]) => (p === 0 ? `transfer to ${i === 0 ? 'J' : 'L'}` : 'termination')).join(', ');
      expect({ order, ...(await outcomeOf(h, 600 + n)) }).toEqual({ order, ...reference });
    }
  }, 300_000);

  /**
   * The servicing rows, pending hand-outs, net credit and servicing timeline of one order, and the
   * servicer each policy stream states last (what the 360° view folds), in the rows' format.
   */
  async function bookOutcome(order: number, agents: string[]) {
    const { handedTo: _events, ...outcome } = await outcomeOf(h, order);
    // In the rows' order (policy number), which the streams' own order need not follow (SL0b, SL0).
    const stated = await statedServicers(h, order);
    return { ...outcome, stated, timeline: await servicingTimelineOf(h, order, agents) };
  }

  /**
   * Branch M: leader M0 and M1 service a policy each, M3 leaves on 30 June 2026 with ML3 (March 2026 to
   * February 2027), whose renewal for March 2027 names M1. ML3 is M3's on 30 June whichever arrived
   * first: it goes to M2 (nothing serviced) for the rest of its first term, then M1 services it, and
   * M1 earns the renewal. Where the renewal came first it had taken ML3 out of M3's book.
   */
  it('hands on a policy renewed to another agent after the termination date, whenever the renewal arrives', async () => {
    const m = (name: string, order: number) => id(name, 700 + order);
    const feeds = (order: number): Feed[][] => [
      [
        ['PolicyIssued', 'pnc', motorPolicy(m('ML3', order), 'PNC-9', { sellingAgentId: m('P-M3', order), servicingAgentId: m('P-M3', order) })],
        ['PolicyRenewed', 'pnc', { policyNo: m('ML3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: m('P-M1', order) }],
      ],
      [['AgentTerminated', 'pnc', { agentId: m('P-M3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [m('P-MB', order), m('P-MT', order), (n: number) => m(`P-M${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(m(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('ML0', a(0)), issue('ML1', a(1)),
      ];
    };
    const agents = ['P-M0', 'P-M1', 'P-M2', 'P-M3'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const reference = await bookOutcome(700 + 1, agents); // business order: issue, termination, renewal
    expect(reference.servicing).toEqual([
      { policy_no: 'ML0', servicing_agent_id: 'P-M0' }, { policy_no: 'ML1', servicing_agent_id: 'P-M1' }, { policy_no: 'ML3', servicing_agent_id: 'P-M1' },
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.timeline.ML3).toEqual(['2026-03-01 P-M3', '2026-07-01 P-M2', '2027-04-01 P-M1']);
    expect(reference.pending).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-M0', 'P-M1', 'P-M3']);
    for (const n of orders.keys()) {
      const order = orders[n].map(([p, i]) => (p === 0 ? (i === 0 ? 'issue' : 'renewal') : 'termination')).join(', ');
      expect({ order, ...(await bookOutcome(700 + n, agents)) }).toEqual({ order, ...reference });
    }
  }, 300_000);

  /**
   * Branch N: leader N0 and N1 service a policy each in 2027; NL3's first term (March 2026 to February
   * 2027) is N0's and its renewal for March 2027 names N3, who leaves on 30 June 2027. N3 services NL3
   * from March and earns the renewal; on 30 June NL3 goes to N2 (nothing serviced), whether the
   * termination arrived before the renewal or not.
   */
  it('gives a renewal to the agent it names who leaves later in the new term, whenever the termination arrives', async () => {
    const q = (name: string, order: number) => id(name, 800 + order);
    const feeds = (order: number): Feed[][] => [
      [
        ['PolicyIssued', 'pnc', motorPolicy(q('NL3', order), 'PNC-9', { sellingAgentId: q('P-N0', order), servicingAgentId: q('P-N0', order) })],
        ['PolicyRenewed', 'pnc', { policyNo: q('NL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: q('P-N3', order) }],
      ],
      [['AgentTerminated', 'pnc', { agentId: q('P-N3', order), effectiveDate: '2027-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [q('P-NB', order), q('P-NT', order), (n: number) => q(`P-N${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(q(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, effectiveDate: '2027-03-01', expiryDate: '2028-02-29' })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('NL0', a(0)), issue('NL1', a(1)),
      ];
    };
    const agents = ['P-N0', 'P-N1', 'P-N2', 'P-N3'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const reference = await bookOutcome(800, agents); // business order: issue, renewal, termination
    expect(reference.servicing).toEqual([
      { policy_no: 'NL0', servicing_agent_id: 'P-N0' }, { policy_no: 'NL1', servicing_agent_id: 'P-N1' }, { policy_no: 'NL3', servicing_agent_id: 'P-N2' },
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.timeline.NL3).toEqual(['2026-03-01 P-N0', '2027-04-01 P-N3', '2027-07-01 P-N2']);
    expect(reference.pending).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-N0', 'P-N1', 'P-N3']);
    for (const n of orders.keys()) {
      const order = orders[n].map(([p, i]) => (p === 0 ? (i === 0 ? 'issue' : 'renewal') : 'termination')).join(', ');
      expect({ order, ...(await bookOutcome(800 + n, agents)) }).toEqual({ order, ...reference });
    }
  }, 300_000);

  /**
   * Branch Q: Q1 services QL3 (March 2026 to February 2027), whose renewal for March 2027 names Q3, who
   * left on 31 December 2026: the renewal keeps Q1, and Q3's termination has nothing to hand on, whether
   * it arrived before the renewal or after it. The ledger credits the renewal the same way in every order.
   */
  it('keeps the servicer of a renewal naming an agent who left before the new term, whenever the termination arrives', async () => {
    const q = (name: string, order: number) => id(name, 900 + order);
    const feeds = (order: number): Feed[][] => [
      [
        ['PolicyIssued', 'pnc', motorPolicy(q('QL3', order), 'PNC-9', { sellingAgentId: q('P-Q1', order), servicingAgentId: q('P-Q1', order) })],
        ['PolicyRenewed', 'pnc', { policyNo: q('QL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: q('P-Q3', order) }],
      ],
      [['AgentTerminated', 'pnc', { agentId: q('P-Q3', order), effectiveDate: '2026-12-31', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [q('P-QB', order), q('P-QT', order), (n: number) => q(`P-Q${n}`, order)];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
      ];
    };
    const agents = ['P-Q0', 'P-Q1', 'P-Q2', 'P-Q3'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const reference = await bookOutcome(900 + 1, agents); // business order: issue, termination, renewal
    expect(reference.servicing).toEqual([{ policy_no: 'QL3', servicing_agent_id: 'P-Q1' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.timeline.QL3).toEqual(['2026-03-01 P-Q1']);
    expect(reference.pending).toEqual([]);
    for (const n of orders.keys()) {
      const order = orders[n].map(([p, i]) => (p === 0 ? (i === 0 ? 'issue' : 'renewal') : 'termination')).join(', ');
      expect({ order, ...(await bookOutcome(900 + n, agents)) }).toEqual({ order, ...reference });
    }
  }, 300_000);

  /** Who the last reassignment event of each policy stream names, the event's date left out (a coordinator's is today's). */
  const lastHandedTo = (handedTo: Array<{ policy: string; from: string; to: string; on: string }>) => handedTo.map(({ policy, from, to }) => ({ policy, from, to }));

  /**
   * Branch R: leader R0 services RL0, R1 nothing, R3 leaves on 30 June 2026 with RL3 (its 2027 renewal
   * already credited to R3), R1 leaves on 30 September. R0a (nothing serviced) joined on 10 January, so
   * on 30 June RL3 goes to R0a (equal loads with R1, smaller id), who keeps it and earns the renewal; R1
   * has nothing to hand on. Where the onboarding came after both terminations, RL3 first went to R1 and
   * R1's own termination handed it on to R0: judging R3's hand-out again must take RL3 out of R1's
   * termination too, not leave it where R1's hand-out put it.
   */
  it("judges again a hand-out whose policy the new servicer's own later termination handed on, whenever the onboarding arrives", async () => {
    const r = (name: string, order: number) => id(name, 1000 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentOnboarded', 'pnc', { ...agent(r('P-R0a', order), 'AGENCY', r('P-RB', order), r('P-RT', order), r('P-R0', order)), joinedAt: '2026-01-10' }]],
      [['AgentTerminated', 'pnc', { agentId: r('P-R3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [['AgentTerminated', 'pnc', { agentId: r('P-R1', order), effectiveDate: '2026-09-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [r('P-RB', order), r('P-RT', order), (n: number) => r(`P-R${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(r(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('RL0', a(0)), issue('RL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: r('RL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const agents = ['P-R0', 'P-R0a', 'P-R1', 'P-R3'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const reference = await bookOutcome(1000, agents); // business order: onboarding, R3's termination, R1's
    expect(reference.servicing).toEqual([{ policy_no: 'RL0', servicing_agent_id: 'P-R0' }, { policy_no: 'RL3', servicing_agent_id: 'P-R0a' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.timeline.RL3).toEqual(['2026-03-01 P-R3', '2026-07-01 P-R0a']);
    expect(reference.pending).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-R0', 'P-R0a', 'P-R3']);
    const events = await outcomeOf(h, 1000);
    expect(events.handedTo).toEqual([{ policy: 'policy-pnc-RL3', from: 'P-R3', to: 'P-R0a', on: '2026-06-30' }]);
    const name = (n: number) => orders[n].map(([p]) => ['R0a joins', 'R3 leaves', 'R1 leaves'][p]).join(', ');
    const outcome = async (n: number) => ({ handedTo: (await outcomeOf(h, 1000 + n)).handedTo, ...(await bookOutcome(1000 + n, agents)) });
    expect(await differingOrders(orders.length, name, outcome, await outcome(0))).toEqual([]);
  }, 300_000);

  /**
   * Branch Y: leader Y0 services YL0 (to February 2027), Y1 nothing; Y3 leaves on 30 June 2026 with YL3,
   * whose renewals for March 2027 and March 2028 (naming Y3) are credited already; Y1 leaves on 30 June
   * 2027. Y0a (nothing serviced) joined on 10 January, so YL3 goes to Y0a, who earns both renewals, and Y1
   * has nothing to hand on. Where the onboarding came after both terminations, YL3 went to Y1 and on to Y0
   * (between the renewals): judged again, Y1's hand-out no longer stands, and the ledger must not let it
   * decide the 2028 renewal's credit.
   */
  it("credits the renewals after a superseded hand-out as business order does, whenever the onboarding arrives", async () => {
    const y = (name: string, order: number) => id(name, 1300 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentOnboarded', 'pnc', { ...agent(y('P-Y0a', order), 'AGENCY', y('P-YB', order), y('P-YT', order), y('P-Y0', order)), joinedAt: '2026-01-10' }]],
      [['AgentTerminated', 'pnc', { agentId: y('P-Y3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [['AgentTerminated', 'pnc', { agentId: y('P-Y1', order), effectiveDate: '2027-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [y('P-YB', order), y('P-YT', order), (n: number) => y(`P-Y${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(y(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      const renewal = (year: number): Feed =>
        ['PolicyRenewed', 'pnc', { policyNo: y('YL3', order), newEffectiveDate: `${year}-03-01`, newExpiryDate: `${year + 1}-02-${year + 1 === 2028 ? 29 : 28}`, premium: premium('5000.00'), servicingAgentId: a(3) }];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('YL0', a(0)), issue('YL3', a(3)), renewal(2027), renewal(2028),
      ];
    };
    const agents = ['P-Y0', 'P-Y0a', 'P-Y1', 'P-Y3'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const reference = await bookOutcome(1300, agents); // business order: onboarding, Y3 leaves, Y1 leaves
    expect(reference.servicing).toEqual([{ policy_no: 'YL0', servicing_agent_id: 'P-Y0' }, { policy_no: 'YL3', servicing_agent_id: 'P-Y0a' }]);
    expect(reference.timeline.YL3).toEqual(['2026-03-01 P-Y3', '2026-07-01 P-Y0a']);
    expect(reference.pending).toEqual([]);
    const renewalCredit = await h.dataSource.query(
      `SELECT regexp_replace(beneficiary_id, $2, '') AS beneficiary, sum(weighted_credit)::text AS credit FROM coordination.credit_lines
        WHERE policy_no = $1 AND side = 'sales' AND level = 'agent' AND transaction_kind = 'Renewed' GROUP BY 1 HAVING sum(weighted_credit) <> 0`,
      [y('YL3', 0), 'x1300$']);
    expect(renewalCredit.map((r: { beneficiary: string }) => r.beneficiary)).toEqual(['P-Y0a']);
    const name = (n: number) => orders[n].map(([p]) => ['Y0a joins', 'Y3 leaves', 'Y1 leaves'][p]).join(', ');
    const outcome = async (n: number) => ({ handedTo: lastHandedTo((await outcomeOf(h, 1300 + n)).handedTo), ...(await bookOutcome(1300 + n, agents)) });
    expect(await differingOrders(orders.length, name, outcome, await outcome(0))).toEqual([]);
  }, 300_000);

  /**
   * Branch S: leader S0 services SL0 and SL0b, S1 SL1, S3 leaves on 30 June with SL3 (its 2027 renewal
   * already credited to S3); S0a (nothing serviced) joined on 10 January, so SL3 goes to S0a. A
   * coordinator then hands S1's book (SL1) to S9, of another branch, over REST. Where the coordinator
   * acted after the termination but before the onboarding arrived, S1 had SL3 too and the coordinator
   * handed it on with SL1: judged again, SL3 is S0a's from 30 June and the coordinator's hand-out of it,
   * by an agent who no longer had it, no longer stands.
   */
  it("judges again a hand-out whose policy a coordinator's reassignment handed on since, whenever the onboarding arrives", async () => {
    const g = (name: string, order: number) => id(name, 1100 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentOnboarded', 'pnc', { ...agent(g('P-S0a', order), 'AGENCY', g('P-SB', order), g('P-ST', order), g('P-S0', order)), joinedAt: '2026-01-10' }]],
      [['AgentTerminated', 'pnc', { agentId: g('P-S3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [['Reassign', g('P-S1', order), { toAgentId: g('P-S9', order), reason: 'S1 moves to commercial lines' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [g('P-SB', order), g('P-ST', order), (n: number) => g(`P-S${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(g(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', g('P-SCB', order), g('P-SCT', order), null)],
        issue('SL0', a(0)), issue('SL0b', a(0)), issue('SL1', a(1)), issue('SL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: g('SL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const agents = ['P-S0', 'P-S0a', 'P-S1', 'P-S3', 'P-S9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const reference = await bookOutcome(1100, agents); // business order: onboarding, termination, reassignment
    expect(reference.servicing).toEqual([
      { policy_no: 'SL0', servicing_agent_id: 'P-S0' }, { policy_no: 'SL0b', servicing_agent_id: 'P-S0' },
      { policy_no: 'SL1', servicing_agent_id: 'P-S9' }, { policy_no: 'SL3', servicing_agent_id: 'P-S0a' },
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.timeline.SL3).toEqual(['2026-03-01 P-S3', '2026-07-01 P-S0a']);
    expect(reference.pending).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-S0', 'P-S0a', 'P-S1', 'P-S3']);
    const handedTo = lastHandedTo((await outcomeOf(h, 1100)).handedTo);
    expect(handedTo).toEqual([{ policy: 'policy-pnc-SL1', from: 'P-S1', to: 'P-S9' }, { policy: 'policy-pnc-SL3', from: 'P-S3', to: 'P-S0a' }]);
    const name = (n: number) => orders[n].map(([p]) => ['S0a joins', 'S3 leaves', 'coordinator reassigns S1'][p]).join(', ');
    const outcome = async (n: number) => ({
      reassignment: answers.get(g('P-S1', n)), handedTo: lastHandedTo((await outcomeOf(h, 1100 + n)).handedTo), ...(await bookOutcome(1100 + n, agents)),
    });
    expect((await outcome(0)).reassignment).toBe(200);
    expect(await differingOrders(orders.length, name, outcome, await outcome(0))).toEqual([]);
  }, 300_000);

  /**
   * Branch V: leader V0 services VL0 and VL0b, V1 VL1 and VL1c (cancelled from 1 May), V2 VL2; V3 leaves
   * on 30 June with VL3 (its 2027 renewal already credited to V3), V2 on 30 September; then a coordinator
   * hands VL3 from V1 to V9, of another branch, over REST. On 30 June V1 and V2 carry one policy each, so
   * VL3 goes to V1 (smaller id), and V2's VL2 to V0. Where the cancellation came after V2's termination,
   * VL3 first went to V2 and V2's termination handed it to V1: judged again, VL3 is V1's from 30 June,
   * V2's hand-out of it no longer stands, and the coordinator's, by V1 who had it, is applied again on
   * top, so the renewal is credited as in business order.
   */
  it("applies a coordinator's reassignment again on top of a hand-out judged again under it, whenever the cancellation arrives", async () => {
    const v = (name: string, order: number) => id(name, 1200 + order);
    const feeds = (order: number): Feed[][] => [
      [['PolicyCancelled', 'pnc', { policyNo: v('VL1c', order), effectiveDate: '2026-05-01', reason: 'sold the car' }]],
      [
        ['AgentTerminated', 'pnc', { agentId: v('P-V3', order), effectiveDate: '2026-06-30', reason: 'resigned' }],
        ['AgentTerminated', 'pnc', { agentId: v('P-V2', order), effectiveDate: '2026-09-30', reason: 'resigned' }],
        ['Reassign', v('P-V1', order), { toAgentId: v('P-V9', order), policyNos: [v('VL3', order)], reason: 'the client asked for V9' }],
      ],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [v('P-VB', order), v('P-VT', order), (n: number) => v(`P-V${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(v(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', v('P-VCB', order), v('P-VCT', order), null)],
        issue('VL0', a(0)), issue('VL0b', a(0)), issue('VL1', a(1)), issue('VL1c', a(1)), issue('VL2', a(2)), issue('VL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: v('VL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const agents = ['P-V0', 'P-V1', 'P-V2', 'P-V3', 'P-V9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(4);
    const reference = await bookOutcome(1200, agents); // business order: cancellation, V3 leaves, V2 leaves, reassignment
    expect(reference.servicing).toEqual([
      { policy_no: 'VL0', servicing_agent_id: 'P-V0' }, { policy_no: 'VL0b', servicing_agent_id: 'P-V0' }, { policy_no: 'VL1', servicing_agent_id: 'P-V1' },
      { policy_no: 'VL1c', servicing_agent_id: 'P-V1' }, { policy_no: 'VL2', servicing_agent_id: 'P-V0' }, { policy_no: 'VL3', servicing_agent_id: 'P-V9' },
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.timeline.VL3.slice(0, 2)).toEqual(['2026-03-01 P-V3', '2026-07-01 P-V1']);
    expect(reference.timeline.VL3[2]).toMatch(/ P-V9$/);
    expect(reference.timeline.VL2).toEqual(['2026-03-01 P-V2', '2026-10-01 P-V0']);
    expect(reference.pending).toEqual([]);
    const handedTo = lastHandedTo((await outcomeOf(h, 1200)).handedTo);
    expect(handedTo).toEqual([{ policy: 'policy-pnc-VL2', from: 'P-V2', to: 'P-V0' }, { policy: 'policy-pnc-VL3', from: 'P-V1', to: 'P-V9' }]);
    const name = (n: number) => orders[n].map(([p, i]) => (p === 0 ? 'cancellation' : ['V3 leaves', 'V2 leaves', 'reassignment'][i])).join(', ');
    const outcome = async (n: number) => ({
      reassignment: answers.get(v('P-V1', n)), handedTo: lastHandedTo((await outcomeOf(h, 1200 + n)).handedTo), ...(await bookOutcome(1200 + n, agents)),
    });
    expect((await outcome(0)).reassignment).toBe(200);
    expect(await differingOrders(orders.length, name, outcome, await outcome(0))).toEqual([]);
  }, 300_000);

  const pendingFrom = (order: number) => waitingFrom(h, order);

  /**
   * Branch K: K1 and K2 (their leader K0 stands in another branch) leave on the same day, 30 June, K1 with
   * KL1 (its 2027 renewal already credited to K1), K2 with KL2. K3 (nothing serviced) stood in branch K
   * until it moved to branch KC on 1 May. Same-day terminations are simultaneous in business order: neither
   * leaver is the other's candidate, so on 30 June nobody is left in branch K and both policies wait for a
   * coordinator, each from its own leaver. Where the transfer came after the terminations, both went to
   * K3; where K1's termination came first, K2 (still active) may have taken KL1 and handed it on by its
   * own termination on that same day: judged again, each hand-out is taken back and its same-day successor's
   * hand-out of the policy no longer stands.
   */
  it('takes back a hand-out to a colleague who left the same day when nobody else is left, whenever the facts arrive', async () => {
    const k = (name: string, order: number) => id(name, 1400 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentTransferred', 'pnc', { agentId: k('P-K3', order), toBranchId: k('P-KCB', order), toTeamId: k('P-KCT', order), toLeaderId: null, effectiveDate: '2026-05-01' }]],
      [['AgentTerminated', 'pnc', { agentId: k('P-K1', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [['AgentTerminated', 'pnc', { agentId: k('P-K2', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [k('P-KB', order), k('P-KT', order), (n: number) => k(`P-K${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(k(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', k('P-KHB', order), k('P-KHT', order), null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('KL1', a(1)), issue('KL2', a(2)),
        ['PolicyRenewed', 'pnc', { policyNo: k('KL1', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(1) }],
      ];
    };
    const agents = ['P-K0', 'P-K1', 'P-K2', 'P-K3'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const reference = await bookOutcome(1400, agents); // business order: transfer, K1 leaves, K2 leaves
    expect(reference.servicing).toEqual([{ policy_no: 'KL1', servicing_agent_id: 'P-K1' }, { policy_no: 'KL2', servicing_agent_id: 'P-K2' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(await pendingFrom(1400)).toEqual([{ policy_no: 'KL1', from_agent_id: 'P-K1' }, { policy_no: 'KL2', from_agent_id: 'P-K2' }]);
    expect(reference.timeline.KL1).toEqual(['2026-03-01 P-K1']);
    expect(salesAgents(reference.credit)).toEqual(['P-K1', 'P-K2']);
    const name = (n: number) => orders[n].map(([p]) => ['K3 moves out', 'K1 leaves', 'K2 leaves'][p]).join(', ');
    // The last reassignment event differs where a hand-out was taken back (the stream says so): the servicer it states last does not.
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1400 + n, agents);
      return { pendingFrom: await pendingFrom(1400 + n), ...rest };
    };
    expect(await differingOrders(orders.length, name, outcome, await outcome(0))).toEqual([]);
  }, 300_000);

  /**
   * Branch O: leader O0 services OL0 and OL0b, O1 OL1; O3 leaves on 30 June with OL3 (its 2027 renewal
   * already credited to O3). O2 (nothing serviced) stood in branch O until it moved to branch OC on 1 May,
   * so on 30 June OL3 goes to O1 (one policy against O0's two). A coordinator then hands O1's whole book to
   * O9, of another branch, over REST (today): in business order it takes OL1 and OL3. Where the coordinator acted before OL3 reached O1 (the termination or the transfer came
   * later), the whole-book reassignment kept means O1's book as of its date: OL3 follows it there.
   */
  it("hands on by a coordinator's whole-book reassignment a policy a later-arriving fact gives the agent before it, whenever the facts arrive", async () => {
    const o = (name: string, order: number) => id(name, 1500 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentTransferred', 'pnc', { agentId: o('P-O2', order), toBranchId: o('P-OCB', order), toTeamId: o('P-OCT', order), toLeaderId: null, effectiveDate: '2026-05-01' }]],
      [['AgentTerminated', 'pnc', { agentId: o('P-O3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [['Reassign', o('P-O1', order), { toAgentId: o('P-O9', order), reason: 'O1 moves to commercial lines' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [o('P-OB', order), o('P-OT', order), (n: number) => o(`P-O${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(o(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', o('P-OCB9', order), o('P-OCT9', order), null)],
        issue('OL0', a(0)), issue('OL0b', a(0)), issue('OL1', a(1)), issue('OL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: o('OL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const agents = ['P-O0', 'P-O1', 'P-O2', 'P-O3', 'P-O9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1500 + n, agents);
      return { reassignment: answers.get(o('P-O1', n)), handedTo: lastHandedTo((await outcomeOf(h, 1500 + n)).handedTo), pendingFrom: await pendingFrom(1500 + n), ...rest };
    };
    const reference = await outcome(0); // business order: transfer, O3 leaves, the coordinator reassigns O1's book
    expect(reference.reassignment).toBe(200);
    expect(reference.servicing).toEqual([
      { policy_no: 'OL0', servicing_agent_id: 'P-O0' }, { policy_no: 'OL0b', servicing_agent_id: 'P-O0' },
      { policy_no: 'OL1', servicing_agent_id: 'P-O9' }, { policy_no: 'OL3', servicing_agent_id: 'P-O9' },
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.timeline.OL3.slice(0, 2)).toEqual(['2026-03-01 P-O3', '2026-07-01 P-O1']);
    expect(reference.timeline.OL3[2]).toMatch(/ P-O9$/);
    expect(reference.pendingFrom).toEqual([]);
    // The renewal names O3: the ledger's override is one hop, the hand-out from O3 (see RELIABILITY.md (7)).
    expect(salesAgents(reference.credit)).toEqual(['P-O0', 'P-O1', 'P-O3']);
    const name = (n: number) => orders[n].map(([p]) => ['O2 moves out', 'O3 leaves', 'coordinator reassigns O1'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch B: leader B0 services BL0, B1 BL1 and BL1b, B2 BL2 (all from March 2026 to February 2028). A
   * coordinator hands B1's whole book to B9, of another branch, over REST (today); B3 leaves 40 days
   * later with BL3. From today B1 carries nothing, so BL3 goes to B1 (B0 and B2 carry one each). Where
   * B3's termination (dated after the reassignment) arrived before it, BL3 went to B0 or B2 by the loads
   * before the reassignment: the reassignment judges again the least-loaded hand-outs dated on or after its
   * day in the branches of the agents it changed.
   */
  it("judges again, on a coordinator's reassignment, the least-loaded hand-outs dated on or after its day, whenever it arrives", async () => {
    const b = (name: string, order: number) => id(name, 1600 + order);
    const today = new Date().toISOString().slice(0, 10);
    const leaves = new Date(Date.parse(`${today}T00:00:00Z`) + 40 * 86_400_000).toISOString().slice(0, 10);
    const issue = (policyNo: string, servicer: string, order: number): Feed =>
      ['PolicyIssued', 'pnc', motorPolicy(b(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, effectiveDate: '2026-03-01', expiryDate: '2028-02-29' })];
    const feeds = (order: number): Feed[][] => [
      [issue('BL2', b('P-B2', order), order)],
      [['Reassign', b('P-B1', order), { toAgentId: b('P-B9', order), reason: 'B1 moves to commercial lines' }]],
      [['AgentTerminated', 'pnc', { agentId: b('P-B3', order), effectiveDate: leaves, reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [b('P-BB', order), b('P-BT', order), (n: number) => b(`P-B${n}`, order)];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', b('P-BCB', order), b('P-BCT', order), null)],
        issue('BL0', a(0), order), issue('BL1', a(1), order), issue('BL1b', a(1), order), issue('BL3', a(3), order),
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1600 + n, ['P-B0', 'P-B1', 'P-B2', 'P-B3', 'P-B9']);
      return { reassignment: answers.get(b('P-B1', n)), handedTo: lastHandedTo((await outcomeOf(h, 1600 + n)).handedTo), pendingFrom: await pendingFrom(1600 + n), ...rest };
    };
    const reference = await outcome(0); // business order: BL2, the reassignment, B3 leaves
    expect(reference.reassignment).toBe(200);
    expect(reference.servicing).toEqual([
      { policy_no: 'BL0', servicing_agent_id: 'P-B0' }, { policy_no: 'BL1', servicing_agent_id: 'P-B9' }, { policy_no: 'BL1b', servicing_agent_id: 'P-B9' },
      { policy_no: 'BL2', servicing_agent_id: 'P-B2' }, { policy_no: 'BL3', servicing_agent_id: 'P-B1' },
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    const name = (n: number) => orders[n].map(([p]) => ['BL2 issued', 'coordinator reassigns B1', 'B3 leaves'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  const standingHistory = (order: number) => standingHistoryOf(h, order);

  /**
   * Branch I: leader I0 services IL0 and IL0b, I1 IL1 and IL1b, I2 IL2. I3 leaves today with IL3, and a
   * coordinator hands I2's whole book to I9, of another branch, over REST (today, after the day's
   * terminations in business order). I2 moved to branch IC on 1 May, so IL3 goes to I0 (equal loads with
   * I1, smaller id) and the coordinator's reassignment takes IL2 only. Where the transfer came last, IL3
   * first went to I2 (one policy) and the coordinator handed it on with IL2: judged again on the same
   * day, IL3 is I0's, and the coordinator's hand-out of it, by an agent who no longer had it after the
   * day's terminations, no longer stands.
   */
  it("supersedes a coordinator's reassignment made on the leaver's own date of a policy the redone hand-out no longer gives, whenever the facts arrive", async () => {
    const i = (name: string, order: number) => id(name, 1700 + order);
    const today = new Date().toISOString().slice(0, 10);
    const feeds = (order: number): Feed[][] => [
      [['AgentTransferred', 'pnc', { agentId: i('P-I2', order), toBranchId: i('P-ICB', order), toTeamId: i('P-ICT', order), toLeaderId: null, effectiveDate: '2026-05-01' }]],
      [
        ['AgentTerminated', 'pnc', { agentId: i('P-I3', order), effectiveDate: today, reason: 'resigned' }],
        ['Reassign', i('P-I2', order), { toAgentId: i('P-I9', order), reason: 'I2 moves to commercial lines' }],
      ],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [i('P-IB', order), i('P-IT', order), (n: number) => i(`P-I${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(i(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, effectiveDate: '2026-03-01', expiryDate: '2028-02-29' })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', i('P-IC9B', order), i('P-IC9T', order), null)],
        issue('IL0', a(0)), issue('IL0b', a(0)), issue('IL1', a(1)), issue('IL1b', a(1)), issue('IL2', a(2)), issue('IL3', a(3)),
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const outcome = async (n: number) => {
      const { pending: _unordered, timeline: _months, ...rest } = await bookOutcome(1700 + n, ['P-I0', 'P-I1', 'P-I2', 'P-I3', 'P-I9']);
      return { reassignment: answers.get(i('P-I2', n)), history: await standingHistory(1700 + n), pendingFrom: await pendingFrom(1700 + n), ...rest };
    };
    const reference = await outcome(0); // business order: transfer, I3 leaves, the coordinator reassigns I2's book
    expect(reference.reassignment).toBe(200);
    expect(reference.servicing.filter((r: { policy_no: string }) => ['IL2', 'IL3'].includes(r.policy_no))).toEqual([
      { policy_no: 'IL2', servicing_agent_id: 'P-I9' }, { policy_no: 'IL3', servicing_agent_id: 'P-I0' },
    ]);
    expect(reference.history.filter((r: string) => / (coordinator|least-loaded-in-branch)$/.test(r))).toEqual([
      `IL2 ${today} P-I2 P-I9 coordinator`, `IL3 ${today} P-I3 P-I0 least-loaded-in-branch`,
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    const name = (n: number) => orders[n].map(([p, k]) => (p === 0 ? 'I2 moves out' : ['I3 leaves', 'coordinator reassigns I2'][k])).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch P: leader P0 services PL0 and PL0b, P1 PL1, P2 nothing; P3 leaves today with PL3 (its March
   * 2028 renewal, naming P3, already credited) and PL3c (issued in March 2026, arriving late), and a
   * coordinator hands P3's whole book to P9, of another branch, over REST (today). Within a day the
   * terminations come before a coordinator's reassignments, so in business order P3's termination hands
   * PL3c to P2 and PL3 to P1 (equal loads, smaller id) and the coordinator finds the book empty (404).
   * Where the coordinator acted before the termination arrived, the termination's book is still what P3
   * serviced as the day began: the coordinator's hand-outs from P3 that day no longer stand. The REST answer
   * is what was true when it was made, so it is not compared.
   */
  it("hands on a leaver's book a coordinator reassigned the same day before the termination arrived, whenever the facts arrive", async () => {
    const pp = (name: string, order: number) => id(name, 1800 + order);
    const today = new Date().toISOString().slice(0, 10);
    const feeds = (order: number): Feed[][] => [
      [['PolicyIssued', 'pnc', motorPolicy(pp('PL3c', order), 'PNC-9', { sellingAgentId: pp('P-P3', order), servicingAgentId: pp('P-P3', order), expiryDate: '2028-02-29' })]],
      [['AgentTerminated', 'pnc', { agentId: pp('P-P3', order), effectiveDate: today, reason: 'resigned' }]],
      [['Reassign', pp('P-P3', order), { toAgentId: pp('P-P9', order), reason: 'P3 is leaving' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [pp('P-PB', order), pp('P-PT', order), (n: number) => pp(`P-P${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(pp(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, expiryDate: '2028-02-29' })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', pp('P-PCB9', order), pp('P-PCT9', order), null)],
        issue('PL0', a(0)), issue('PL0b', a(0)), issue('PL1', a(1)), issue('PL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: pp('PL3', order), newEffectiveDate: '2028-03-01', newExpiryDate: '2029-02-28', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const agents = ['P-P0', 'P-P1', 'P-P2', 'P-P3', 'P-P9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1800 + n, agents);
      return { history: await standingHistory(1800 + n), handedTo: lastHandedTo((await outcomeOf(h, 1800 + n)).handedTo), pendingFrom: await pendingFrom(1800 + n), ...rest };
    };
    const reference = await outcome(0); // business order: PL3c issued, P3 leaves, the coordinator finds P3's book empty
    expect(answers.get(pp('P-P3', 0))).toBe(404);
    expect(reference.servicing).toEqual([
      { policy_no: 'PL0', servicing_agent_id: 'P-P0' }, { policy_no: 'PL0b', servicing_agent_id: 'P-P0' }, { policy_no: 'PL1', servicing_agent_id: 'P-P1' },
      { policy_no: 'PL3', servicing_agent_id: 'P-P1' }, { policy_no: 'PL3c', servicing_agent_id: 'P-P2' },
    ]);
    expect(reference.history.filter((r: string) => / (coordinator|least-loaded-in-branch)$/.test(r))).toEqual([
      `PL3c ${today} P-P3 P-P2 least-loaded-in-branch`, `PL3 ${today} P-P3 P-P1 least-loaded-in-branch`,
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    const name = (n: number) => orders[n].map(([p]) => ['PL3c issued', 'P3 leaves', 'coordinator reassigns P3'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch G: leader G0 services GL0, G1 nothing; G3 left on 30 June with GL3 (its 2027 renewal already
   * credited to G3), so GL3 goes to G1, and a coordinator asks today to hand G3's whole book to G9, of
   * another branch, over REST: in business order G3 has nothing left (404). Where the coordinator acted
   * before the termination arrived, the termination still hands GL3 on from 30 June, and the coordinator's
   * hand-out from G3, who no longer had it, no longer stands.
   */
  it("hands on a leaver's book a coordinator reassigned after the termination date before it arrived, whenever it arrives", async () => {
    const gb = (name: string, order: number) => id(name, 1950 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentTerminated', 'pnc', { agentId: gb('P-G3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [['Reassign', gb('P-G3', order), { toAgentId: gb('P-G9', order), reason: 'G3 is leaving' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [gb('P-GGB', order), gb('P-GGT', order), (n: number) => gb(`P-G${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(gb(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', gb('P-GGCB9', order), gb('P-GGCT9', order), null)],
        issue('GL0', a(0)), issue('GL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: gb('GL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(2);
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1950 + n, ['P-G0', 'P-G1', 'P-G3', 'P-G9']);
      return { history: await standingHistory(1950 + n), handedTo: lastHandedTo((await outcomeOf(h, 1950 + n)).handedTo), pendingFrom: await pendingFrom(1950 + n), ...rest };
    };
    const reference = await outcome(0); // business order: G3 leaves, the coordinator finds G3's book empty
    expect(answers.get(gb('P-G3', 0))).toBe(404);
    expect(reference.servicing).toEqual([{ policy_no: 'GL0', servicing_agent_id: 'P-G0' }, { policy_no: 'GL3', servicing_agent_id: 'P-G1' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(salesAgents(reference.credit)).toEqual(['P-G0', 'P-G1', 'P-G3']);
    const name = (n: number) => orders[n].map(([p]) => ['G3 leaves', 'coordinator reassigns G3'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch L: L1 stands alone in branch L (its leader L0 in another branch) and services LZ1 (its 2027
   * renewal already credited to L1); L1 leaves today and a coordinator hands L1's whole book to L9 over
   * REST (today). In business order the termination comes first: least-loaded finds nobody, LZ1 waits for a
   * coordinator from L1, and the coordinator's reassignment takes it to L9. Where the coordinator acted
   * before the termination arrived, LZ1 does not wait: the coordinator's reassignment took it.
   */
  it("leaves no policy waiting that a coordinator's reassignment made before the leaver's termination arrived took, whenever it arrives", async () => {
    const lz = (name: string, order: number) => id(name, 1960 + order);
    const today = new Date().toISOString().slice(0, 10);
    const feeds = (order: number): Feed[][] => [
      [['AgentTerminated', 'pnc', { agentId: lz('P-L1', order), effectiveDate: today, reason: 'resigned' }]],
      [['Reassign', lz('P-L1', order), { toAgentId: lz('P-L9', order), reason: 'L1 is leaving' }]],
    ];
    const setupOf = (order: number): Feed[] => [
      ['AgentOnboarded', 'pnc', agent(lz('P-L0', order), 'AGENCY', lz('P-LHB', order), lz('P-LHT', order), null)],
      ['AgentOnboarded', 'pnc', agent(lz('P-L1', order), 'AGENCY', lz('P-LLB', order), lz('P-LLT', order), lz('P-L0', order))],
      ['AgentOnboarded', 'pnc', agent(lz('P-L9', order), 'AGENCY', lz('P-LCB9', order), lz('P-LCT9', order), null)],
      ['PolicyIssued', 'pnc', motorPolicy(lz('LZ1', order), 'PNC-9', { sellingAgentId: lz('P-L1', order), servicingAgentId: lz('P-L1', order) })],
      ['PolicyRenewed', 'pnc', { policyNo: lz('LZ1', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: lz('P-L1', order) }],
    ];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(2);
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1960 + n, ['P-L0', 'P-L1', 'P-L9']);
      return { reassignment: answers.get(lz('P-L1', n)), history: await standingHistory(1960 + n), pendingFrom: await pendingFrom(1960 + n), ...rest };
    };
    const reference = await outcome(0); // business order: L1 leaves, the coordinator reassigns L1's book
    expect(reference.reassignment).toBe(200);
    expect(reference.servicing).toEqual([{ policy_no: 'LZ1', servicing_agent_id: 'P-L9' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    const name = (n: number) => orders[n].map(([p]) => ['L1 leaves', 'coordinator reassigns L1'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch X: X1 services XL1, XL1c and XL1r (all from March 2026 to February 2028); XL1r was cancelled
   * from 1 April. XL1c is cancelled from 1 May and XL1r reinstated from 1 June, and a coordinator hands
   * X1's whole book to X9, of another branch, over REST (today). The book takes the policies in force on
   * its date by their status history: in business order XL1 and XL1r go to X9 and XL1c (cancelled) stays
   * with X1. Where the cancellation came after the reassignment, its hand-out of XL1c is taken back; where
   * the reinstatement did, XL1r is handed on by it then.
   */
  it("takes into a coordinator's whole-book reassignment the policies in force on its date by their status history, whenever the status changes arrive", async () => {
    const xb = (name: string, order: number) => id(name, 1900 + order);
    const feeds = (order: number): Feed[][] => [
      [['PolicyCancelled', 'pnc', { policyNo: xb('XL1c', order), effectiveDate: '2026-05-01', reason: 'sold the car' }]],
      [['PolicyReinstated', 'pnc', { policyNo: xb('XL1r', order), effectiveDate: '2026-06-01' }]],
      [['Reassign', xb('P-X1', order), { toAgentId: xb('P-X9', order), reason: 'X1 moves to commercial lines' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [xb('P-XNB', order), xb('P-XNT', order), (n: number) => xb(`P-X${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(xb(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, expiryDate: '2028-02-29' })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ['AgentOnboarded', 'pnc', agent(a(1), 'AGENCY', branch, team, a(0))],
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', xb('P-XNCB9', order), xb('P-XNCT9', order), null)],
        issue('XL1', a(1)), issue('XL1c', a(1)), issue('XL1r', a(1)),
        ['PolicyCancelled', 'pnc', { policyNo: xb('XL1r', order), effectiveDate: '2026-04-01', reason: 'unpaid' }],
      ];
    };
    const agents = ['P-X0', 'P-X1', 'P-X9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    // The last reassignment event differs where a hand-out was taken back (the stream says so): the servicer it states last does not.
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1900 + n, agents);
      return { reassignment: answers.get(xb('P-X1', n)), history: await standingHistory(1900 + n), pendingFrom: await pendingFrom(1900 + n), ...rest };
    };
    const reference = await outcome(0); // business order: XL1c cancelled, XL1r reinstated, the coordinator reassigns X1's book
    expect(reference.reassignment).toBe(200);
    expect(reference.servicing).toEqual([
      { policy_no: 'XL1', servicing_agent_id: 'P-X9' }, { policy_no: 'XL1c', servicing_agent_id: 'P-X1' }, { policy_no: 'XL1r', servicing_agent_id: 'P-X9' },
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    const name = (n: number) => orders[n].map(([p]) => ['XL1c cancelled', 'XL1r reinstated', 'coordinator reassigns X1'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch NB: N1 services NL1 and NL2 (March 2026 to February 2028); NL2 was cancelled from 1 May 2026. A
   * coordinator hands NL2 alone to N9, of another branch, over REST (today), then N1's whole book to N9:
   * the same giver, target and day. In business order the cancellation comes first, so the named
   * reassignment finds NL2 out of force (404) and N1 keeps it. Where the named reassignment was made
   * before the cancellation arrived, its REST answer (200) stands and NL2 stays with N9, whether the
   * whole-book reassignment was made before or after the cancellation arrived: the cancellation takes
   * back the whole-book reassignment's own hand-outs, never a named one's with the same giver, target and day.
   */
  it("takes back a whole-book reassignment's own hand-outs only, not a named one's with the same giver, target and day, whenever the cancellation arrives", async () => {
    const nb = (name: string, order: number) => id(name, 1970 + order);
    const feeds = (order: number): Feed[][] => [
      [
        ['Reassign', nb('P-N1', order), { toAgentId: nb('P-N9', order), policyNos: [nb('NL2', order)], reason: 'NL2 to N9' }],
        ['Reassign', nb('P-N1', order), { toAgentId: nb('P-N9', order), reason: 'N1 moves to commercial lines' }],
      ],
      [['PolicyCancelled', 'pnc', { policyNo: nb('NL2', order), effectiveDate: '2026-05-01', reason: 'sold the car' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [nb('P-NNB', order), nb('P-NNT', order), (n: number) => nb(`P-N${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(nb(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, expiryDate: '2028-02-29' })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ['AgentOnboarded', 'pnc', agent(a(1), 'AGENCY', branch, team, a(0))],
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', nb('P-NNCB9', order), nb('P-NNCT9', order), null)],
        issue('NL1', a(1)), issue('NL2', a(1)),
      ];
    };
    const agents = ['P-N0', 'P-N1', 'P-N9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const name = (n: number) => orders[n].map(([p, k]) => (p === 1 ? 'NL2 cancelled' : ['coordinator reassigns NL2', 'coordinator reassigns N1'][k])).join(', ');
    expect(name(1)).toBe('coordinator reassigns NL2, NL2 cancelled, coordinator reassigns N1');
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1970 + n, agents);
      return { history: await standingHistory(1970 + n), pendingFrom: await pendingFrom(1970 + n), ...rest };
    };
    const today = new Date().toISOString().slice(0, 10);
    const business = await outcome(2); // business order: NL2 cancelled, the named reassignment refused, the whole book (NL1) to N9
    expect(business.servicing).toEqual([{ policy_no: 'NL1', servicing_agent_id: 'P-N9' }, { policy_no: 'NL2', servicing_agent_id: 'P-N1' }]);
    // The named reassignment made before the cancellation arrived, the whole book after it: nothing to take back.
    const reference = await outcome(1);
    expect(reference.servicing).toEqual([{ policy_no: 'NL1', servicing_agent_id: 'P-N9' }, { policy_no: 'NL2', servicing_agent_id: 'P-N9' }]);
    expect(reference.history.filter((r: string) => r.endsWith(' coordinator'))).toEqual([
      `NL1 ${today} P-N1 P-N9 coordinator`, `NL2 ${today} P-N1 P-N9 coordinator`,
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    expect(await differingOrders(2, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch VB: V1 services VL1 and VL1c (March 2026 to February 2027), VL1c renewed for March 2027 naming
   * V1; VL1c is cancelled from 1 May 2026, and a coordinator hands V1's whole book to V9, of another
   * branch, over REST (today). The book takes the policies in force on its date: VL1 goes to V9 and VL1c
   * (cancelled, its renewed term not begun) stays with V1, who earns its renewal. Where the renewal was
   * credited after the whole-book reassignment took VL1c and the cancellation came last, taking that
   * hand-out back re-credits the renewal to V1. The renewal arrives before the cancellation in every order
   * here (the reference is the reassignment made last): see the next test for the orders where it does not.
   */
  it("re-credits a renewal credited after a coordinator's whole-book reassignment that a late cancellation takes back, whenever the reassignment is made", async () => {
    const vb = (name: string, order: number) => id(name, 1980 + order);
    const feeds = (order: number): Feed[][] => [
      [['Reassign', vb('P-V1', order), { toAgentId: vb('P-V9', order), reason: 'V1 moves to commercial lines' }]],
      [
        ['PolicyRenewed', 'pnc', { policyNo: vb('VL1c', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: vb('P-V1', order) }],
        ['PolicyCancelled', 'pnc', { policyNo: vb('VL1c', order), effectiveDate: '2026-05-01', reason: 'sold the car' }],
      ],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [vb('P-VNB', order), vb('P-VNT', order), (n: number) => vb(`P-V${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(vb(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ['AgentOnboarded', 'pnc', agent(a(1), 'AGENCY', branch, team, a(0))],
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', vb('P-VNCB9', order), vb('P-VNCT9', order), null)],
        issue('VL1', a(1)), issue('VL1c', a(1)),
      ];
    };
    const agents = ['P-V0', 'P-V1', 'P-V9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const name = (n: number) => orders[n].map(([p, k]) => (p === 0 ? 'coordinator reassigns V1' : ['VL1c renewed', 'VL1c cancelled'][k])).join(', ');
    expect(name(0)).toBe('coordinator reassigns V1, VL1c renewed, VL1c cancelled');
    // The last reassignment event differs where a hand-out was taken back (the stream says so): the servicer it states last does not.
    // The renewal recorded while the book had VL1c (V9 to V1) names V1 as its giver once that hand-out is taken back, as recorded
    // after the cancellation (V1 to V1: a renewal naming its agent keeps its row).
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1980 + n, agents);
      return { reassignment: answers.get(vb('P-V1', n)), history: await standingHistory(1980 + n), pendingFrom: await pendingFrom(1980 + n), ...rest };
    };
    const reference = await outcome(2); // the renewal and the cancellation arrived before the coordinator reassigns V1's book
    expect(name(2)).toBe('VL1c renewed, VL1c cancelled, coordinator reassigns V1');
    expect(reference.reassignment).toBe(200);
    expect(reference.servicing).toEqual([{ policy_no: 'VL1', servicing_agent_id: 'P-V9' }, { policy_no: 'VL1c', servicing_agent_id: 'P-V1' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-V1']);
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch VA (the facts of branch VB in all 6 orders, compared with business order): V1 services VL1 and VL1c (March 2026 to February 2027), VL1c renewed for March 2027 naming
   * V1; VL1c is cancelled from 1 May 2026, and a coordinator hands V1's whole book to V9, of another
   * branch, over REST (today). The book takes the policies in force on its date: in business order VL1
   * goes to V9 and VL1c (cancelled, its renewed term not begun) stays with V1, who earns its renewal: a
   * renewed term starts in force (as the portfolio has it, `inForceOn`), the cancellation ends the earlier
   * term only, so the ledger credits the renewal arriving after it (3,000.00 to V1 and up the line), as it
   * does one arriving before it. Where the renewal was credited after the whole-book reassignment took VL1c
   * and the cancellation came last, taking that hand-out back re-credits the renewal to V1, and its renewal
   * row names V1, no longer V9, as the agent it took VL1c from. Failed on the previous code (3 of 6 orders: the
   * ledger refused the renewal arriving after the cancellation, and the renewal row named V9).
   */
  it("re-credits a renewal credited after a coordinator's whole-book reassignment that a late cancellation takes back, whenever the facts arrive", async () => {
    const vb = (name: string, order: number) => id(name, 1990 + order);
    const feeds = (order: number): Feed[][] => [
      [['PolicyCancelled', 'pnc', { policyNo: vb('VL1c', order), effectiveDate: '2026-05-01', reason: 'sold the car' }]],
      [['Reassign', vb('P-V1', order), { toAgentId: vb('P-V9', order), reason: 'V1 moves to commercial lines' }]],
      [['PolicyRenewed', 'pnc', { policyNo: vb('VL1c', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: vb('P-V1', order) }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [vb('P-VANB', order), vb('P-VANT', order), (n: number) => vb(`P-V${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(vb(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ['AgentOnboarded', 'pnc', agent(a(1), 'AGENCY', branch, team, a(0))],
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', vb('P-VANCB9', order), vb('P-VANCT9', order), null)],
        issue('VL1', a(1)), issue('VL1c', a(1)),
      ];
    };
    const agents = ['P-V0', 'P-V1', 'P-V9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    // The last reassignment event differs where a hand-out was taken back (the stream says so): the servicer it states last does not.
    const outcome = async (n: number) => {
      const { pending: _unordered, ...rest } = await bookOutcome(1990 + n, agents);
      return { reassignment: answers.get(vb('P-V1', n)), history: await standingHistory(1990 + n), pendingFrom: await pendingFrom(1990 + n), ...rest };
    };
    const reference = await outcome(0); // business order: VL1c cancelled, the coordinator reassigns V1's book, VL1c renewed
    expect(reference.reassignment).toBe(200);
    expect(reference.servicing).toEqual([{ policy_no: 'VL1', servicing_agent_id: 'P-V9' }, { policy_no: 'VL1c', servicing_agent_id: 'P-V1' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    expect(salesAgents(reference.credit)).toEqual(['P-V1']);
    // VL1's credit, VL1c's first term net of its clawback, and VL1c's renewal (3,000.00).
    expect(reference.credit.find((c: { level: string }) => c.level === 'agent')).toMatchObject({ beneficiary_id: 'P-V1', weighted_credit: '6502.75' });
    expect(reference.history.filter((row: string) => row.endsWith(' renewal'))).toEqual(['VL1c 2027-03-01 P-V1 P-V1 renewal']);
    const name = (n: number) => orders[n].map(([p]) => ['VL1c cancelled', 'coordinator reassigns V1', 'VL1c renewed'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch SD: leader S0 services SL0 and SL0b, S1 SL1, S9 nothing; S3 left on 30 June with SL3 (its 2027
   * renewal, naming S3, already credited). S9 moved to branch SC on 1 May, so on 30 June SL3 goes to S1 (one
   * policy against S0's two). Today a coordinator hands S1's whole book to S9 over REST (SL1 and SL3), then
   * SL3 alone on from S9 to S8, of another branch: in business order SL3 ends with S8. Where the transfer
   * arrived after both reassignments, SL3 had gone to S9 (no load) and the named reassignment took it from
   * S9; judged again, SL3 is S1's from 30 June, the whole-book reassignment hands it on to S9 as made (before
   * the named one), and the named one, by the agent who then had it, stands after it.
   */
  it("orders a whole-book reassignment a late fact hands a policy on by before a named one made after it that day, whenever the transfer arrives", async () => {
    const sd = (name: string, order: number) => id(name, 2400 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentTransferred', 'pnc', { agentId: sd('P-S9', order), toBranchId: sd('P-SCB', order), toTeamId: sd('P-SCT', order), toLeaderId: null, effectiveDate: '2026-05-01' }]],
      [
        ['Reassign', sd('P-S1', order), { toAgentId: sd('P-S9', order), reason: 'S1 moves to commercial lines' }],
        ['Reassign', sd('P-S9', order), { toAgentId: sd('P-S8', order), policyNos: [sd('SL3', order)], reason: 'SL3 to S8' }],
      ],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [sd('P-SB', order), sd('P-ST', order), (n: number) => sd(`P-S${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(sd(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3, 9].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(8), 'AGENCY', sd('P-SCB8', order), sd('P-SCT8', order), null)],
        issue('SL0', a(0)), issue('SL0b', a(0)), issue('SL1', a(1)), issue('SL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: sd('SL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(3) }],
        ['AgentTerminated', 'pnc', { agentId: a(3), effectiveDate: '2026-06-30', reason: 'resigned' }],
      ];
    };
    const agents = ['P-S0', 'P-S1', 'P-S3', 'P-S8', 'P-S9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(3);
    const name = (n: number) => orders[n].map(([p, k]) => (p === 0 ? 'S9 moves out' : ['coordinator reassigns S1', 'coordinator reassigns SL3'][k])).join(', ');
    const outcome = async (n: number) => {
      const { pending: _unordered, handedTo, ...rest } = await outcomeOf(h, 2400 + n);
      return {
        answers: [answers.get(sd('P-S1', n)), answers.get(sd('P-S9', n))], history: await standingHistoryOf(h, 2400 + n),
        handedTo: handedTo.map(({ policy, from, to }: { policy: string; from: string; to: string }) => ({ policy, from, to })),
        pendingFrom: await waitingFrom(h, 2400 + n), stated: await statedServicers(h, 2400 + n), timeline: await servicingTimelineOf(h, 2400 + n, agents), ...rest,
      };
    };
    const reference = await outcome(0); // business order: S9 moves out (S3's hand-out judged again), the whole book, then SL3 to S8
    expect(name(0)).toBe('S9 moves out, coordinator reassigns S1, coordinator reassigns SL3');
    expect(reference.answers).toEqual([200, 200]);
    expect(reference.servicing).toEqual([
      { policy_no: 'SL0', servicing_agent_id: 'P-S0' }, { policy_no: 'SL0b', servicing_agent_id: 'P-S0' },
      { policy_no: 'SL1', servicing_agent_id: 'P-S9' }, { policy_no: 'SL3', servicing_agent_id: 'P-S8' },
    ]);
    const today = new Date().toISOString().slice(0, 10);
    expect(reference.history.filter((r: string) => r.startsWith('SL3 ') && / (coordinator|least-loaded-in-branch)$/.test(r))).toEqual([
      'SL3 2026-06-30 P-S3 P-S1 least-loaded-in-branch', `SL3 ${today} P-S1 P-S9 coordinator`, `SL3 ${today} P-S9 P-S8 coordinator`,
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch RG: leader G0 services GL0 and GL0b, G1 GL1, G2 nothing; G3 left on 30 June with GL3, renewed for
   * March 2027 naming G0. G2 moved to branch GC on 1 May, so on 30 June GL3 goes to G1 (one policy against
   * G0's two) and the renewal's history row names G1 as the agent it took GL3 from. Where the renewal arrived
   * before the transfer, GL3 had gone to G2 (no load) and the renewal's row named G2: judged again, the hand-out
   * to G2 no longer stands, and the renewal's row names G1, as in business order.
   */
  it("names the agent before a renewal as its giver once the hand-out it was recorded under is judged again, whenever the transfer arrives", async () => {
    const rg = (name: string, order: number) => id(name, 2500 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentTransferred', 'pnc', { agentId: rg('P-G2', order), toBranchId: rg('P-GCB', order), toTeamId: rg('P-GCT', order), toLeaderId: null, effectiveDate: '2026-05-01' }]],
      [['PolicyRenewed', 'pnc', { policyNo: rg('GL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: rg('P-G0', order) }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [rg('P-GB', order), rg('P-GT', order), (n: number) => rg(`P-G${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(rg(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 2, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('GL0', a(0)), issue('GL0b', a(0)), issue('GL1', a(1)), issue('GL3', a(3)),
        ['AgentTerminated', 'pnc', { agentId: a(3), effectiveDate: '2026-06-30', reason: 'resigned' }],
      ];
    };
    const agents = ['P-G0', 'P-G1', 'P-G2', 'P-G3'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(2);
    const name = (n: number) => orders[n].map(([p]) => ['G2 moves out', 'GL3 renewed'][p]).join(', ');
    const outcome = async (n: number) => {
      const { pending: _unordered, handedTo: _events, ...rest } = await outcomeOf(h, 2500 + n);
      return { history: await standingHistoryOf(h, 2500 + n), stated: await statedServicers(h, 2500 + n), timeline: await servicingTimelineOf(h, 2500 + n, agents), ...rest };
    };
    const reference = await outcome(0); // business order: G2 moves out, GL3 renewed
    expect(name(0)).toBe('G2 moves out, GL3 renewed');
    expect(reference.history.filter((r: string) => r.startsWith('GL3 '))).toEqual([
      'GL3 2026-03-01 - P-G3 issue', 'GL3 2026-06-30 P-G3 P-G1 least-loaded-in-branch', 'GL3 2027-03-01 P-G1 P-G0 renewal',
    ]);
    expect(reference.timeline.GL3).toEqual(['2026-03-01 P-G3', '2026-07-01 P-G1', '2027-04-01 P-G0']);
    expect(reference.stated).toEqual(reference.servicing);
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch U: U1 services UL1 and UL1c (March 2026 to February 2027); UL1c is cancelled from 1 May 2026 and
   * reinstated from 1 June, a coordinator hands U1's whole book to U9, of another branch, over REST (today),
   * and UL1c is renewed for March 2027 naming U1. In business order the book takes both policies (UL1c is
   * in force again today) and the renewal, after it, has U1 service UL1c from the new term (its row names U9
   * as the agent it took UL1c from). Where the renewal arrived while U1 serviced UL1c (before the book took
   * it, or after the cancellation took the book's hand-out back) it must still count once the book hands
   * UL1c on, as it was or again (the reinstatement arriving last); a cancellation arriving while the book had
   * UL1c must not leave the renewal out when the reinstatement has the book hand UL1c on again; a reinstatement
   * arriving after the renewal still counts (the portfolio no longer drops it as a repeat, the ledger re-credits
   * the first term's clawback). Failed on the previous code (9 of 12 orders differed).
   */
  it("has the renewal's agent service the policy from the new term whenever the book hands it on, whenever the facts arrive", async () => {
    const u = (name: string, order: number) => id(name, 2600 + order);
    const feeds = (order: number): Feed[][] => [
      [
        ['PolicyCancelled', 'pnc', { policyNo: u('UL1c', order), effectiveDate: '2026-05-01', reason: 'unpaid' }],
        ['PolicyReinstated', 'pnc', { policyNo: u('UL1c', order), effectiveDate: '2026-06-01' }],
      ],
      [['Reassign', u('P-U1', order), { toAgentId: u('P-U9', order), reason: 'U1 moves to commercial lines' }]],
      [['PolicyRenewed', 'pnc', { policyNo: u('UL1c', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: u('P-U1', order) }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [u('P-UB', order), u('P-UT', order), (n: number) => u(`P-U${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(u(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ['AgentOnboarded', 'pnc', agent(a(1), 'AGENCY', branch, team, a(0))],
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', u('P-UCB9', order), u('P-UCT9', order), null)],
        issue('UL1', a(1)), issue('UL1c', a(1)),
      ];
    };
    const agents = ['P-U0', 'P-U1', 'P-U9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(12);
    const name = (n: number) => orders[n].map(([p, i]) => (p === 0 ? ['UL1c cancelled', 'UL1c reinstated'][i] : ['coordinator reassigns U1', 'UL1c renewed'][p - 1])).join(', ');
    // The last reassignment event differs where a hand-out was taken back or followed late (the stream says so): the servicer it states last does not.
    const outcome = async (n: number) => {
      const { pending: _unordered, handedTo: _events, ...rest } = await outcomeOf(h, 2600 + n);
      return {
        reassignment: answers.get(u('P-U1', n)), history: await standingHistoryOf(h, 2600 + n), pendingFrom: await waitingFrom(h, 2600 + n),
        stated: await statedServicers(h, 2600 + n), timeline: await servicingTimelineOf(h, 2600 + n, agents), ...rest,
      };
    };
    const reference = await outcome(0); // business order: UL1c cancelled, reinstated, the coordinator reassigns U1's book, UL1c renewed
    expect(name(0)).toBe('UL1c cancelled, UL1c reinstated, coordinator reassigns U1, UL1c renewed');
    const today = new Date().toISOString().slice(0, 10);
    expect(reference.reassignment).toBe(200);
    expect(reference.history.filter((r: string) => r.startsWith('UL1c '))).toEqual([
      'UL1c 2026-03-01 - P-U1 issue', `UL1c ${today} P-U1 P-U9 coordinator`, 'UL1c 2027-03-01 P-U9 P-U1 renewal',
    ]);
    expect(reference.timeline.UL1c.slice(-1)).toEqual(['2027-04-01 P-U1']);
    expect(reference.servicing).toEqual([{ policy_no: 'UL1', servicing_agent_id: 'P-U9' }, { policy_no: 'UL1c', servicing_agent_id: 'P-U1' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 600_000);

  /**
   * Branch TB: T1 services TL1 (March 2026 to February 2027, renewed for March 2027 naming T1, already
   * credited) and TL1f (to February 2028); T1's leader T0 stands in another branch and T2, T1's only colleague,
   * moved to branch TC on 1 May. T1 leaves on 30 June: nobody is left in branch T, so TL1 waits for a
   * coordinator from T1. Today a coordinator hands T1's whole book to T2 over REST (TL1 and TL1f), then TL1
   * alone on from T2 to T9, of another branch: in business order TL1 ends with T9. Where the termination
   * arrived before the transfer, TL1 went to T2 and, judged again once the transfer arrives, the hand-out is
   * taken back (`takenBack`): T1 keeps TL1 from 30 June, so the whole-book reassignment, made while T2 held TL1
   * by that hand-out (or its own hand-out of TL1 superseded by it), is left undone, and it counts as done where
   * it was made when the later hand-outs are judged: the named one by T2, made after it that day, still stands
   * (without the book counted it fell as one by an agent who no longer had TL1, and TL1 ended with T2: 2 of the
   * 12 orders, those where the named reassignment was made after the termination and before the transfer).
   * TL1f keeps T1's book from being empty when the coordinator acts after the hand-out to T2: cancelled from
   * 1 May to 1 August 2026 (reported before), it is out of the leaver's book as the termination hands it on (not
   * in force on 30 June: `bookOn`), while a reassignment made today takes it (in force today: `bookAsMade`), so
   * the whole-book reassignment is answered (200) and kept in every order.
   */
  it("judges the hand-outs after a hand-out taken back with the whole-book reassignment it leaves undone counted as done, whenever the facts arrive", async () => {
    const tb = (name: string, order: number) => id(name, 2700 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentTransferred', 'pnc', { agentId: tb('P-T2', order), toBranchId: tb('P-TCB', order), toTeamId: tb('P-TCT', order), toLeaderId: null, effectiveDate: '2026-05-01' }]],
      [['AgentTerminated', 'pnc', { agentId: tb('P-T1', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [
        ['Reassign', tb('P-T1', order), { toAgentId: tb('P-T2', order), reason: "T1's book to T2" }],
        ['Reassign', tb('P-T2', order), { toAgentId: tb('P-T9', order), policyNos: [tb('TL1', order)], reason: 'TL1 to T9' }],
      ],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [tb('P-TB', order), tb('P-TT', order), (n: number) => tb(`P-T${n}`, order)];
      const issue = (policyNo: string, dates: object = {}): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(tb(policyNo, order), 'PNC-9', { sellingAgentId: a(1), servicingAgentId: a(1), ...dates })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', tb('P-THB', order), tb('P-THT', order), null)],
        ...[1, 2].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', tb('P-TCB9', order), tb('P-TCT9', order), null)],
        issue('TL1'), issue('TL1f', { expiryDate: '2028-02-29' }),
        ['PolicyCancelled', 'pnc', { policyNo: tb('TL1f', order), effectiveDate: '2026-05-01', reason: 'unpaid' }],
        ['PolicyReinstated', 'pnc', { policyNo: tb('TL1f', order), effectiveDate: '2026-08-01' }],
        ['PolicyRenewed', 'pnc', { policyNo: tb('TL1', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: a(1) }],
      ];
    };
    const agents = ['P-T0', 'P-T1', 'P-T2', 'P-T9'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(12);
    const name = (n: number) => orders[n].map(([p, k]) => (p === 0 ? 'T2 moves out' : p === 1 ? 'T1 leaves' : ['coordinator reassigns T1', 'coordinator reassigns TL1'][k])).join(', ');
    // The last reassignment event differs where a hand-out was taken back or followed late (the stream says so): the servicer it states last does not.
    const outcome = async (n: number) => {
      const { pending: _unordered, handedTo: _events, ...rest } = await outcomeOf(h, 2700 + n);
      return {
        answers: [answers.get(tb('P-T1', n)), answers.get(tb('P-T2', n))], history: await standingHistoryOf(h, 2700 + n),
        pendingFrom: await waitingFrom(h, 2700 + n), stated: await statedServicers(h, 2700 + n), timeline: await servicingTimelineOf(h, 2700 + n, agents), ...rest,
      };
    };
    const reference = await outcome(0); // business order: T2 moves out, T1 leaves (TL1 waits), the whole book, then TL1 to T9
    expect(name(0)).toBe('T2 moves out, T1 leaves, coordinator reassigns T1, coordinator reassigns TL1');
    expect(reference.answers).toEqual([200, 200]);
    expect(reference.servicing).toEqual([{ policy_no: 'TL1', servicing_agent_id: 'P-T9' }, { policy_no: 'TL1f', servicing_agent_id: 'P-T2' }]);
    const today = new Date().toISOString().slice(0, 10);
    expect(reference.history.filter((r: string) => r.startsWith('TL1 '))).toEqual([
      'TL1 2026-03-01 - P-T1 issue', `TL1 ${today} P-T1 P-T2 coordinator`, `TL1 ${today} P-T2 P-T9 coordinator`,
    ]);
    expect(reference.timeline.TL1.at(-1)).toMatch(/ P-T9$/);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    // The renewal names T1, who had left by its new term: the ledger credits it to T1 (see RELIABILITY.md (7)); T2 earns it where TL1 ends with T2.
    expect(salesAgents(reference.credit)).toEqual(['P-T1']);
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 600_000);

  /**
   * Branch BS: leader S0 and S1 stand in branch BS; S1 leaves on 30 June with SL1 (to February 2028, cancelled
   * from 1 January 2028) and SL2 (cancelled from 1 May 2026, reinstated from 1 August). A leaver's book is what
   * was in force on the termination date by the status history: in business order SL1 goes to S0 (it was in
   * force on 30 June) and SL2 stays with S1 (it was not; its reinstatement, dated after the termination, hands
   * nothing on). The termination read the portfolio row's status as it was handled: where SL1's cancellation
   * arrived before it, SL1 stayed with S1, and where SL2's reinstatement did, SL2 went to S0; and where SL2's
   * cancellation arrived after it, judged again, its hand-out of SL2 stood (10 of 12 orders differed; 4 with the
   * book read by the status history alone). Now the termination's hand-out of a policy not in force on its date
   * is taken back, S1 keeping it, waiting for nobody.
   */
  it("hands on the leaver's book in force on the termination date by the status history, whenever the status changes arrive", async () => {
    const bs = (name: string, order: number) => id(name, 2800 + order);
    const feeds = (order: number): Feed[][] => [
      [['PolicyCancelled', 'pnc', { policyNo: bs('SL1', order), effectiveDate: '2028-01-01', reason: 'unpaid' }]],
      [
        ['PolicyCancelled', 'pnc', { policyNo: bs('SL2', order), effectiveDate: '2026-05-01', reason: 'unpaid' }],
        ['PolicyReinstated', 'pnc', { policyNo: bs('SL2', order), effectiveDate: '2026-08-01' }],
      ],
      [['AgentTerminated', 'pnc', { agentId: bs('P-S1', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [bs('P-SB', order), bs('P-ST', order), (n: number) => bs(`P-S${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(bs(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, expiryDate: '2028-02-29' })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ['AgentOnboarded', 'pnc', agent(a(1), 'AGENCY', branch, team, a(0))],
        issue('SL0', a(0)), issue('SL1', a(1)), issue('SL2', a(1)),
      ];
    };
    const agents = ['P-S0', 'P-S1'];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(12);
    const name = (n: number) => orders[n].map(([p, k]) => (p === 0 ? 'SL1 cancelled from 2028' : p === 1 ? ['SL2 cancelled', 'SL2 reinstated'][k] : 'S1 leaves')).join(', ');
    // The last reassignment event differs where a hand-out was taken back (the stream says so): the servicer it states last does not.
    const outcome = async (n: number) => {
      const { pending: _unordered, handedTo: _events, ...rest } = await outcomeOf(h, 2800 + n);
      return {
        history: await standingHistoryOf(h, 2800 + n), pendingFrom: await waitingFrom(h, 2800 + n), stated: await statedServicers(h, 2800 + n),
        timeline: await servicingTimelineOf(h, 2800 + n, agents), ...rest,
      };
    };
    const business = orders.findIndex((_, n) => name(n) === 'SL2 cancelled, S1 leaves, SL2 reinstated, SL1 cancelled from 2028');
    const reference = await outcome(business);
    expect(reference.servicing).toEqual([
      { policy_no: 'SL0', servicing_agent_id: 'P-S0' }, { policy_no: 'SL1', servicing_agent_id: 'P-S0' }, { policy_no: 'SL2', servicing_agent_id: 'P-S1' },
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 600_000);

  /**
   * Branch BW: W1 stands alone in branch BW (its leader W0 in another branch) and leaves on 30 June with WL1,
   * cancelled from 1 May. In business order WL1 is not in W1's book on 30 June and waits for nobody. Where the
   * cancellation arrived after the termination, WL1 had been left waiting for a coordinator from W1 (nobody in
   * the branch) and, judged again, still waited.
   */
  it("leaves no policy waiting for a coordinator that was not in force on the termination date, whenever the cancellation arrives", async () => {
    const bw = (name: string, order: number) => id(name, 2900 + order);
    const feeds = (order: number): Feed[][] => [
      [['PolicyCancelled', 'pnc', { policyNo: bw('WL1', order), effectiveDate: '2026-05-01', reason: 'unpaid' }]],
      [['AgentTerminated', 'pnc', { agentId: bw('P-W1', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => [
      ['AgentOnboarded', 'pnc', agent(bw('P-W0', order), 'AGENCY', bw('P-WHB', order), bw('P-WHT', order), null)],
      ['AgentOnboarded', 'pnc', agent(bw('P-W1', order), 'AGENCY', bw('P-WB', order), bw('P-WT', order), bw('P-W0', order))],
      ['PolicyIssued', 'pnc', motorPolicy(bw('WL1', order), 'PNC-9', { sellingAgentId: bw('P-W1', order), servicingAgentId: bw('P-W1', order) })],
    ];
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(2);
    const name = (n: number) => orders[n].map(([p]) => ['WL1 cancelled', 'W1 leaves'][p]).join(', ');
    const outcome = async (n: number) => {
      const { handedTo: _events, ...rest } = await outcomeOf(h, 2900 + n);
      return { history: await standingHistoryOf(h, 2900 + n), pendingFrom: await waitingFrom(h, 2900 + n), stated: await statedServicers(h, 2900 + n), ...rest };
    };
    const reference = await outcome(0); // business order: WL1 cancelled, W1 leaves
    expect(reference.servicing).toEqual([{ policy_no: 'WL1', servicing_agent_id: 'P-W1' }]);
    expect(reference.pendingFrom).toEqual([]);
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);
});

/**
 * Team-leader hand-outs under the rule set in effect on the termination date (no rule configured):
 * team-leader until 31 July 2026, least-loaded-in-branch from 1 August, team-leader again from 2027.
 */
describe('a team-leader hand-out to a leader in another branch, whatever the arrival order', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    delete process.env.ORPHAN_REASSIGNMENT_RULE;
    db = await createTestDatabase('team_leader_branch');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-9', randomUUID());
    await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'v2', effectiveFrom: '2026-08-01', orphanRule: 'least-loaded-in-branch' }).expect(201);
    await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'v3', effectiveFrom: '2027-01-01', orphanRule: 'team-leader' }).expect(201);
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  /**
   * T3 (branch T) leaves on 30 June with TL3 under team-leader: TL3 goes to T3's leader U0, who stands
   * in branch U. There U0 services UL0, U1 UL1, and U3 leaves on 30 September with UL3 (its 2027 renewal
   * already credited to U3) under least-loaded-in-branch: on that date U0 carries two policies and U1
   * one, so UL3 goes to U1, who earns the renewal. Where U3's termination came before T3's, UL3 first
   * went to U0 (equal loads, smaller id): T3's late hand-out must judge branch U's hand-outs again.
   */
  it("judges again the least-loaded hand-outs of the leader's branch, whenever the team-leader hand-out arrives", async () => {
    const t = (name: string, order: number) => id(name, 2000 + order);
    const feeds = (order: number): Feed[][] => [
      [['PolicyIssued', 'pnc', motorPolicy(t('TL3', order), 'PNC-9', { sellingAgentId: t('P-T3', order), servicingAgentId: t('P-T3', order) })]],
      [['AgentTerminated', 'pnc', { agentId: t('P-T3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [['AgentTerminated', 'pnc', { agentId: t('P-U3', order), effectiveDate: '2026-09-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, u] = [t('P-UB', order), t('P-UT', order), (n: number) => t(`P-U${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(t(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(u(0), 'AGENCY', branch, team, null)],
        ...[1, 3].map((n): Feed => ['AgentOnboarded', 'pnc', agent(u(n), 'AGENCY', branch, team, u(0))]),
        ['AgentOnboarded', 'pnc', agent(t('P-T3', order), 'AGENCY', t('P-TB', order), t('P-TT', order), u(0))],
        issue('UL0', u(0)), issue('UL1', u(1)), issue('UL3', u(3)),
        ['PolicyRenewed', 'pnc', { policyNo: t('UL3', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: u(3) }],
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const reference = await outcomeOf(h, 2000); // business order: TL3, T3 leaves, U3 leaves
    expect(reference.servicing).toEqual([
      { policy_no: 'TL3', servicing_agent_id: 'P-U0' }, { policy_no: 'UL0', servicing_agent_id: 'P-U0' },
      { policy_no: 'UL1', servicing_agent_id: 'P-U1' }, { policy_no: 'UL3', servicing_agent_id: 'P-U1' },
    ]);
    expect(reference.handedTo).toEqual([
      { policy: 'policy-pnc-TL3', from: 'P-T3', to: 'P-U0', on: '2026-06-30' },
      { policy: 'policy-pnc-UL3', from: 'P-U3', to: 'P-U1', on: '2026-09-30' },
    ]);
    expect(reference.pending).toEqual([]);
    expect(reference.credit.filter((c: { side: string; level: string }) => c.side === 'sales' && c.level === 'agent').map((c: { beneficiary_id: string }) => c.beneficiary_id))
      .toEqual(['P-T3', 'P-U0', 'P-U1', 'P-U3']);
    const name = (n: number) => orders[n].map(([p]) => ['TL3 issued', 'T3 leaves', 'U3 leaves'][p]).join(', ');
    expect(await differingOrders(orders.length, name, (n) => outcomeOf(h, 2000 + n), reference)).toEqual([]);
  }, 300_000);

  /**
   * Branch W: leader W0 services WL0, W1 nothing; W3 leaves on 30 September 2026 (least-loaded) with WL3,
   * W1 on 15 February 2027 (team-leader). W0a (nothing serviced) stood in branch W until it moved to
   * branch X on 1 May 2026, so on 30 September WL3 goes to W1 (W0 carries one), and W1's termination
   * hands it to W1's leader W0. Where the transfer came after both terminations, WL3 first went to W0a
   * and W1 had nothing to hand on: judged again, WL3 is W1's, whose team-leader termination must hand
   * it on too.
   */
  it("hands a policy a hand-out judged again gives a later leaver on by that leaver's team-leader termination, whenever the transfer arrives", async () => {
    const w = (name: string, order: number) => id(name, 2100 + order);
    const feeds = (order: number): Feed[][] => [
      [['AgentTransferred', 'pnc', { agentId: w('P-W0a', order), toBranchId: w('P-XB', order), toTeamId: w('P-XT', order), toLeaderId: null, effectiveDate: '2026-05-01' }]],
      [['AgentTerminated', 'pnc', { agentId: w('P-W3', order), effectiveDate: '2026-09-30', reason: 'resigned' }]],
      [['AgentTerminated', 'pnc', { agentId: w('P-W1', order), effectiveDate: '2027-02-15', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [w('P-WB', order), w('P-WT', order), (n: number | string) => w(`P-W${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(w(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ...[1, 3, '0a'].map((n): Feed => ['AgentOnboarded', 'pnc', agent(a(n), 'AGENCY', branch, team, a(0))]),
        issue('WL0', a(0)), issue('WL3', a(3)),
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const reference = await outcomeOf(h, 2100); // business order: transfer, W3 leaves, W1 leaves
    expect(reference.servicing).toEqual([{ policy_no: 'WL0', servicing_agent_id: 'P-W0' }, { policy_no: 'WL3', servicing_agent_id: 'P-W0' }]);
    expect(reference.handedTo).toEqual([{ policy: 'policy-pnc-WL3', from: 'P-W1', to: 'P-W0', on: '2027-02-15' }]);
    expect(reference.pending).toEqual([]);
    const name = (n: number) => orders[n].map(([p]) => ['W0a moves out', 'W3 leaves', 'W1 leaves'][p]).join(', ');
    expect(await differingOrders(orders.length, name, (n) => outcomeOf(h, 2100 + n), reference)).toEqual([]);
  }, 300_000);

  /**
   * Z3 (branch Z) leaves on 30 June with ZL3 under team-leader; its leader ZL leaves the same day with ZLL,
   * and ZL's leader Z0 stays. Same-day terminations are simultaneous in business order: ZL is not active on
   * 30 June, so Z3's team-leader hand-out finds no active leader and ZL3 waits for a coordinator from Z3,
   * while ZLL goes to Z0. Where Z3's termination (with ZL3 known) came before ZL's, ZL3 went to ZL and on
   * to Z0 with ZL's book: when ZL's termination arrives, Z3's hand-out is taken back and ZL's hand-out of
   * ZL3 that same day no longer stands.
   */
  it("takes back a team-leader hand-out to a leader who left the same day, whenever the facts arrive", async () => {
    const z = (name: string, order: number) => id(name, 2200 + order);
    const feeds = (order: number): Feed[][] => [
      [['PolicyIssued', 'pnc', motorPolicy(z('ZL3', order), 'PNC-9', { sellingAgentId: z('P-Z3', order), servicingAgentId: z('P-Z3', order) })]],
      [['AgentTerminated', 'pnc', { agentId: z('P-Z3', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
      [['AgentTerminated', 'pnc', { agentId: z('P-ZL', order), effectiveDate: '2026-06-30', reason: 'resigned' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team] = [z('P-ZB', order), z('P-ZT', order)];
      return [
        ['AgentOnboarded', 'pnc', agent(z('P-Z0', order), 'AGENCY', branch, team, null)],
        ['AgentOnboarded', 'pnc', agent(z('P-ZL', order), 'AGENCY', branch, team, z('P-Z0', order))],
        ['AgentOnboarded', 'pnc', agent(z('P-Z3', order), 'AGENCY', branch, team, z('P-ZL', order))],
        ['PolicyIssued', 'pnc', motorPolicy(z('ZLL', order), 'PNC-9', { sellingAgentId: z('P-ZL', order), servicingAgentId: z('P-ZL', order) })],
        ['PolicyRenewed', 'pnc', { policyNo: z('ZLL', order), newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('5000.00'), servicingAgentId: z('P-ZL', order) }],
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const outcome = async (n: number) => {
      const { handedTo: _events, pending: _pending, ...rest } = await outcomeOf(h, 2200 + n);
      return { ...rest, pendingFrom: await waitingFrom(h, 2200 + n), stated: await statedServicers(h, 2200 + n) };
    };
    const reference = await outcome(0); // business order: ZL3, Z3 leaves, ZL leaves
    expect(reference.servicing).toEqual([{ policy_no: 'ZL3', servicing_agent_id: 'P-Z3' }, { policy_no: 'ZLL', servicing_agent_id: 'P-Z0' }]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([{ policy_no: 'ZL3', from_agent_id: 'P-Z3' }]);
    const name = (n: number) => orders[n].map(([p]) => ['ZL3 issued', 'Z3 leaves', 'ZL leaves'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);
});

/** The team-leader rule in effect on every date (configured): a leaver's book goes to their leader. */
describe("a leaver's own team-leader termination and a coordinator's whole-book reassignment the same day, whatever the arrival order", () => {
  let db: TestDatabase;
  let h: CreditingTestApp;

  beforeAll(async () => {
    process.env.ORPHAN_REASSIGNMENT_RULE = 'team-leader';
    db = await createTestDatabase('team_leader_book');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-9', randomUUID());
  });

  afterAll(async () => {
    delete process.env.ORPHAN_REASSIGNMENT_RULE;
    await h?.close();
    await db?.drop();
  });

  const standingHistory = (order: number) => standingHistoryOf(h, order);

  /**
   * Branch QB (team-leader): leader Q0 services QL0, Q3 (under Q0) leaves today with QL3 (its March 2028
   * renewal, naming Q3, already credited) and QL3c (issued in March 2026, arriving late), and a coordinator
   * hands Q3's whole book to Q9, of another branch, over REST (today). Within a day the terminations come
   * before a coordinator's reassignments, so in business order Q3's termination hands QL3 and QL3c to Q0
   * and the coordinator finds the book empty (404). Where the coordinator acted before the termination
   * arrived, the termination's book is still what Q3 serviced as the day began: the coordinator's
   * hand-outs from Q3 that day no longer stand. The REST answer is what was true when it was made, so it
   * is not compared.
   */
  it("hands on to the leader a leaver's book a coordinator reassigned the same day before the termination arrived, whenever the facts arrive", async () => {
    const qb = (name: string, order: number) => id(name, 2300 + order);
    const today = new Date().toISOString().slice(0, 10);
    const feeds = (order: number): Feed[][] => [
      [['PolicyIssued', 'pnc', motorPolicy(qb('QL3c', order), 'PNC-9', { sellingAgentId: qb('P-Q3', order), servicingAgentId: qb('P-Q3', order), expiryDate: '2028-02-29' })]],
      [['AgentTerminated', 'pnc', { agentId: qb('P-Q3', order), effectiveDate: today, reason: 'resigned' }]],
      [['Reassign', qb('P-Q3', order), { toAgentId: qb('P-Q9', order), reason: 'Q3 is leaving' }]],
    ];
    const setupOf = (order: number): Feed[] => {
      const [branch, team, a] = [qb('P-QB', order), qb('P-QT', order), (n: number) => qb(`P-Q${n}`, order)];
      const issue = (policyNo: string, servicer: string): Feed =>
        ['PolicyIssued', 'pnc', motorPolicy(qb(policyNo, order), 'PNC-9', { sellingAgentId: servicer, servicingAgentId: servicer, expiryDate: '2028-02-29' })];
      return [
        ['AgentOnboarded', 'pnc', agent(a(0), 'AGENCY', branch, team, null)],
        ['AgentOnboarded', 'pnc', agent(a(3), 'AGENCY', branch, team, a(0))],
        ['AgentOnboarded', 'pnc', agent(a(9), 'AGENCY', qb('P-QCB9', order), qb('P-QCT9', order), null)],
        issue('QL0', a(0)), issue('QL3', a(3)),
        ['PolicyRenewed', 'pnc', { policyNo: qb('QL3', order), newEffectiveDate: '2028-03-01', newExpiryDate: '2029-02-28', premium: premium('5000.00'), servicingAgentId: a(3) }],
      ];
    };
    const orders = await feedEveryOrder(h, setupOf, feeds);
    expect(orders).toHaveLength(6);
    const outcome = async (n: number) => {
      const { pending: _unordered, handedTo, ...rest } = await outcomeOf(h, 2300 + n);
      return {
        history: await standingHistory(2300 + n), handedTo: handedTo.map(({ policy, from, to }: { policy: string; from: string; to: string }) => ({ policy, from, to })),
        pendingFrom: await waitingFrom(h, 2300 + n), stated: await statedServicers(h, 2300 + n), ...rest,
      };
    };
    const reference = await outcome(0); // business order: QL3c issued, Q3 leaves, the coordinator finds Q3's book empty
    expect(answers.get(qb('P-Q3', 0))).toBe(404);
    expect(reference.servicing).toEqual([
      { policy_no: 'QL0', servicing_agent_id: 'P-Q0' }, { policy_no: 'QL3', servicing_agent_id: 'P-Q0' }, { policy_no: 'QL3c', servicing_agent_id: 'P-Q0' },
    ]);
    expect(reference.history.filter((r: string) => / (coordinator|team-leader)$/.test(r))).toEqual([
      `QL3c ${today} P-Q3 P-Q0 team-leader`, `QL3 ${today} P-Q3 P-Q0 team-leader`,
    ]);
    expect(reference.stated).toEqual(reference.servicing);
    expect(reference.pendingFrom).toEqual([]);
    const name = (n: number) => orders[n].map(([p]) => ['QL3c issued', 'Q3 leaves', 'coordinator reassigns Q3'][p]).join(', ');
    expect(await differingOrders(orders.length, name, outcome, reference)).toEqual([]);
  }, 300_000);
});
