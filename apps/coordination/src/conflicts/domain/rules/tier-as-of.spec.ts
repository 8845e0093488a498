import { profileTimeline } from '../../parties/party-profiles';
import { DetectedConflict } from '../conflicts.types';
import { registration } from '../testing/fixtures';
import { RecordedScopeConflict, ScopeFacts, ScopeRegistration, reconcileScope } from './as-of';
import { expectedScopeConflicts } from './sales-as-of';

// The client holds 300k with life (A-1001 services it) since 1 February. A group policy of 300k takes
// effect on 1 April (G-RM-1 services it): the client is top-strategic from then. A P&C agent registers
// the client for motor on 10 March (R-1: the client was strategic, no team to defend it) and another on
// 5 April (R-2: outside the relationship team of a top-strategic client). The group policy may arrive
// before or after either registration; when it arrives, the client's other lines are re-judged.
type Fact = { kind: 'registration'; reg: ScopeRegistration } | { kind: 'group-policy' };
const R1: ScopeRegistration = registration({ referralId: 'R-1', subsidiary: 'pnc', agentId: 'P-2001', registeredAt: '2026-03-10T09:00:00Z', windowEndsAt: '2026-04-09T09:00:00Z' });
const R2: ScopeRegistration = registration({ referralId: 'R-2', subsidiary: 'pnc', agentId: 'P-2002', registeredAt: '2026-04-05T09:00:00Z', windowEndsAt: '2026-05-05T09:00:00Z' });
const LIFE = { holding: { effectiveDate: '2026-02-01', annualStandardPremium: '300000.00' }, servicer: { agent_id: 'A-1001', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: new Date('2026-01-30T02:00:00Z') } };
const GROUP = { holding: { effectiveDate: '2026-04-01', annualStandardPremium: '300000.00' }, servicer: { agent_id: 'G-RM-1', subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', issued_at: new Date('2026-03-30T02:00:00Z') } };

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

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

function standingAfter(order: Fact[]): string[] {
  let recorded: (RecordedScopeConflict & { conflict: DetectedConflict })[] = [];
  order.forEach((fact, i) => {
    // A policy of another line re-judges motor only when the client may have been top-strategic at some moment (PolicyIssuedHandler).
    if (fact.kind === 'group-policy' && scopeOf(order.slice(0, i + 1)).partyAt?.('9999-12-31T00:00:00Z')?.tier !== 'TOP_STRATEGIC') return;
    const plan = reconcileScope(expectedScopeConflicts(scopeOf(order.slice(0, i + 1))), recorded);
    const gone = new Set(plan.supersede.map((s) => s.key));
    recorded = [
      ...recorded.map((r) => (gone.has(r.key) ? { ...r, status: 'superseded' } : r)),
      ...plan.detect.map((d) => ({ conflictId: d.key, key: d.key, status: 'detected', conflict: d.conflict })),
    ];
  });
  return recorded.filter((r) => r.status !== 'superseded')
    .map((r) => `${r.conflict.kind} ${r.conflict.subject?.referralId} ${r.conflict.claimants.map((c) => c.agentId).join(',')}`).sort();
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
