import { catchUpBeforeCoordinationWaves, waitForCatchUp } from './catch-up';
import { parseCliArgs, UsageError } from './cli-args';
import type { Endpoints } from './client';
import { generatePlan } from './generate';
import { renderProgress } from './progress';
import { CoordinationReader } from './reader';
import { collectSummary } from './summary';
import { formatSummary } from './summary-format';
import type { Plan, PlannedRequest } from './types';

const ENDPOINTS: Endpoints = { life: 'http://life', pnc: 'http://pnc', group: 'http://group', coordination: 'http://coord' };
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A coordination service that resolved every record perfectly: one party per generated
 * entity, holdings as the ground truth says, one scorecard row per subsidiary.
 */
const view = (e: Plan['entities'][number]) => ({
  partyId: `00000000-0000-4000-8000-${String(e.id).padStart(12, '0')}`, status: 'active', mergedInto: null,
  holdings: e.holderSubsidiaries.map((s, k) => ({ subsidiary: s, role: 'holder', policyNo: `${s.toUpperCase()}-${e.id}-${k}`, productLine: 'accident', status: 'in_force' })),
});

function perfectCoordination(plan: Plan): typeof fetch {
  const byRecord = new Map<string, Plan['entities'][number]>(plan.entities.flatMap((e) => e.records.map((r) => [`${r.subsidiary}:${r.localId}`, e] as const)));
  return (async (url: string) => {
    const u = new URL(url);
    if (u.pathname === '/v1/clients') {
      const e = byRecord.get(`${u.searchParams.get('subsidiary')}:${u.searchParams.get('localId')}`);
      return e ? json(view(e)) : json({ code: 'CLIENT_NOT_FOUND' }, 404);
    }
    if (u.pathname === '/v1/kpi/scorecards') {
      const items = u.searchParams.get('level') === 'subsidiary'
        ? ['life', 'pnc'].flatMap((s) => ['2025', '2026'].map((period) => ({ beneficiaryId: s, subsidiary: s, period, standardPremium: '100.50', productStandardPremium: '10.25', crossSaleCount: 2, crossSaleStandardPremium: '5.00', weightedKpiScore: '50.10' })))
        : [{ beneficiaryId: 'LA-00001', subsidiary: 'life', period: '2025', standardPremium: '9.00', productStandardPremium: '0.00', crossSaleCount: 1, crossSaleStandardPremium: '1.00', weightedKpiScore: '9.90' }];
      return json({ items });
    }
    if (u.pathname === '/v1/admin/conflicts') return json({ items: [], total: u.searchParams.get('status') === 'queued' ? 3 : 1 });
    if (u.pathname === '/v1/referrals') return json({ items: [], total: 4 });
    return json({ code: 'ROUTE_NOT_FOUND' }, 404);
  }) as unknown as typeof fetch;
}

describe('collectSummary', () => {
  const plan = generatePlan({ clients: 300, agents: 30, branches: 6, seed: 3 });

  it('finds one party per generated client and the generated cross-sale rate when resolution is perfect', async () => {
    const summary = await collectSummary(plan, ENDPOINTS, { coordinator: 'k' }, { fetch: perfectCoordination(plan), sampleSize: 10_000 });
    expect(summary.identity).toMatchObject({
      sampled: plan.entities.length, observedParties: plan.entities.length, extrapolatedParties: plan.truth.expectedPartyCount,
      splitEntities: 0, sharedParties: 0, unresolvedRecords: 0, observedCrossSale: plan.truth.expectedCrossSaleClients, observedHolders: plan.truth.holders,
    });
    expect(summary.credits).toEqual([
      { subsidiary: 'life', salesStandardPremium: '201.00', productStandardPremium: '20.50', crossSaleCount: 4, crossSaleStandardPremium: '10.00', weightedKpiScore: '100.20' },
      { subsidiary: 'pnc', salesStandardPremium: '201.00', productStandardPremium: '20.50', crossSaleCount: 4, crossSaleStandardPremium: '10.00', weightedKpiScore: '100.20' },
    ]);
    expect(summary.conflicts.byStatus.queued).toBe(3);
    expect(summary.topAgents?.[0]).toMatchObject({ agentId: 'LA-00001', weightedKpiScore: '9.90' });
    const example = summary.identity.crossSoldExample!;
    expect(new Set(example.holdings.map((h) => h.subsidiary)).size).toBeGreaterThan(1);
    const entity = plan.entities.find((e) => view(e).partyId === example.partyId)!;
    expect(entity.holderSubsidiaries.length).toBeGreaterThan(1);
    const text = formatSummary(summary);
    expect(text).toContain(`e.g. GET /v1/clients/${example.partyId} (holds ${[...new Set(entity.holderSubsidiaries)].join(' + ')})`);
    expect(text).toContain('parties (distinct clients)');
    expect(text).toContain('channel-quote-clash');
  });

  it('extrapolates from a sample and says so', async () => {
    const summary = await collectSummary(plan, ENDPOINTS, { coordinator: 'k' }, { fetch: perfectCoordination(plan), sampleSize: 50 });
    expect(summary.identity.sampled).toBe(50);
    expect(summary.identity.extrapolatedParties).toBe(plan.entities.length);
    expect(formatSummary(summary)).toContain(`sample of 50 of ${plan.entities.length}`);
  });
});

describe('waitForCatchUp', () => {
  const sent: PlannedRequest[] = [
    { seq: 0, wave: 0, service: 'life', as: 'life', method: 'POST', path: '/v1/clients', body: { localId: 'LIFE-1' }, idempotencyKey: 'k0', kind: 'RegisterClient' },
    { seq: 1, wave: 1, service: 'life', as: 'life', method: 'POST', path: '/v1/policies', body: { policyNo: 'LP-1', holderLocalId: 'LIFE-1' }, idempotencyKey: 'k1', kind: 'IssuePolicy' },
  ];

  it('waits until the last client and policy show, then for two identical snapshots', async () => {
    let clock = 0;
    let lookups = 0;
    let conflicts = 0;
    const impl = (async (url: string) => {
      const u = new URL(url);
      if (u.pathname === '/v1/clients') return ++lookups < 3 ? json({}, 404) : json({ partyId: 'p', holdings: lookups < 6 ? [] : [{ policyNo: 'LP-1' }] });
      if (u.pathname === '/v1/admin/conflicts') return json({ total: Math.min(++conflicts, 2) });
      return json({ items: [], total: 0 });
    }) as unknown as typeof fetch;
    const reader = new CoordinationReader('http://coord', 'k', { fetch: impl });
    const result = await waitForCatchUp(reader, sent, { now: () => clock, sleep: async (ms) => void (clock += ms), pollMs: 1000 });
    expect(result).toMatchObject({ caughtUp: true, pending: [] });
    expect(lookups).toBeGreaterThanOrEqual(6);
    expect(conflicts).toBe(4);
  });

  it('waits only before waves that write to the coordination service', async () => {
    const urls: string[] = [];
    const impl = (async (url: string) => (urls.push(url), json({ partyId: 'p', holdings: [{ policyNo: 'LP-1' }], items: [], total: 0 }))) as unknown as typeof fetch;
    const hook = catchUpBeforeCoordinationWaves(new CoordinationReader('http://coord', 'k', { fetch: impl }), sent, { sleep: async () => undefined });
    await hook(1, [sent[1]]);
    expect(urls).toEqual([]);
    await hook(2, [{ ...sent[0], service: 'coordination', kind: 'MarkReferralLost' }]);
    expect(urls.some((u) => u.includes('localId=LIFE-1'))).toBe(true);
  });

  it('keeps waiting past the deadline while the consumer lag goes down, and gives up once it stalls', async () => {
    let clock = 0;
    let lag = 10;
    const impl = (async (url: string) => {
      const u = new URL(url);
      if (u.pathname === '/metrics') {
        return new Response(`# TYPE consumer_lag_messages gauge\nconsumer_lag_messages{topic="a",partition="0"} ${lag}\nconsumer_lag_messages{topic="b",partition="0"} 1\n`, { status: 200 });
      }
      lag = Math.max(0, lag - 1); // one event drained per poll, the probes never show
      return json({}, 404);
    }) as unknown as typeof fetch;
    const reader = new CoordinationReader('http://coord', 'k', { fetch: impl });
    const statuses: string[] = [];
    const result = await waitForCatchUp(reader, sent, { now: () => clock, sleep: async (ms) => void (clock += ms), pollMs: 1000, deadlineMs: 3000, onStatus: (m) => statuses.push(m) });
    expect(result.caughtUp).toBe(false);
    // 2 probes per poll drain 2 events: progress for ~5 polls, then 3 s without progress.
    expect(result.waitedMs).toBeGreaterThan(3000 + 3000);
    expect(statuses[0]).toMatch(/\(\d+ events behind\)/);
    expect(statuses.at(-1)).toContain('(1 events behind)');
  });

  it('gives up at the deadline and names what it never saw', async () => {
    let clock = 0;
    const impl = (async () => json({}, 404)) as unknown as typeof fetch;
    const reader = new CoordinationReader('http://coord', 'k', { fetch: impl });
    const result = await waitForCatchUp(reader, sent, { now: () => clock, sleep: async (ms) => void (clock += ms), deadlineMs: 5000 });
    expect(result).toMatchObject({ caughtUp: false, pending: ['life client LIFE-1', 'life policy LP-1'] });
  });
});

describe('the command line', () => {
  it('reads sizes, seed, URLs and switches', () => {
    const cli = parseCliArgs(['--clients', '500', '--seed=9', '--base-url-life', 'http://10.0.0.1:4001/', '--summary-only', '--concurrency', '4']);
    expect(cli.plan).toMatchObject({ clients: 500, seed: 9, agents: 2000 });
    expect(cli.endpoints.life).toBe('http://10.0.0.1:4001');
    expect(cli).toMatchObject({ summaryOnly: true, concurrency: 4 });
  });

  it.each([[['--clients']], [['--clients', 'many']], [['--frobnicate']], [['--base-url-life', 'localhost']]])('rejects %j', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
  });

  it('renders a progress line with rate and ETA', () => {
    const line = renderProgress({ done: 500, total: 1000, wave: 3, waves: 10, retries: 1, problems: 0, failures: 0, elapsedMs: 10_000 }, 10);
    expect(line).toBe('[#####-----] 500/1,000 50.0% | 50 req/s | ETA 00:10 | wave 3/10 | retries 1 | 4xx 0 | failed 0');
  });
});
