import { mayBeTopStrategic, profileTimeline } from '../../parties/party-profiles';
import { registration } from '../testing/fixtures';
import { ScopeFacts, ScopeRegistration } from './as-of';
import { reconciled, type Recorded } from '../testing/reconciled';
import { permutations } from '../../../../../../test/support/permutations';

// The client holds 300k with life (A-1001 services it) since 1 February. A group policy of 300k takes
// effect on 1 April (G-RM-1 services it): the client is top-strategic from then. A P&C agent registers
// the client for motor on 10 March (R-1: the client was strategic, no team to defend it) and another on
// 5 April (R-2: outside the relationship team of a top-strategic client). The group policy may arrive
// before or after either registration; when it arrives, the client's other lines are re-judged.
type Fact = { kind: 'registration'; reg: ScopeRegistration } | { kind: 'group-policy' };
const R1: ScopeRegistration = registration({ referralId: 'R-1', subsidiary: 'pnc', agentId: 'P-2001', registeredAt: '2026-03-10T09:00:00Z', windowEndsAt: '2026-04-09T09:00:00Z' });
const R2: ScopeRegistration = registration({ referralId: 'R-2', subsidiary: 'pnc', agentId: 'P-2002', registeredAt: '2026-04-05T09:00:00Z', windowEndsAt: '2026-05-05T09:00:00Z' });
const LIFE_TERMS = [{ effectiveDate: '2026-02-01', expiryDate: '2027-01-31', annualStandardPremium: '300000.00' }];
const GROUP_TERMS = [{ effectiveDate: '2026-04-01', expiryDate: '2027-03-31', annualStandardPremium: '300000.00' }];
const LIFE = { holding: { terms: LIFE_TERMS }, servicer: { agent_id: 'A-1001', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: new Date('2026-01-30T02:00:00Z'), terms: LIFE_TERMS } };
const GROUP = { holding: { terms: GROUP_TERMS }, servicer: { agent_id: 'G-RM-1', subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', issued_at: new Date('2026-03-30T02:00:00Z'), terms: GROUP_TERMS } };

function scopeOf(seen: Fact[]): ScopeFacts {
  const held = seen.some((f) => f.kind === 'group-policy') ? [LIFE, GROUP] : [LIFE];
  // Identity orders servicers by premium, then effective date: the life servicer leads.
  const partyAt = profileTimeline(R1.partyId, held.map((h) => h.holding), held.map((h) => h.servicer));
  return {
    partyId: R1.partyId, productLine: 'MOTOR', policies: [], sales: [], quotes: [],
    registrations: seen.flatMap((f) => (f.kind === 'registration' ? [f.reg] : [])),
    party: partyAt('2026-06-01T00:00:00Z'), partyAt,
  };
}

const standing = (recorded: Recorded): string[] => recorded.filter((r) => r.status !== 'superseded')
  .map((r) => `${r.conflict.kind} ${r.conflict.subject?.referralId} ${r.conflict.claimants.map((c) => c.agentId).join(',')}`).sort();

function standingAfter(order: Fact[]): string[] {
  let recorded: Recorded = [];
  order.forEach((fact, i) => {
    const held = order.slice(0, i + 1).some((f) => f.kind === 'group-policy') ? [LIFE, GROUP] : [LIFE];
    // A policy of another line re-judges motor only when the client may have been top-strategic at some moment (PolicyIssuedHandler).
    if (fact.kind === 'group-policy' && !mayBeTopStrategic(held.map((h) => h.holding))) return;
    recorded = reconciled(recorded, scopeOf(order.slice(0, i + 1)));
  });
  return standing(recorded);
}

describe('strategic account judged by the tier as of each registration (every arrival order)', () => {
  const facts: Fact[] = [{ kind: 'registration', reg: R1 }, { kind: 'group-policy' }, { kind: 'registration', reg: R2 }];
  const business = standingAfter(facts);

  it('given the business order, then only the registration filed once the client was top-strategic meets its team', () => {
    expect(business).toEqual(['duplicate-registration R-2 P-2001,P-2002', 'strategic-account R-2 A-1001,P-2002']);
  });

  it.each(permutations(facts).map((order) => [order.map((f) => (f.kind === 'registration' ? f.reg.referralId : 'PG')).join(' → '), order] as const))(
    'given the facts arriving as %s, then the same conflicts stand',
    (_name, order) => {
      expect(standingAfter(order)).toEqual(business);
    },
  );
});

// The same client with its life policy cancelled from 1 May: top-strategic from 1 April to 30 April only. R-2
// (5 April) still meets the relationship team; R-3 (10 May, by P-2003) meets a client that is strategic only.
// Both policies, the cancellation and the three registrations arrive in any order; a cancellation that arrives
// before its policy waits for it (the portfolio parks it). An issued policy and a status change re-judge the
// party's lines when it may have been top-strategic at some moment (PolicyIssuedHandler, PolicyStatusChangedHandler).
type Arrival = { kind: 'registration'; reg: ScopeRegistration } | { kind: 'life' | 'group' | 'life-cancelled' };
const R3: ScopeRegistration = registration({ referralId: 'R-3', subsidiary: 'pnc', agentId: 'P-2003', registeredAt: '2026-05-10T09:00:00Z', windowEndsAt: '2026-06-09T09:00:00Z' });
const CANCELLED = [{ effectiveDate: '2026-05-01', status: 'cancelled' as const, reportedAt: '2026-05-02T02:00:00Z' }];

function policiesSeen(seen: Arrival[]) {
  const cancelled = seen.some((f) => f.kind === 'life-cancelled') ? CANCELLED : [];
  const life = { holding: { ...LIFE.holding, statusChanges: cancelled }, servicer: { ...LIFE.servicer, status_changes: cancelled } };
  return [...(seen.some((f) => f.kind === 'life') ? [life] : []), ...(seen.some((f) => f.kind === 'group') ? [GROUP] : [])];
}

function scopeSeen(seen: Arrival[]): ScopeFacts {
  const held = policiesSeen(seen);
  const partyAt = profileTimeline(R1.partyId, held.map((h) => h.holding), held.map((h) => h.servicer));
  return {
    partyId: R1.partyId, productLine: 'MOTOR', policies: [], sales: [], quotes: [],
    registrations: seen.flatMap((f) => (f.kind === 'registration' ? [f.reg] : [])),
    party: partyAt('2026-06-01T00:00:00Z'), partyAt,
  };
}

/** The order the handlers see them in: a cancellation that arrives before its policy is handled right after it. */
function handled(arrivals: Arrival[]): Arrival[] {
  const cancellation = arrivals.find((f) => f.kind === 'life-cancelled');
  if (!cancellation || arrivals.indexOf(cancellation) > arrivals.findIndex((f) => f.kind === 'life')) return arrivals;
  const rest = arrivals.filter((f) => f !== cancellation);
  const after = rest.findIndex((f) => f.kind === 'life') + 1;
  return [...rest.slice(0, after), cancellation, ...rest.slice(after)];
}

function standingAfterArrivals(arrivals: Arrival[]): string[] {
  const order = handled(arrivals);
  let recorded: Recorded = [];
  order.forEach((fact, i) => {
    const seen = order.slice(0, i + 1);
    if (fact.kind !== 'registration' && !mayBeTopStrategic(policiesSeen(seen).map((h) => h.holding))) return;
    recorded = reconciled(recorded, scopeSeen(seen));
  });
  return standing(recorded);
}

describe('strategic account judged by the tier as of each registration, with a cancelled policy (every arrival order)', () => {
  const arrivals: Arrival[] = [
    { kind: 'life' }, { kind: 'registration', reg: R1 }, { kind: 'group' }, { kind: 'registration', reg: R2 }, { kind: 'life-cancelled' }, { kind: 'registration', reg: R3 },
  ];
  const business = standingAfterArrivals(arrivals);

  it('given the business order, then only the registration filed while the client was top-strategic meets its team', () => {
    expect(business).toEqual(['duplicate-registration R-2 P-2001,P-2002', 'strategic-account R-2 A-1001,P-2002']);
  });

  it('given no cancellation, then the registration filed in May would have met the team too (the cancellation is what changes it)', () => {
    expect(standingAfterArrivals(arrivals.filter((f) => f.kind !== 'life-cancelled'))).toContain('strategic-account R-3 A-1001,P-2003');
  });

  const orders = permutations(arrivals);
  it(`given the facts arriving in each of their ${orders.length} orders, then the same conflicts stand`, () => {
    const name = (order: Arrival[]) => order.map((f) => (f.kind === 'registration' ? f.reg.referralId : f.kind)).join(' → ');
    const differing = orders.filter((order) => JSON.stringify(standingAfterArrivals(order)) !== JSON.stringify(business)).map(name);
    expect(differing).toEqual([]);
  });
});

// The client holds 450k of life cover (A-1001) from 1 February 2026: strategic. An endorsement raises it by
// 60k a year from 1 May (510k): top-strategic from then. P&C's agents register the client for motor on 20
// April (R-4: before the endorsement takes effect) and on 10 May (R-5: it meets the relationship team). The
// policy, the endorsement and both registrations arrive in any order; an endorsement that arrives before its
// policy waits for it (the portfolio parks it), and an endorsement re-judges the party's lines as a status
// change does (PolicyStatusChangedHandler).
type Endorsed = { kind: 'registration'; reg: ScopeRegistration } | { kind: 'life' | 'life-endorsed' };
const R4: ScopeRegistration = registration({ referralId: 'R-4', subsidiary: 'pnc', agentId: 'P-2001', registeredAt: '2026-04-20T09:00:00Z', windowEndsAt: '2026-05-20T09:00:00Z' });
const R5: ScopeRegistration = registration({ referralId: 'R-5', subsidiary: 'pnc', agentId: 'P-2002', registeredAt: '2026-05-10T09:00:00Z', windowEndsAt: '2026-06-09T09:00:00Z' });
const RAISED = [{ effectiveDate: '2026-05-01', annualStandardPremiumDelta: '60000.00' }];

function endorsedLife(seen: Endorsed[]) {
  if (!seen.some((f) => f.kind === 'life')) return [];
  const terms = [{ ...LIFE_TERMS[0], annualStandardPremium: '450000.00', endorsements: seen.some((f) => f.kind === 'life-endorsed') ? RAISED : [] }];
  return [{ holding: { terms }, servicer: { ...LIFE.servicer, terms } }];
}

function standingAfterEndorsed(arrivals: Endorsed[]): string[] {
  const parked = arrivals.filter((f) => f.kind === 'life-endorsed' && arrivals.indexOf(f) < arrivals.findIndex((g) => g.kind === 'life'));
  const rest = arrivals.filter((f) => !parked.includes(f));
  const life = rest.findIndex((f) => f.kind === 'life') + 1;
  const order = [...rest.slice(0, life), ...parked, ...rest.slice(life)];
  let recorded: Recorded = [];
  order.forEach((fact, i) => {
    const held = endorsedLife(order.slice(0, i + 1));
    if (fact.kind !== 'registration' && !mayBeTopStrategic(held.map((h) => h.holding))) return;
    const partyAt = profileTimeline(R4.partyId, held.map((h) => h.holding), held.map((h) => h.servicer));
    const registrations = order.slice(0, i + 1).flatMap((f) => (f.kind === 'registration' ? [f.reg] : []));
    recorded = reconciled(recorded, { partyId: R4.partyId, productLine: 'MOTOR', policies: [], sales: [], quotes: [], registrations, party: partyAt('2026-06-01T00:00:00Z'), partyAt });
  });
  return standing(recorded);
}

describe('strategic account judged by the tier as of each registration, with an endorsement raising the premium (every arrival order)', () => {
  const arrivals: Endorsed[] = [{ kind: 'life' }, { kind: 'registration', reg: R4 }, { kind: 'life-endorsed' }, { kind: 'registration', reg: R5 }];
  const business = standingAfterEndorsed(arrivals);

  it('given the business order, then only the registration filed once the endorsement took effect meets the relationship team', () => {
    expect(business).toEqual(['duplicate-registration R-5 P-2001,P-2002', 'strategic-account R-5 A-1001,P-2002']);
  });

  it('given no endorsement, then neither registration meets a top-strategic client (the endorsement is what changes it)', () => {
    expect(standingAfterEndorsed(arrivals.filter((f) => f.kind !== 'life-endorsed'))).toEqual(['duplicate-registration R-5 P-2001,P-2002']);
  });

  const orders = permutations(arrivals);
  it(`given the facts arriving in each of their ${orders.length} orders, then the same conflicts stand`, () => {
    const name = (order: Endorsed[]) => order.map((f) => (f.kind === 'registration' ? f.reg.referralId : f.kind)).join(' → ');
    const differing = orders.filter((order) => JSON.stringify(standingAfterEndorsed(order)) !== JSON.stringify(business)).map(name);
    expect(differing).toEqual([]);
  });
});
