import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { ConflictCreditListener } from '../conflicts/conflict-credit.listener';
import { balancesByCreditKey, replayPolicy } from '../domain';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { CreditLedgerEvent, foldLedger, ledgerStreamId } from '../ledger/credit-ledger';
import { involvedAgents } from '../ledger/involved-agents';
import { CreditLinesProjection } from '../projections/credit-lines.projection';
import { KpiAsOfReader } from '../queries/kpi.as-of-reader';
import { scorecardsFrom } from '../queries/scorecards';
import { RuleCatalogue } from '../rules/rule-catalogue';
import { CreditingTestApp, startCreditingApp } from './crediting-test-app';
import { http, LIFE_AGENCY_TO_PNC, linesOf, minus, MOTOR_FACTOR, motorPolicy, netOf, onboardAgents, premium, times } from './crediting-fixtures';

const STANDARD = times('5000.00', MOTOR_FACTOR);
const LIFE_WEIGHTED = times(STANDARD, LIFE_AGENCY_TO_PNC);
const v2Clawback = [
  { subsidiary: 'life', freeLookDays: 15, afterWindow: 'pro-rata-unexpired' },
  { subsidiary: 'pnc', productLine: 'MOTOR', freeLookDays: 10, afterWindow: 'pro-rata-unexpired' },
  { subsidiary: 'pnc', freeLookDays: 0, afterWindow: 'pro-rata-unexpired' },
  { subsidiary: 'group', freeLookDays: 0, afterWindow: 'pro-rata-unexpired' },
];

describe('crediting: dual-side KPI credit from subsidiary events', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;
  const party = randomUUID();

  beforeAll(async () => {
    db = await createTestDatabase('crediting_flow');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-1', party);
    await onboardAgents(h);
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
  });

  it('credits both sides when a life agent refers a client to P&C and P&C issues a motor policy', async () => {
    h.conflicts.links.set('PP-1', { referralId: 'R-1', linkedBy: 'referralId', referrer: { subsidiary: 'life', agentId: 'A-1001', channel: 'AGENCY' } });
    await h.feed('PolicyIssued', 'pnc', motorPolicy('PP-1', 'PNC-1', { referralId: 'R-1' }));
    await h.settle();
    const lines = await linesOf(h, 'PP-1');
    expect(lines.map((l) => [l.side, l.level, l.beneficiary_id, l.subsidiary, l.team_id, l.branch_id, l.kpi_weight, l.weighted_credit])).toEqual([
      ['sales', 'agent', 'A-1001', 'life', 'L-T1', 'L-B1', '0.1000', LIFE_WEIGHTED],
      ['sales', 'team', 'L-T1', 'life', 'L-T1', 'L-B1', '0.1000', LIFE_WEIGHTED],
      ['sales', 'branch', 'L-B1', 'life', 'L-T1', 'L-B1', '0.1000', LIFE_WEIGHTED],
      ['sales', 'subsidiary', 'life', 'life', 'L-T1', 'L-B1', '0.1000', LIFE_WEIGHTED],
      ['product', 'subsidiary', 'pnc', 'pnc', null, null, '1.0000', STANDARD],
    ]);
    expect(lines.map((l) => `${l.kind}:${l.standard_premium}`)).toEqual(Array(5).fill(`credit:${STANDARD}`));
  });

  it('shows the cross-sale on the scorecards of the agent and of both subsidiaries', async () => {
    await referral('R-1', 'converted', '2026-03-02T10:00:00+08:00');
    await referral('R-2', 'registered', '2026-03-20T10:00:00+08:00');
    const agents = await http(h).get('/v1/kpi/scorecards?level=agent&period=month&from=2026-03&to=2026-03', 'coordinator').expect(200);
    expect(agents.body.items).toEqual([expect.objectContaining({
      beneficiaryId: 'A-1001', period: '2026-03', subsidiary: 'life', standardPremium: STANDARD, crossSaleCount: 1, crossSalePremium: '5000.00',
      crossSaleStandardPremium: STANDARD, weightedKpiScore: LIFE_WEIGHTED, referralsMade: 2, referralsConverted: 1, referralConversionRate: '0.5000',
    })]);
    const subs = await http(h).get('/v1/kpi/scorecards?level=subsidiary&period=quarter', 'auditor').expect(200);
    expect(subs.body.items.map((r: Record<string, unknown>) => [r.beneficiaryId, r.period, r.standardPremium, r.productStandardPremium, r.weightedKpiScore])).toEqual([
      ['life', '2026-Q1', STANDARD, '0.00', LIFE_WEIGHTED],
      ['pnc', '2026-Q1', '0.00', STANDARD, STANDARD],
    ]);
  });

  it('computes the same scorecards over a copy of the table (what an as-of read replays into)', async () => {
    const live = await scorecardsFrom(h.dataSource.manager, 'coordination.credit_lines', { level: 'team', period: 'month' });
    const copied = await h.dataSource.transaction(async (manager) => {
      await manager.query('CREATE TEMP TABLE scratch_credit_lines (LIKE coordination.credit_lines INCLUDING ALL) ON COMMIT DROP');
      await manager.query('INSERT INTO scratch_credit_lines SELECT * FROM coordination.credit_lines');
      const viaReader = await new KpiAsOfReader().read(manager, () => 'pg_temp.scratch_credit_lines', { level: 'team', period: 'month', asOf: '2030-01-01T00:00:00Z' });
      expect(viaReader.items).toEqual(live);
      return scorecardsFrom(manager, 'pg_temp.scratch_credit_lines', { level: 'team', period: 'month', referralTable: null });
    });
    expect(copied).toEqual(live);
    expect(copied.map((r) => [r.beneficiaryId, r.weightedKpiScore])).toEqual([['L-T1', LIFE_WEIGHTED]]);
  });

  it("limits a subsidiary to its own people's lines", async () => {
    const own = await http(h).get('/v1/kpi/credits?policyNo=PP-1', 'subsidiary:life').expect(200);
    expect(own.body.items.map((i: { subsidiary: string }) => i.subsidiary)).toEqual(['life', 'life', 'life', 'life']);
    await http(h).get('/v1/kpi/credits?subsidiary=pnc', 'subsidiary:life').expect(403);
  });

  it('claws back both sides in full when the policy is cancelled within the free-look window', async () => {
    const published = await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'v2', effectiveFrom: '2026-01-01', clawback: v2Clawback }).expect(201);
    expect(published.body.recalculation).toEqual({ recalculationId: 'rules-v2', affectedPolicies: 1, mode: 'inline', status: 'done' });
    await h.feed('PolicyIssued', 'pnc', motorPolicy('PP-2', 'PNC-1', { sellingAgentId: 'A-1001', servicingAgentId: 'A-1001', effectiveDate: '2026-04-01', expiryDate: '2027-03-31' }));
    await h.feed('PolicyCancelled', 'pnc', { policyNo: 'PP-2', effectiveDate: '2026-04-06', reason: 'cooling-off withdrawal' });
    await h.settle();
    expect(Object.values(await netOf(h, 'PP-2'))).toEqual(['0.00/0.00', '0.00/0.00', '0.00/0.00', '0.00/0.00', '0.00/0.00']);
    const reversals = (await linesOf(h, 'PP-2')).filter((l) => l.kind === 'reversal');
    expect(reversals.map((l) => l.reason.includes('within the 10-day free-look window'))).toEqual([true, true, true, true, true]);
    const card = await http(h).get('/v1/kpi/scorecards?level=agent&from=2026-04&to=2026-04', 'coordinator').expect(200);
    expect(card.body.items).toEqual([expect.objectContaining({ beneficiaryId: 'A-1001', standardPremium: '0.00', weightedKpiScore: '0.00', crossSaleCount: 1, crossSaleClawbacks: 1 })]);
  });

  it('re-prices history with adjustment lines when a retroactive rule set is published; the ledger equals a recomputation', async () => {
    const crossSaleWeights = [{ sellingSubsidiary: 'life', sellingChannel: 'AGENCY', productSubsidiary: 'pnc', weight: '0.20' }];
    const published = await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'v3', effectiveFrom: '2026-01-01', crossSaleWeights }).expect(201);
    expect(published.body.recalculation).toMatchObject({ affectedPolicies: 2, mode: 'inline', status: 'done' });
    await h.settle();
    const adjustments = (await linesOf(h, 'PP-1')).filter((l) => l.kind === 'adjustment');
    expect(adjustments.map((l) => [l.level, l.weighted_credit, l.kpi_weight, l.reverses_line_id?.split('|')[3]])).toEqual([
      ['agent', LIFE_WEIGHTED, '0.2000', 'agent'], ['team', LIFE_WEIGHTED, '0.2000', 'team'],
      ['branch', LIFE_WEIGHTED, '0.2000', 'branch'], ['subsidiary', LIFE_WEIGHTED, '0.2000', 'subsidiary'],
    ]);
    for (const policyNo of ['PP-1', 'PP-2']) expect(await ledgerBalances(policyNo)).toEqual(await recomputedBalances(policyNo));
  });

  it('hands an orphaned policy to the team leader, and the next renewal credits the new servicing agent', async () => {
    await h.feed('AgentTerminated', 'pnc', { agentId: 'P-2001', effectiveDate: '2026-06-30', reason: 'resigned' });
    const [policy] = await h.dataSource.query(`SELECT servicing_agent_id FROM coordination.policies WHERE subsidiary = 'pnc' AND policy_no = 'PP-1'`);
    expect(policy.servicing_agent_id).toBe('P-2000');
    const stream = await h.store.readStream('policy-pnc-PP-1');
    expect(stream.at(-1)).toMatchObject({ type: 'PolicyServicingReassigned', data: { fromAgentId: 'P-2001', toAgentId: 'P-2000', rule: 'team-leader' } });
    // The subsidiary's system still names the agent who left: renewal credit follows the reassignment (续保递归).
    await h.feed('PolicyRenewed', 'pnc', { policyNo: 'PP-1', newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: premium('4800.00'), servicingAgentId: 'P-2001' });
    await h.settle();
    const renewal = (await linesOf(h, 'PP-1')).filter((l) => l.transaction_kind === 'Renewed' && l.side === 'sales');
    expect(renewal.map((l) => [l.level, l.beneficiary_id, l.kpi_weight, l.weighted_credit])).toEqual([
      ['agent', 'P-2000', '1.0000', times('4800.00', MOTOR_FACTOR)], ['team', 'P-T1', '1.0000', times('4800.00', MOTOR_FACTOR)],
      ['branch', 'P-B1', '1.0000', times('4800.00', MOTOR_FACTOR)], ['subsidiary', 'pnc', '1.0000', times('4800.00', MOTOR_FACTOR)],
    ]);
  });

  it('lets the credited side dispute a line and a coordinator uphold it with an adjustment', async () => {
    const [line] = (await linesOf(h, 'PP-1')).filter((l) => l.level === 'agent' && l.kind === 'credit' && l.beneficiary_id === 'A-1001');
    await http(h).post('/v1/kpi/disputes', 'subsidiary:pnc', { lineId: line.line_id, reason: 'not ours' }).expect(403);
    const filed = await http(h).post('/v1/kpi/disputes', 'subsidiary:life', { lineId: line.line_id, reason: 'premium was 5500, not 5000' }).expect(201);
    expect(filed.body).toMatchObject({ lineId: line.line_id, status: 'open', subsidiary: 'life', policyNo: 'PP-1' });
    expect((await http(h).get('/v1/kpi/disputes', 'subsidiary:pnc').expect(200)).body.items).toEqual([]);
    const resolved = await http(h).post(`/v1/admin/disputes/${filed.body.disputeId}/resolution`, 'coordinator', { outcome: 'uphold', standardPremiumDelta: '300.00', reason: 'policy schedule shows 5500' }).expect(200);
    expect(resolved.body).toMatchObject({ status: 'upheld', resolution: { outcome: 'uphold', standardPremiumDelta: '300.00' } });
    await http(h).post(`/v1/admin/disputes/${filed.body.disputeId}/resolution`, 'coordinator', { outcome: 'reject', reason: 'again' }).expect(409);
    await h.settle();
    const [upheld] = (await linesOf(h, 'PP-1')).filter((l) => l.origin === 'dispute');
    expect(upheld).toMatchObject({ kind: 'adjustment', beneficiary_id: 'A-1001', standard_premium: '300.00', weighted_credit: times('300.00', '0.20'), reverses_line_id: line.line_id });
    expect((await http(h).get('/v1/kpi/disputes?status=upheld', 'subsidiary:life').expect(200)).body.items).toHaveLength(1);
  });

  it('exports the credit lines as CSV, by Accept header or ?format=csv', async () => {
    const json = await http(h).get('/v1/kpi/credits?policyNo=PP-1&limit=1000', 'coordinator').expect(200);
    const csv = await http(h).get('/v1/kpi/credits?policyNo=PP-1', 'coordinator').set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const records = csv.text.trimEnd().split('\r\n');
    expect(records[0].split(',').slice(0, 3)).toEqual(['lineId', 'creditKey', 'kind']);
    expect(records.slice(1).map((r) => r.split(',')[0])).toEqual(json.body.items.map((i: { lineId: string }) => i.lineId));
    expect((await http(h).get('/v1/kpi/credits?policyNo=PP-1&format=csv', 'coordinator').expect(200)).text).toBe(csv.text);
  });

  it('pages through credit lines with a cursor', async () => {
    const all = (await http(h).get('/v1/kpi/credits?policyNo=PP-1&limit=1000', 'coordinator').expect(200)).body.items.map((i: { lineId: string }) => i.lineId);
    const first = await http(h).get('/v1/kpi/credits?policyNo=PP-1&limit=3', 'coordinator').expect(200);
    const second = await http(h).get(`/v1/kpi/credits?policyNo=PP-1&limit=1000&cursor=${first.body.nextCursor}`, 'coordinator').expect(200);
    expect([...first.body.items, ...second.body.items].map((i: { lineId: string }) => i.lineId)).toEqual(all);
    expect(second.body.nextCursor).toBeNull();
  });

  it('withholds the sales leg while a conflict is queued and re-credits it when the coordinator decides', async () => {
    h.conflicts.decisions.set('PP-3', { status: 'pending', conflictId: 'C-1' });
    await h.feed('PolicyIssued', 'pnc', motorPolicy('PP-3', 'PNC-1', { sellingAgentId: 'P-2002', servicingAgentId: 'P-2002', effectiveDate: '2026-05-01', expiryDate: '2027-04-30' }));
    await h.settle();
    expect((await linesOf(h, 'PP-3')).map((l) => `${l.side}/${l.level}`)).toEqual(['product/subsidiary']);
    const listener = h.app.get(ConflictCreditListener);
    const decision = { conflictId: 'C-1', policyNo: 'PP-3', productSubsidiary: 'pnc' as const, partyId: party, productLine: 'MOTOR', mode: 'award' as const, shares: [{ subsidiary: 'life' as const, agentId: 'A-1001', pct: '100.00' }] };
    await h.dataSource.transaction((manager) => listener.onResolved(decision, {
      manager, metadata: { actor: 'coordinator:test' }, eventId: (...q) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'conflict-C-1', ...q),
    }));
    await h.settle();
    const net = await netOf(h, 'PP-3');
    expect(net['sales/agent']).toBe(`${STANDARD}/${times(STANDARD, '0.20')}`);
    expect((await linesOf(h, 'PP-3')).find((l) => l.level === 'agent')).toMatchObject({ beneficiary_id: 'A-1001', kind: 'adjustment', subsidiary: 'life', team_id: 'L-T1' });
    expect(minus(STANDARD, net['product/subsidiary'].split('/')[0])).toBe('0.00');
  });

  it('rebuilds credit_lines from the ledger events alone, equal to the live table', async () => {
    await h.settle();
    const projection = h.app.get(CreditLinesProjection);
    const ledgers: Array<{ subsidiary: string; policy_no: string }> = await h.dataSource.query('SELECT subsidiary, policy_no FROM coordination.credit_ledgers');
    const diff = await h.dataSource.transaction(async (manager) => {
      await manager.query('CREATE TEMP TABLE rebuilt_credit_lines (LIKE coordination.credit_lines INCLUDING ALL) ON COMMIT DROP');
      for (const ledger of ledgers) {
        const events = (await h.store.readStream(ledgerStreamId(ledger.subsidiary, ledger.policy_no), { manager })).filter((e) => projection.types.includes(e.type));
        await projection.apply(events, { manager, table: () => 'pg_temp.rebuilt_credit_lines' });
      }
      const except = (a: string, b: string) => `(SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT SELECT * FROM ${b}) d)::int`;
      const [row] = await manager.query(`SELECT ${except('coordination.credit_lines', 'pg_temp.rebuilt_credit_lines')} AS missing,
        ${except('pg_temp.rebuilt_credit_lines', 'coordination.credit_lines')} AS extra, (SELECT count(*) FROM pg_temp.rebuilt_credit_lines)::int AS rows`);
      return row;
    });
    expect(diff).toEqual({ missing: 0, extra: 0, rows: Number((await h.dataSource.query('SELECT count(*) AS n FROM coordination.credit_lines'))[0].n) });
    expect(diff.rows).toBeGreaterThan(30);
  });

  async function referral(referralId: string, status: string, registeredAt: string): Promise<void> {
    await h.dataSource.query(
      `INSERT INTO coordination.referral_view (referral_id, party_id, product_line, product_subsidiary, referring_subsidiary, referring_agent_id,
         referring_channel, status, registered_at, window_ends_at, updated_position)
       VALUES ($1, $2, 'MOTOR', 'pnc', 'life', 'A-1001', 'AGENCY', $3, $4, $4::timestamptz + interval '30 days', 'test')`,
      [referralId, party, status, registeredAt],
    );
  }

  async function ledgerBalances(policyNo: string): Promise<Map<string, string>> {
    const rows: Array<{ credit_key: string; w: string }> = await h.dataSource.query(
      `SELECT credit_key, sum(weighted_credit)::text AS w FROM coordination.credit_lines WHERE policy_no = $1 AND product_subsidiary = 'pnc'
        GROUP BY credit_key HAVING sum(weighted_credit) <> 0 ORDER BY credit_key`,
      [policyNo],
    );
    return new Map(rows.map((r) => [r.credit_key, r.w]));
  }

  async function recomputedBalances(policyNo: string): Promise<Map<string, string>> {
    const recorded = await h.store.readStream(ledgerStreamId('pnc', policyNo));
    const state = foldLedger(recorded.map((e) => ({ type: e.type, data: e.data }) as CreditLedgerEvent));
    const context = await h.dataSource.transaction(async (manager) => ({
      timeline: await h.app.get(RuleCatalogue).timelineFor(manager),
      hierarchy: await h.app.get(HierarchyLoader).load(manager, involvedAgents(state)),
    }));
    const replayed = replayPolicy(state.items, context);
    return new Map([...balancesByCreditKey(replayed.lines.values())].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
});
