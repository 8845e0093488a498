import { COORDINATION_EVENT_NAMESPACE, deterministicEventId, type EventType, type SubsidiaryEvent } from '@lib/contracts';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/infra/postgres';
import { createCoordinationApp } from './coordination-app';
import { agent, company, policy, referral } from './conflicts/testing/harness';
import { scorecardsFrom } from './crediting/queries/scorecards';
import { TEST_HMAC_KEY } from './identity/testing/identity-app';
import { creditLinesSettled, dispatchReplayed, subsidiaryEvent } from './testing/whole-app-feed';
import { DEFAULT_PRECEDENCE } from './conflicts/domain';
import { ReferralExpiryTask } from './conflicts/scheduling/referral-expiry.task';
import { PrecedenceStore } from './conflicts/write/precedence.store';

/**
 * Kafka keeps order per partition only. One set of events (same ids), fed to the whole coordination
 * pipeline in three orders that keep each partition's order but interleave them differently, must
 * leave the same conflicts (ids aside), credit lines and servicing agents.
 */
jest.setTimeout(180_000);

type Sub = 'life' | 'pnc' | 'group';
const event = (type: EventType, subsidiary: Sub, payload: object, occurredAt: string) => subsidiaryEvent(type, subsidiary, payload, occurredAt, 'order');

const T0 = '2026-02-20T09:00:00+08:00';
const pncAgent = (id: string, leader: string | null) => ({ ...agent(id, 'AGENCY'), branchId: 'P-B1', teamId: 'P-T1', leaderId: leader });
const setup = [
  event('ClientRegistered', 'life', company('LIFE-ORG', 7), T0),
  event('ClientRegistered', 'pnc', company('PNC-ORG', 7), T0),
  event('ClientRegistered', 'group', company('GRP-ORG', 7), T0),
  event('ClientRegistered', 'life', company('LIFE-ORG-8', 8), T0),
  event('ClientRegistered', 'pnc', company('PNC-ORG-8', 8), T0),
  event('ClientRegistered', 'life', company('LIFE-ORG-9', 9), T0),
  event('ClientRegistered', 'group', company('GRP-ORG-9', 9), T0),
  event('ClientRegistered', 'pnc', company('PNC-ORG-9', 9), T0),
  event('ClientRegistered', 'life', company('LIFE-ORG-10', 10), T0),
  event('ClientRegistered', 'pnc', company('PNC-ORG-10', 10), T0),
  event('ClientRegistered', 'group', company('GRP-ORG-11', 11), T0),
  event('ClientRegistered', 'life', company('LIFE-ORG-12', 12), T0),
  event('ClientRegistered', 'pnc', company('PNC-ORG-12', 12), T0),
  event('ClientRegistered', 'group', company('GRP-ORG-12', 12), T0),
  event('AgentOnboarded', 'group', agent('G-DIRECT-1', 'DIRECT'), T0),
  event('AgentOnboarded', 'group', agent('G-BROKER-1', 'BROKER'), T0),
  event('AgentOnboarded', 'life', agent('A-1001', 'AGENCY'), T0),
  event('AgentOnboarded', 'group', agent('G-3001', 'GROUP_ACCOUNT'), T0),
  event('AgentOnboarded', 'pnc', pncAgent('P-2000', null), T0),
  event('AgentOnboarded', 'pnc', pncAgent('P-2001', 'P-2000'), T0),
];
// A life agent registers the client for P&C motor; P&C sells it (converting that registration);
// later the group registers the same client and line; the P&C servicing agent leaves in June.
const R1 = event('ReferralRegistered', 'life', referral('R-1', 'LIFE-ORG', 'pnc', 'MOTOR', 'A-1001', '2026-03-01T09:00:00+08:00'), '2026-03-01T09:00:00+08:00');
const P1 = event('PolicyIssued', 'pnc', { ...policy('PM-1', 'PNC-ORG', 'MOTOR', 'P-2001', 'P-2001', 'AGENCY', 'R-1'), effectiveDate: '2026-03-06' }, '2026-03-05T10:00:00+08:00');
const R2 = event('ReferralRegistered', 'group', referral('R-2', 'GRP-ORG', 'pnc', 'MOTOR', 'G-3001', '2026-03-10T09:00:00+08:00'), '2026-03-10T09:00:00+08:00');
// P&C sells R-2's lead through its branch head: R-2's conflict (as of its filing) decides that sale's credit.
const PM2 = event('PolicyIssued', 'pnc', { ...policy('PM-2', 'PNC-ORG', 'MOTOR', 'P-2000', 'P-2000', 'AGENCY', 'R-2'), effectiveDate: '2026-03-13' }, '2026-03-12T10:00:00+08:00');
// Another client: a life agent registers it for P&C home; P&C's own agent sells home without naming the referral.
const R8 = event('ReferralRegistered', 'life', referral('R-8', 'LIFE-ORG-8', 'pnc', 'HOME', 'A-1001', '2026-03-01T09:00:00+08:00'), '2026-03-01T09:00:00+08:00');
const PH8 = event('PolicyIssued', 'pnc', { ...policy('PH-8', 'PNC-ORG-8', 'HOME', 'P-2001', 'P-2001', 'AGENCY', null), effectiveDate: '2026-03-06' }, '2026-03-05T10:00:00+08:00');
// A third client: life (1 March) and group (3 March) both register it for P&C home; P&C's own agent sells
// home on 5 March naming neither. In business order the sale converts the first registration, R-9A.
const R9A = event('ReferralRegistered', 'life', referral('R-9A', 'LIFE-ORG-9', 'pnc', 'HOME', 'A-1001', '2026-03-01T09:00:00+08:00'), '2026-03-01T09:00:00+08:00');
const R9B = event('ReferralRegistered', 'group', referral('R-9B', 'GRP-ORG-9', 'pnc', 'HOME', 'G-3001', '2026-03-03T09:00:00+08:00'), '2026-03-03T09:00:00+08:00');
const PH9 = event('PolicyIssued', 'pnc', { ...policy('PH-9', 'PNC-ORG-9', 'HOME', 'P-2001', 'P-2001', 'AGENCY', null), effectiveDate: '2026-03-06' }, '2026-03-05T10:00:00+08:00');
// A fourth client: a life agent registers it for P&C motor on 1 March (window to 31 March); P&C's own agent
// sells motor on 20 March naming none. The expiry check of 15 April runs before the sale arrives in one order:
// the sale was issued inside the window, so it converts the expired registration as in business order.
const R10 = event('ReferralRegistered', 'life', referral('R-10', 'LIFE-ORG-10', 'pnc', 'MOTOR', 'A-1001', '2026-03-01T09:00:00+08:00'), '2026-03-01T09:00:00+08:00');
const PM10 = event('PolicyIssued', 'pnc', { ...policy('PM-10', 'PNC-ORG-10', 'MOTOR', 'P-2001', 'P-2001', 'AGENCY', null), effectiveDate: '2026-03-21' }, '2026-03-20T10:00:00+08:00');
const EXPIRY_CHECK = { check: 'referral-expiry', at: new Date('2026-04-15T00:00:00Z') } as const;
type Step = SubsidiaryEvent | typeof EXPIRY_CHECK;
// A fifth client: the group's direct agent has serviced its group health policy since 25 February; the
// group's broker quotes it on 1 March, the direct agent on 5 March (a clash). The policy arrives after
// the quotes in one order (parked for its agent, say): the clash is judged again with it.
const PG11 = event('PolicyIssued', 'group', { ...policy('PG-11', 'GRP-ORG-11', 'GROUP_HEALTH', 'G-DIRECT-1', 'G-DIRECT-1', 'DIRECT', null), effectiveDate: '2026-02-26' }, '2026-02-25T10:00:00+08:00');
const quoteOf = (activityId: string, agentId: string, at: string) =>
  event('ActivityLogged', 'group', { activityId, agentId, clientLocalId: 'GRP-ORG-11', kind: 'quote', at, productLine: 'GROUP_HEALTH', quotedPrice: '92000.00' }, at);
const QB11 = quoteOf('ACT-111', 'G-BROKER-1', '2026-03-01T10:00:00+08:00');
const QD11 = quoteOf('ACT-112', 'G-DIRECT-1', '2026-03-05T10:00:00+08:00');
// A sixth client holds 300k of life cover (A-1001) from 1 February and 300k of group health (G-3001) from
// 1 April: top-strategic from 1 April. P&C agents refer it for term life (LIFE_TERM) on 10 March (R-12A, not yet
// top-strategic) and on 5 April (R-12B, outside its relationship team). Judged by the tier of each filing,
// whichever policy arrives last (a policy re-judges the party's other lines). The life policy is cancelled from
// 1 May: R-12C (10 May) meets a client that is strategic only, even where it arrives before the cancellation (or
// before the life policy) and was first judged against a top-strategic client.
const big = { amount: '300000.00', currency: 'CNY', mode: 'ANNUAL' };
const PL12 = event('PolicyIssued', 'life', { ...policy('PL-12', 'LIFE-ORG-12', 'LIFE_WHOLE', 'A-1001', 'A-1001', 'AGENCY', null), premium: big, effectiveDate: '2026-02-01', expiryDate: '2027-01-31' }, '2026-01-30T10:00:00+08:00');
const PG12 = event('PolicyIssued', 'group', { ...policy('PG-12', 'GRP-ORG-12', 'GROUP_HEALTH', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', null), premium: big, effectiveDate: '2026-04-01', expiryDate: '2027-03-31' }, '2026-03-30T10:00:00+08:00');
const R12A = event('ReferralRegistered', 'pnc', referral('R-12A', 'PNC-ORG-12', 'life', 'LIFE_TERM', 'P-2001', '2026-03-10T09:00:00+08:00'), '2026-03-10T09:00:00+08:00');
const R12B = event('ReferralRegistered', 'pnc', referral('R-12B', 'PNC-ORG-12', 'life', 'LIFE_TERM', 'P-2000', '2026-04-05T09:00:00+08:00'), '2026-04-05T09:00:00+08:00');
const R12C = event('ReferralRegistered', 'pnc', referral('R-12C', 'PNC-ORG-12', 'life', 'LIFE_TERM', 'P-2001', '2026-05-10T09:00:00+08:00'), '2026-05-10T09:00:00+08:00');
const CANCEL12 = event('PolicyCancelled', 'life', { policyNo: 'PL-12', effectiveDate: '2026-05-01', reason: 'surrendered', refund: '150000.00' }, '2026-05-02T10:00:00+08:00');
const LEAVES = event('AgentTerminated', 'pnc', { agentId: 'P-2001', effectiveDate: '2026-06-30', reason: 'resigned' }, '2026-06-30T18:00:00+08:00');

// The second and third orders deliver PH-8 before R-8 (the registration then converts the sale it
// missed and finds the registration it bypassed), PH-9 and R-9B before R-9A (PH-9 first converts
// R-9B, then moves to R-9A), and PM-2 before R-1 and P-1 (R-2's conflict is first a duplicate
// registration, then superseded by the servicing relationship: PM-2 is re-credited).
// R-10 is expired by the check before PM-10 arrives in the second order only; the second order delivers
// the quotes before PG-11, the third the direct quote before the broker's (the two local ids case).
const ORDERS: Record<string, Step[]> = {
  'business order': [PL12, PG11, R1, R8, R9A, R10, QB11, P1, QD11, R9B, PH8, PH9, R12A, R2, PM2, PM10, PG12, R12B, EXPIRY_CHECK, CANCEL12, R12C, LEAVES],
  'group and agents first': [PG12, QB11, QD11, LEAVES, R2, R9B, PM2, PH9, R1, R10, EXPIRY_CHECK, P1, PH8, PM10, R8, R9A, PG11, R12A, R12B, R12C, PL12, CANCEL12],
  'policies first (P-1 and PM-2 wait for their referrals)': [P1, PH8, PH9, PM2, PM10, PG11, LEAVES, R2, R9B, QD11, R1, R8, R9A, R10, QB11, R12C, R12A, R12B, PG12, PL12, CANCEL12, EXPIRY_CHECK],
};

async function outcomeOf(order: Step[]) {
  const db: TestDatabase = await createTestDatabase('arrival_order');
  process.env.INBOUND_DISABLED = '1';
  process.env.SCHEDULER_DISABLED = '1';
  const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test', IDENTITY_HMAC_KEY: TEST_HMAC_KEY, DATABASE_POOL_SIZE: '4' };
  const { app } = await createCoordinationApp({ env, logger: false });
  await app.init();
  try {
    await leaveClashesToTheRules(app);
    for (const e of [...setup, ...order]) await feed(app, e);
    await creditLinesSettled(app);
    return { ...(await snapshot(app.get(DataSource))), withdrawn: await withdrawals(app.get(DataSource)) };
  } finally {
    await app.close();
    await db.drop();
  }
}

/** Quote clashes are decided by the precedence's rules, not always queued, so the facts a clash reads show in its decision. */
async function leaveClashesToTheRules(app: NestFastifyApplication): Promise<void> {
  const at = '2026-01-01T00:00:00Z';
  await app.get(DataSource).transaction((manager) => app.get(PrecedenceStore).change({ ...DEFAULT_PRECEDENCE, alwaysQueue: [] }, {
    manager,
    metadata: { correlationId: 'arrival-order', causationId: null, actor: 'test', occurredAt: at },
    eventId: (...qualifiers) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'arrival-order-precedence', ...qualifiers),
  }, { actor: 'test', at }));
}

async function feed(app: NestFastifyApplication, e: Step): Promise<void> {
  if ('check' in e) return app.get(DataSource).transaction((m) => app.get(ReferralExpiryTask).run(m, e.at));
  return dispatchReplayed(app, e);
}

/** Conflicts that stand (ids and the party's generated id left out), credit lines and servicing agents. */
async function snapshot(ds: DataSource) {
  const conflicts: Array<{ kind: string; status: string; referral_ids: string[]; decision: Record<string, unknown> | null }> = await ds.query(
    `SELECT kind, product_line, status, referral_ids, decision FROM coordination.conflict_index WHERE status <> 'superseded' ORDER BY kind, referral_ids`,
  );
  return {
    conflicts: conflicts.map(({ decision, ...c }) => {
      const { conflictId: _id, partyId: _party, decidedAt: _at, ...rest } = (decision ?? {}) as Record<string, unknown>;
      return { ...c, decision: decision ? rest : null };
    }),
    // Net credit per beneficiary: a fact learnt late is corrected by compensating lines (history is never edited).
    lines: await ds.query(
      `SELECT policy_no, transaction_kind, side, level, beneficiary_id, sum(standard_premium)::text AS standard_premium,
              sum(weighted_credit)::text AS weighted_credit
         FROM coordination.credit_lines GROUP BY 1, 2, 3, 4, 5
        HAVING sum(standard_premium) <> 0 OR sum(weighted_credit) <> 0 ORDER BY 1, 2, 3, 4, 5`,
    ),
    servicing: await ds.query('SELECT subsidiary, policy_no, servicing_agent_id FROM coordination.policies ORDER BY 1, 2'),
    pending: await ds.query('SELECT subsidiary, policy_no, from_agent_id FROM coordination.credit_pending_reassignments ORDER BY 1, 2'),
    referrals: await ds.query('SELECT referral_id, status, policy_no FROM coordination.referral_index ORDER BY 1'),
    // The KPI scorecard reads the lines a late link or decision posted as well (rows that net to nothing left out).
    scorecard: (await scorecardsFrom(ds.manager, 'coordination.credit_lines', { level: 'agent', period: 'month', referralTable: null }))
      .filter((r) => r.crossSaleCount > 0 || [r.standardPremium, r.productStandardPremium, r.weightedKpiScore].some((v) => v !== '0.00')),
  };
}

/** Decisions withdrawn from the subsidiaries (ConflictSuperseded messages), with what replaces each. */
async function withdrawals(ds: DataSource) {
  const rows: Array<{ kind: string; outcome: string; addressee: string; replaced_by: string[] }> = await ds.query(
    `SELECT value::jsonb->'payload'->>'kind' AS kind, value::jsonb->'payload'->>'withdrawnOutcome' AS outcome, value::jsonb->>'subsidiary' AS addressee,
            ARRAY(SELECT jsonb_array_elements_text(value::jsonb->'payload'->'replacedBy')) AS replaced_by
       FROM coordination.outbox WHERE value::jsonb->>'type' = 'ConflictSuperseded' ORDER BY 1, 3`,
  );
  const replacements: Array<{ conflict_id: string; kind: string; status: string }> = rows.length === 0 ? [] : await ds.query(
    'SELECT conflict_id::text, kind, status FROM coordination.conflict_index WHERE conflict_id::text = ANY($1::text[])',
    [[...new Set(rows.flatMap((r) => r.replaced_by))]],
  );
  return rows.map((r) => ({ ...r, replaced_by: r.replaced_by.map((id) => replacements.find((c) => c.conflict_id === id)).map((c) => c && `${c.kind}/${c.status}`) }));
}

describe('the same events in different cross-partition orders', () => {
  it('give the same conflicts, credit lines and servicing agents', async () => {
    const outcomes: Record<string, Awaited<ReturnType<typeof outcomeOf>>> = {};
    for (const [name, order] of Object.entries(ORDERS)) outcomes[name] = await outcomeOf(order);
    const reference = outcomes['business order'];
    // Judged as of its filing, R-2 meets P&C's servicing agent, not R-1 (converted by then); the servicer keeps the client.
    // PH-8 bypassed R-8, live when it was issued (and converts it by party and line): the registration wins.
    // R-9B duplicates R-9A; PH-9 converts R-9A and bypassed it (R-9B, weighed against R-9A already, is settled).
    const award = (agentId: string) => expect.objectContaining({ mode: 'award', shares: [expect.objectContaining({ agentId, pct: '100.00' })] });
    // The broker's and the direct agent's quotes clash; the direct agent services the client's policy since before: it keeps the client.
    // R-12A was filed while the client was strategic only; R-12B met its relationship team (led by A-1001, its first servicer);
    // R-12C was filed once the life policy was cancelled: strategic only again (it only duplicates R-12B, still live).
    const ofR12 = reference.conflicts.filter((c) => c.referral_ids.some((id) => id.startsWith('R-12')));
    expect(ofR12.map((c) => [c.kind, c.referral_ids])).toEqual([
      ['duplicate-registration', ['R-12A', 'R-12B']], ['duplicate-registration', ['R-12B', 'R-12C']], ['strategic-account', ['R-12B']],
    ]);
    expect(ofR12[2].decision).toMatchObject({ mode: 'award', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }] });
    expect(reference.conflicts.filter((c) => !ofR12.includes(c))).toEqual([
      expect.objectContaining({ kind: 'channel-quote-clash', status: 'auto-resolved', referral_ids: [], decision: award('G-DIRECT-1') }),
      expect.objectContaining({ kind: 'duplicate-registration', status: 'auto-resolved', referral_ids: ['R-9A', 'R-9B'], decision: award('A-1001') }),
      expect.objectContaining({ kind: 'policy-vs-registration', status: 'auto-resolved', referral_ids: ['R-10'], decision: award('A-1001') }),
      expect.objectContaining({ kind: 'policy-vs-registration', status: 'auto-resolved', referral_ids: ['R-8'], decision: expect.objectContaining({ policyNo: 'PH-8' }) }),
      expect.objectContaining({ kind: 'policy-vs-registration', status: 'auto-resolved', referral_ids: ['R-9A'], decision: award('A-1001') }),
      expect.objectContaining({ kind: 'servicing-relationship', status: 'auto-resolved', referral_ids: ['R-2'], decision: award('P-2001') }),
    ]);
    const others = reference.conflicts.filter((c) => !ofR12.includes(c));
    expect(others[3].decision).toMatchObject({ shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }] });
    expect(others[5].decision).toMatchObject({ shares: [{ subsidiary: 'pnc', agentId: 'P-2001', pct: '100.00' }] });
    expect(reference.servicing).toEqual([
      { subsidiary: 'group', policy_no: 'PG-11', servicing_agent_id: 'G-DIRECT-1' },
      { subsidiary: 'group', policy_no: 'PG-12', servicing_agent_id: 'G-3001' },
      { subsidiary: 'life', policy_no: 'PL-12', servicing_agent_id: 'A-1001' },
      { subsidiary: 'pnc', policy_no: 'PH-8', servicing_agent_id: 'P-2000' },
      { subsidiary: 'pnc', policy_no: 'PH-9', servicing_agent_id: 'P-2000' },
      { subsidiary: 'pnc', policy_no: 'PM-1', servicing_agent_id: 'P-2000' },
      { subsidiary: 'pnc', policy_no: 'PM-10', servicing_agent_id: 'P-2000' },
      { subsidiary: 'pnc', policy_no: 'PM-2', servicing_agent_id: 'P-2000' },
    ]);
    expect(reference.referrals).toEqual([
      { referral_id: 'R-1', status: 'converted', policy_no: 'PM-1' },
      { referral_id: 'R-10', status: 'converted', policy_no: 'PM-10' },
      { referral_id: 'R-12A', status: 'registered', policy_no: null },
      { referral_id: 'R-12B', status: 'registered', policy_no: null },
      { referral_id: 'R-12C', status: 'registered', policy_no: null },
      { referral_id: 'R-2', status: 'converted', policy_no: 'PM-2' },
      { referral_id: 'R-8', status: 'converted', policy_no: 'PH-8' },
      { referral_id: 'R-9A', status: 'converted', policy_no: 'PH-9' },
      { referral_id: 'R-9B', status: 'registered', policy_no: null },
    ]);
    type Line = { policy_no: string; side: string; level: string; beneficiary_id: string };
    const salesAgents = (policyNo: string) =>
      reference.lines.filter((l: Line) => l.policy_no === policyNo && l.side === 'sales' && l.level === 'agent').map((l: Line) => l.beneficiary_id);
    expect(salesAgents('PM-1')).toEqual(['A-1001']);
    expect(salesAgents('PH-8')).toEqual(['A-1001']);
    expect(salesAgents('PH-9')).toEqual(['A-1001']);
    expect(salesAgents('PM-2')).toEqual(['P-2001']);
    expect(salesAgents('PM-10')).toEqual(['A-1001']);
    // PM-1, PH-8, PH-9 and PM-10 are A-1001's cross-sales (March); PM-2 is P&C's own.
    expect(reference.scorecard.filter((r) => r.crossSaleCount > 0).map((r) => [r.beneficiaryId, r.period, r.crossSaleCount])).toEqual([['A-1001', '2026-03', 4]]);
    // Decisions that went out and were superseded are withdrawn, naming what replaces them: R-2 first judged a
    // duplicate of R-1 (P-1 not seen yet), PH-9 first judged against R-9B (R-9A not seen yet), and R-12C first judged
    // against a top-strategic client (the cancellation not seen yet: nothing replaces that conflict).
    expect(reference.withdrawn).toEqual([]);
    const withdrawn = [
      ...['group', 'life', 'pnc'].map((addressee) =>
        ({ kind: 'duplicate-registration', outcome: 'award', addressee, replaced_by: ['servicing-relationship/auto-resolved'] })),
      ...['group', 'pnc'].map((addressee) =>
        ({ kind: 'policy-vs-registration', outcome: 'award', addressee, replaced_by: ['duplicate-registration/auto-resolved', 'policy-vs-registration/auto-resolved'] })),
      ...['life', 'pnc'].map((addressee) => ({ kind: 'strategic-account', outcome: 'award', addressee, replaced_by: [] })),
    ];
    const sorted = <W extends { kind: string; addressee: string }>(ws: W[]) => [...ws].sort((a, b) => `${a.kind}/${a.addressee}`.localeCompare(`${b.kind}/${b.addressee}`));
    for (const [name, { withdrawn: w, ...outcome }] of Object.entries(outcomes)) {
      expect({ order: name, ...outcome }).toEqual({ order: name, ...reference, withdrawn: undefined });
      if (name !== 'business order') expect({ order: name, w: sorted(w) }).toEqual({ order: name, w: sorted(withdrawn) });
    }
  });
});
