import {
  INBOUND_OPERATIONS, type InboundOperation, isValidCreditCode, isValidResidentId, normaliseIdentityNumber, type Subsidiary,
} from '@lib/contracts';
import { DEFAULT_CATALOGUES, channelOfCode, productByCode } from './catalogues';
import { generatePlan } from './generate';
import type { Plan, PlannedRequest } from './types';

const OPTIONS = { clients: 3000, agents: 120, branches: 12, seed: 11, months: 12, start: '2025-07-01' };
type Body = Record<string, any>;

let plan: Plan;
beforeAll(() => {
  plan = generatePlan(OPTIONS);
});

const of = (kind: string) => plan.requests.filter((r) => r.kind === kind);
const body = (r: PlannedRequest) => r.body as Body;

/** `${subsidiary}:${localId}` -> generated entity id, from the ground truth. */
function entityIndex(p: Plan): Map<string, number> {
  return new Map(p.entities.flatMap((e) => e.records.map((r) => [`${r.subsidiary}:${r.localId}`, e.id] as const)));
}

describe('generatePlan: reproducible from the seed', () => {
  it('gives the same plan, request for request, for the same seed', () => {
    const small = { ...OPTIONS, clients: 400, agents: 30 };
    expect(JSON.stringify(generatePlan(small))).toEqual(JSON.stringify(generatePlan(small)));
  });

  it('gives another plan for another seed', () => {
    const a = generatePlan({ ...OPTIONS, clients: 400, agents: 30, seed: 1 });
    const b = generatePlan({ ...OPTIONS, clients: 400, agents: 30, seed: 2 });
    expect(JSON.stringify(a.requests)).not.toEqual(JSON.stringify(b.requests));
    expect(a.requests[0].idempotencyKey).not.toEqual(b.requests[0].idempotencyKey);
  });

  it('derives one distinct Idempotency-Key per request from the seed and the entity', () => {
    const keys = plan.requests.map((r) => `${r.service}|${r.idempotencyKey}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(plan.requests.every((r) => r.idempotencyKey.startsWith(`sim-${OPTIONS.seed}-`) && /^[\x21-\x7e]{1,200}$/.test(r.idempotencyKey))).toBe(true);
  });
});

describe('generatePlan: every body is valid against the contracts', () => {
  it('validates every intake body with its route input schema (zod)', () => {
    const failures: string[] = [];
    for (const r of plan.requests) {
      if (r.kind === 'MarkReferralLost') continue;
      const spec = INBOUND_OPERATIONS[r.kind as InboundOperation];
      const parsed = spec.body(plan.truth.end).safeParse(r.body);
      if (!parsed.success) failures.push(`${r.kind} ${r.path}: ${JSON.stringify(parsed.error.issues[0])}`);
      const path = spec.path.replace(/\{\w+\}/, encodeURIComponent(r.target ?? ''));
      if (r.method !== spec.method || r.path !== path) failures.push(`${r.kind}: ${r.method} ${r.path} is not ${spec.method} ${path}`);
      if (r.kind === 'UpdateClient' && body(r).localId !== r.target) failures.push(`${r.path}: body.localId differs`);
    }
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('marks referrals lost on the coordination service with a reason, as the product side', () => {
    for (const r of of('MarkReferralLost')) {
      expect(r).toMatchObject({ service: 'coordination', method: 'POST', path: `/v1/referrals/${r.target}/loss` });
      expect(['life', 'pnc', 'group']).toContain(r.as);
      expect(String(body(r).reason).trim()).not.toBe('');
    }
    expect(of('MarkReferralLost').length).toBeGreaterThan(0);
  });

  it('uses only product and channel codes of the real catalogues, with modes they offer', () => {
    for (const r of of('IssuePolicy')) {
      const catalogue = DEFAULT_CATALOGUES[r.service as Subsidiary];
      const product = productByCode(catalogue, body(r).productCode);
      expect(product.premiumModes).toContain(body(r).premium.mode);
      expect(channelOfCode(catalogue, body(r).localChannelCode)).toBe(body(r).channel);
    }
    for (const r of of('OnboardAgent')) {
      expect(channelOfCode(DEFAULT_CATALOGUES[r.service as Subsidiary], body(r).localChannelCode)).toBe(body(r).channel);
    }
  });

  it('sends valid resident ids and credit codes, one number per person across subsidiaries', () => {
    const index = entityIndex(plan);
    const numberOf = new Map<number, string>();
    const ownerOf = new Map<string, number>();
    for (const r of of('RegisterClient')) {
      const b = body(r);
      const entity = index.get(`${r.service}:${b.localId}`)!;
      const number = b.kind === 'organization' ? b.creditCode : b.identity ? normaliseIdentityNumber(b.identity.number) : null;
      if (number === null) continue;
      expect(b.kind === 'organization' ? isValidCreditCode(number) : isValidResidentId(number)).toBe(true);
      expect(numberOf.get(entity) ?? number).toBe(number);
      expect(ownerOf.get(number) ?? entity).toBe(entity);
      numberOf.set(entity, number);
      ownerOf.set(number, entity);
    }
  });
});

describe('generatePlan: ground truth', () => {
  it('knows every registered record as one entity, and overlapping persons as such', () => {
    const registered = of('RegisterClient').map((r) => `${r.service}:${body(r).localId}`).sort();
    const truth = plan.entities.flatMap((e) => e.records.map((x) => `${x.subsidiary}:${x.localId}`)).sort();
    expect(truth).toEqual(registered);
    const t = plan.truth;
    expect(t.expectedPartyCount).toBe(plan.entities.length);
    expect(t.persons + t.organizations).toBe(plan.entities.length);
    expect(t.personsBySubsidiaryCount.reduce((a, b) => a + b, 0)).toBe(t.persons);
    expect(t.personsBySubsidiaryCount[1] + t.personsBySubsidiaryCount[2]).toBeGreaterThan(0.1 * t.persons);
    expect(t.records.total).toBe(registered.length);
    expect(t.records.withoutIdentity).toBe(of('RegisterClient').filter((r) => body(r).kind === 'person' && !body(r).identity).length);
    expect(t.records.withoutIdentity).toBeGreaterThan(0);
    expect(t.records.typoNames + t.records.traditionalNames).toBeGreaterThan(0);
  });

  it('expects as cross-sale clients exactly the entities holding policies of two or more subsidiaries', () => {
    const index = entityIndex(plan);
    const subsByEntity = new Map<number, Set<string>>();
    for (const r of of('IssuePolicy')) {
      const entity = index.get(`${r.service}:${body(r).holderLocalId}`)!;
      subsByEntity.set(entity, (subsByEntity.get(entity) ?? new Set()).add(r.service));
    }
    const crossSale = [...subsByEntity.values()].filter((s) => s.size > 1).length;
    expect(plan.truth.expectedCrossSaleClients).toBe(crossSale);
    expect(plan.truth.holders).toBe(subsByEntity.size);
    expect(plan.truth.expectedCrossSaleRate).toBeGreaterThan(0.05);
  });

  it('counts referrals as registered = converted + lost, each converted once by a policy naming it', () => {
    const { referrals } = plan.truth;
    const named = of('IssuePolicy').filter((r) => body(r).referralId).map((r) => body(r).referralId);
    expect(referrals.registered).toBe(of('RegisterReferral').length);
    expect(referrals.converted).toBe(named.length);
    expect(new Set(named).size).toBe(named.length);
    expect(referrals.lost).toBe(of('MarkReferralLost').length);
    expect(referrals.converted + referrals.lost).toBe(referrals.registered);
  });
});
