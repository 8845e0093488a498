
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import { Scheduler } from '../../infrastructure/scheduling/scheduler';
import { ledgerStreamId } from '../ledger/credit-ledger';
import { CreditRecalculationTask } from '../rules/recalculation.task';
import { CreditingTestApp, startCreditingApp } from './crediting-test-app';
import { http, LIFE_AGENCY_TO_PNC, linesOf, minus, MOTOR_FACTOR, motorPolicy, onboardAgents, times } from './crediting-fixtures';

const STANDARD = times('5000.00', MOTOR_FACTOR);

describe('crediting: rule sets, shadow runs, background re-pricing and coordinator reassignment', () => {
  let db: TestDatabase;
  let h: CreditingTestApp;
  const problem = (issues: Array<{ field: string; message: string }>) => issues.map((i) => `${i.field} ${i.message.split(':')[0]}`);

  beforeAll(async () => {
    // Every publication goes to the background job here; the flow test covers the inline path.
    process.env.CREDIT_RECALC_INLINE_LIMIT = '0';
    db = await createTestDatabase('crediting_rules');
    h = await startCreditingApp(db.url);
    await h.linkParty('pnc', 'PNC-1', randomUUID());
    await onboardAgents(h);
  });

  afterAll(async () => {
    delete process.env.CREDIT_RECALC_INLINE_LIMIT;
    await h?.close();
    await db?.drop();
  });

  it('refuses publication by a coordinator and malformed drafts (400)', async () => {
    expect((await http(h).get('/v1/admin/credit-rules', 'coordinator').expect(200)).body).toEqual({ timeline: [], publications: [] });
    await http(h).post('/v1/admin/credit-rules', 'coordinator', { version: 'v2', effectiveFrom: '2026-01-01' }).expect(403);
    const malformed = await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'v2', effectiveFrom: 20260101 }).expect(400);
    expect(malformed.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers 422 with issue paths for a gap, a weight out of range and an empty period, publishing nothing', async () => {
    const gap = await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'gap', effectiveFrom: '2019-01-01', effectiveTo: '2019-06-01' }).expect(422);
    expect(gap.body.code).toBe('CREDIT_RULE_SET_INVALID');
    expect(problem(gap.body.errors)).toEqual(['ruleSets[gap].effectiveTo gap']);
    const heavy = { version: 'heavy', effectiveFrom: '2026-09-01', crossSaleWeights: [{ sellingSubsidiary: 'life', productSubsidiary: 'pnc', weight: '1.50' }] };
    expect(problem((await http(h).post('/v1/admin/credit-rules', 'admin', heavy).expect(422)).body.errors)).toEqual(['crossSaleWeights[0].weight out_of_range']);
    const empty = await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'empty', effectiveFrom: '2026-09-01', effectiveTo: '2026-09-01' }).expect(422);
    expect(problem(empty.body.errors)).toEqual(expect.arrayContaining(['effectiveTo empty_period']));
    expect((await http(h).get('/v1/admin/credit-rules', 'admin').expect(200)).body.publications).toEqual([]);
  });

  it('shadow-runs a draft over the book: per-agent and per-subsidiary differences, nothing published', async () => {
    await h.feed('PolicyIssued', 'pnc', motorPolicy('PP-1', 'PNC-1', { sellingAgentId: 'A-1001' }));
    const draft = { version: 'draft', effectiveFrom: '2026-01-01', crossSaleWeights: [{ sellingSubsidiary: 'life', sellingChannel: 'AGENCY', productSubsidiary: 'pnc', weight: '0.30' }] };
    const report = (await http(h).post('/v1/admin/credit-rules/shadow-run', 'coordinator', draft).expect(200)).body;
    const current = times(STANDARD, LIFE_AGENCY_TO_PNC);
    const proposed = times(STANDARD, '0.30');
    const diff = { current: { standardPremium: STANDARD, weightedCredit: current }, draft: { standardPremium: STANDARD, weightedCredit: proposed }, delta: { standardPremium: '0.00', weightedCredit: minus(proposed, current) } };
    expect(report).toEqual({
      draftVersion: 'draft', policies: 1,
      perAgent: [{ side: 'sales', level: 'agent', beneficiaryId: 'A-1001', ...diff }],
      perSubsidiary: [{ side: 'sales', level: 'subsidiary', beneficiaryId: 'life', ...diff }],
    });
    expect((await http(h).get('/v1/admin/credit-rules', 'coordinator').expect(200)).body.publications.map((p: { version: string }) => p.version)).toEqual(['v1']);
  });

  it('queues re-pricing beyond the inline limit as a durable job that the scheduled task works off', async () => {
    const crossSaleWeights = [{ sellingSubsidiary: 'life', sellingChannel: 'AGENCY', productSubsidiary: 'pnc', weight: '0.20' }];
    const published = await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'v2', effectiveFrom: '2026-01-01', crossSaleWeights }).expect(201);
    expect(published.body.recalculation).toEqual({ recalculationId: 'rules-v2', affectedPolicies: 1, mode: 'background', status: 'running' });
    expect(published.body.timeline.map((s: { version: string; effectiveFrom: string; effectiveTo: string | null }) => [s.version, s.effectiveFrom, s.effectiveTo]))
      .toEqual([['v1', '2020-01-01', '2026-01-01'], ['v2', '2026-01-01', null]]);
    await h.settle();
    expect((await linesOf(h, 'PP-1')).filter((l) => l.kind === 'adjustment')).toEqual([]);
    expect(await h.app.get(Scheduler).tick(h.app.get(CreditRecalculationTask))).toBe(true);
    const [job] = await h.dataSource.query(`SELECT status, processed, total FROM coordination.credit_recalculation_jobs WHERE recalculation_id = 'rules-v2'`);
    expect(job).toEqual({ status: 'done', processed: 1, total: 1 });
    await h.settle();
    const adjustments = (await linesOf(h, 'PP-1')).filter((l) => l.kind === 'adjustment');
    expect(adjustments.map((l) => [l.level, l.weighted_credit])).toEqual(['agent', 'team', 'branch', 'subsidiary'].map((level) => [level, times(STANDARD, '0.10')]));
  });

  it("leaves a leaver's policies to a coordinator under the coordinator rule, who hands them on", async () => {
    await http(h).post('/v1/admin/credit-rules', 'admin', { version: 'v3', effectiveFrom: '2026-06-01', orphanRule: 'coordinator' }).expect(201);
    await h.feed('AgentTerminated', 'pnc', { agentId: 'P-2001', effectiveDate: '2026-07-01', reason: 'resigned' });
    const pending = await http(h).get('/v1/admin/agents/P-2001/reassignment', 'coordinator').expect(200);
    expect(pending.body.items).toEqual([{ subsidiary: 'pnc', policyNo: 'PP-1', fromAgentId: 'P-2001', reason: 'rule: coordinator decides', since: '2026-07-01' }]);
    expect((await h.store.readStream(ledgerStreamId('pnc', 'PP-1'))).map((e) => e.type)).toContain('ServicingReassignmentPending');
    await http(h).post('/v1/admin/agents/P-2001/reassignment', 'coordinator', { toAgentId: 'P-2001', reason: 'x' }).expect(422);
    await http(h).post('/v1/admin/agents/P-2001/reassignment', 'coordinator', { toAgentId: 'P-2002', policyNos: ['PP-9'], reason: 'x' }).expect(404);
    await http(h).post('/v1/admin/agents/P-2001/reassignment', 'auditor', { toAgentId: 'P-2002', reason: 'x' }).expect(403);
    const done = await http(h).post('/v1/admin/agents/P-2001/reassignment', 'coordinator', { toAgentId: 'P-2002', reason: 'same team, knows the client' }).expect(200);
    expect(done.body).toMatchObject({ fromAgentId: 'P-2001', toAgentId: 'P-2002', reassigned: [{ subsidiary: 'pnc', policyNo: 'PP-1' }] });
    expect((await http(h).get('/v1/admin/agents/P-2001/reassignment', 'coordinator').expect(200)).body.items).toEqual([]);
    const [row] = await h.dataSource.query(`SELECT servicing_agent_id FROM coordination.policies WHERE subsidiary = 'pnc' AND policy_no = 'PP-1'`);
    expect(row.servicing_agent_id).toBe('P-2002');
    const last = (await h.store.readStream('policy-pnc-PP-1')).at(-1)!;
    expect(last).toMatchObject({ type: 'PolicyServicingReassigned', data: { toAgentId: 'P-2002', rule: 'coordinator' } });
    expect(last.metadata.actor).not.toMatch(/^subsidiary:/);
  });
});
