import type { Subsidiary } from '@lib/contracts';
import { DEFAULT_CATALOGUES, productByCode } from './catalogues';
import { needsOf, providesOf } from './dependencies';
import { generatePlan } from './generate';
import type { Plan, PlannedRequest } from './types';

type Body = Record<string, any>;
const body = (r: PlannedRequest) => r.body as Body;

let plan: Plan;
beforeAll(() => {
  plan = generatePlan({ clients: 3000, agents: 120, branches: 12, seed: 23, months: 12, start: '2025-07-01' });
});

describe('generatePlan: prerequisites before dependants', () => {
  it('sends every request after (in an earlier wave than) everything it refers to', () => {
    const providedIn = new Map<string, number>();
    for (const r of plan.requests) {
      const key = providesOf(r);
      if (key === null) continue;
      expect(providedIn.has(key)).toBe(false);
      providedIn.set(key, r.wave);
    }
    const late = plan.requests.flatMap((r) => needsOf(r).filter((k) => !(providedIn.get(k)! < r.wave)).map((k) => `${r.kind} ${r.path} needs ${k}`));
    expect(late.slice(0, 5)).toEqual([]);
  });

  it('lists requests in wave order', () => {
    expect(plan.requests.every((r, i) => i === 0 || plan.requests[i - 1].wave <= r.wave)).toBe(true);
    expect(plan.requests.every((r, i) => r.seq === i)).toBe(true);
  });

  it('never lets an agent act after the wave it leaves in, nor before it joins', () => {
    const joined = new Map<string, number>();
    const left = new Map<string, number>();
    for (const r of plan.requests) {
      if (r.kind === 'OnboardAgent') joined.set(`${r.service}:${body(r).agentId}`, r.wave);
      if (r.kind === 'TerminateAgent') left.set(`${r.service}:${r.target}`, r.wave);
    }
    const acting = (r: PlannedRequest): string[] =>
      [body(r).agentId, body(r).sellingAgentId, body(r).servicingAgentId, body(r).referringAgentId].filter((a): a is string => typeof a === 'string');
    const problems = plan.requests
      .filter((r) => r.kind !== 'OnboardAgent' && r.kind !== 'TerminateAgent' && r.service !== 'coordination')
      .flatMap((r) => acting(r).map((a) => ({ r, key: `${r.service}:${a}` })))
      .filter(({ r, key }) => !(joined.get(key)! < r.wave) || r.wave >= (left.get(key) ?? Infinity))
      .map(({ r, key }) => `${r.kind} wave ${r.wave} by ${key}`);
    expect(problems.slice(0, 5)).toEqual([]);
    expect(left.size).toBeGreaterThan(0);
  });

  it('moves every policy through legal states, one request per policy per wave', () => {
    const status = new Map<string, string>();
    const lastWave = new Map<string, number>();
    const allowed: Record<string, { from: string[]; to: string }> = {
      RenewPolicy: { from: ['in_force'], to: 'in_force' }, EndorsePolicy: { from: ['in_force'], to: 'in_force' },
      CancelPolicy: { from: ['in_force', 'lapsed'], to: 'cancelled' }, LapsePolicy: { from: ['in_force'], to: 'lapsed' },
      ReinstatePolicy: { from: ['lapsed'], to: 'in_force' },
    };
    const problems: string[] = [];
    for (const r of plan.requests) {
      const key = r.kind === 'IssuePolicy' ? `${r.service}:${body(r).policyNo}` : `${r.service}:${r.target}`;
      if (r.kind === 'IssuePolicy') {
        status.set(key, 'in_force');
        lastWave.set(key, r.wave);
      } else if (allowed[r.kind]) {
        if (!allowed[r.kind].from.includes(status.get(key)!)) problems.push(`${r.kind} on ${key} when ${status.get(key)}`);
        if (!(lastWave.get(key)! < r.wave)) problems.push(`${r.kind} on ${key} in the same wave as its previous request`);
        status.set(key, allowed[r.kind].to);
        lastWave.set(key, r.wave);
      }
    }
    expect(problems.slice(0, 5)).toEqual([]);
    const kinds = new Set(plan.requests.map((r) => r.kind));
    for (const k of ['RenewPolicy', 'EndorsePolicy', 'CancelPolicy', 'LapsePolicy', 'ReinstatePolicy', 'ReportClaim', 'SettleClaim']) expect(kinds).toContain(k);
  });

  it('keeps business times inside the period, so none lies in the future when the plan runs', () => {
    const { start, end } = plan.truth;
    const times: Array<[string, string | undefined]> = plan.requests.flatMap((r) => {
      const b = body(r);
      return [
        [r.kind, b.at], [r.kind, b.reportedAt], [r.kind, b.settledAt], [r.kind, b.lossDate], [r.kind, b.since],
      ] as Array<[string, string | undefined]>;
    });
    const outside = times.filter(([, t]) => t !== undefined && t.slice(0, 10) > end);
    expect(outside.slice(0, 5)).toEqual([]);
    const activities = plan.requests.filter((r) => r.kind === 'LogActivity').map((r) => String(body(r).at).slice(0, 10));
    expect(activities.every((d) => d >= start && d <= end)).toBe(true);
    expect(plan.requests.filter((r) => r.kind === 'RegisterReferral').every((r) => body(r).registeredAt === undefined)).toBe(true);
  });
});

describe('generatePlan: staged conflicts are the only ones', () => {
  const entityOf = (p: Plan): Map<string, number> => new Map(p.entities.flatMap((e) => e.records.map((x) => [`${x.subsidiary}:${x.localId}`, e.id] as const)));
  const lineOf = (r: PlannedRequest) => productByCode(DEFAULT_CATALOGUES[r.service as Subsidiary], body(r).productCode).productLine;

  it('registers two subsidiaries for the same client and line exactly as often as it expects', () => {
    const entity = entityOf(plan);
    const referrers = new Map<string, Set<string>>();
    for (const r of plan.requests.filter((x) => x.kind === 'RegisterReferral')) {
      const key = `${entity.get(`${r.service}:${body(r).clientLocalId}`)}:${body(r).productLine}`;
      referrers.set(key, (referrers.get(key) ?? new Set()).add(r.service));
    }
    const duplicates = [...referrers.values()].filter((s) => s.size > 1).length;
    expect(duplicates).toBe(plan.truth.conflicts.duplicateRegistration);
    expect(duplicates).toBeGreaterThan(0);
  });

  it('sells a referred line otherwise only in the staged bypasses, by another agent of the referring side', () => {
    const entity = entityOf(plan);
    const referred = new Map<string, PlannedRequest>();
    for (const r of plan.requests.filter((x) => x.kind === 'RegisterReferral')) {
      referred.set(`${entity.get(`${r.service}:${body(r).clientLocalId}`)}:${body(r).productLine}`, r);
    }
    const rivals = new Set(plan.requests.filter((r) => r.kind === 'RegisterReferral' && body(r).note?.startsWith('employee asked')).map((r) => body(r).referralId));
    const bypasses = plan.requests
      .filter((r) => r.kind === 'IssuePolicy' && body(r).referralId === null)
      .map((r) => ({ policy: r, referral: referred.get(`${entity.get(`${r.service}:${body(r).holderLocalId}`)}:${lineOf(r)}`) }))
      .filter((x): x is { policy: PlannedRequest; referral: PlannedRequest } => x.referral !== undefined && !rivals.has(body(x.referral).referralId));
    expect(bypasses.length).toBe(plan.truth.conflicts.policyVsRegistration);
    for (const { policy, referral } of bypasses) {
      expect(policy.service).toBe(referral.service);
      expect(body(policy).sellingAgentId).not.toBe(body(referral).referringAgentId);
      expect(policy.wave).toBeGreaterThan(referral.wave);
    }
  });

  it('refers no line the client already holds (no servicing-relationship conflicts)', () => {
    const entity = entityOf(plan);
    const heldBefore = new Map<string, number>();
    for (const r of plan.requests.filter((x) => x.kind === 'IssuePolicy')) {
      const key = `${entity.get(`${r.service}:${body(r).holderLocalId}`)}:${lineOf(r)}`;
      heldBefore.set(key, Math.min(heldBefore.get(key) ?? Infinity, r.wave));
    }
    const referredWhileHeld = plan.requests
      .filter((r) => r.kind === 'RegisterReferral')
      .filter((r) => (heldBefore.get(`${entity.get(`${r.service}:${body(r).clientLocalId}`)}:${body(r).productLine}`) ?? Infinity) <= r.wave);
    expect(referredWhileHeld.map((r) => body(r).referralId)).toEqual([]);
  });

  it('quotes a client through a direct and an intermediary channel of one subsidiary only when staged', () => {
    const entity = entityOf(plan);
    const channelOf = new Map(plan.requests.filter((r) => r.kind === 'OnboardAgent').map((r) => [`${r.service}:${body(r).agentId}`, body(r).channel]));
    const direct = new Set(['DIRECT', 'TELESALES']);
    const quotes = new Map<string, Array<{ at: number; cls: boolean }>>();
    for (const r of plan.requests.filter((x) => x.kind === 'LogActivity' && body(x).kind === 'quote')) {
      const key = `${r.service}:${entity.get(`${r.service}:${body(r).clientLocalId}`)}:${body(r).productLine}`;
      const cls = direct.has(channelOf.get(`${r.service}:${body(r).agentId}`));
      quotes.set(key, [...(quotes.get(key) ?? []), { at: Date.parse(body(r).at), cls }]);
    }
    const clashes = [...quotes.values()].filter((qs) => qs.some((a) => qs.some((b) => a.cls !== b.cls && Math.abs(a.at - b.at) <= 30 * 86_400_000)));
    expect(clashes.length).toBe(plan.truth.conflicts.channelQuoteClash);
    expect(clashes.length).toBeGreaterThan(0);
  });
});

describe('generatePlan: at full size', () => {
  it('plans 50,000 clients and 2,000 agents in seconds of CPU time', () => {
    // CPU time, not wall time: the machine is shared, and other processes must not fail this test.
    const before = process.cpuUsage();
    const big = generatePlan({ seed: 5 });
    const used = process.cpuUsage(before);
    const cpuMs = (used.user + used.system) / 1000;
    console.log(`50,000-client plan: ${big.requests.length} requests in ${cpuMs.toFixed(0)} ms of CPU`);
    expect(big.truth.persons + big.truth.organizations).toBe(50_000);
    expect(big.truth.agents.total).toBe(2_000);
    expect(cpuMs).toBeLessThan(30_000);
  });
});
