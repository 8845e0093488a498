import { mayBeTopStrategic, profileTimeline } from '../../parties/party-profiles';
import { ANY_PRODUCT_LINE } from '../conflicts.types';
import { ScopeFacts } from './as-of';
import { ScopeApproach, approachConflicts } from './approaches-as-of';
import { reconciled, type Recorded } from '../testing/reconciled';
import { permutations } from '../../../../../../test/support/permutations';

// The client holds 300k with life (A-1001 services it) since 1 February; a group policy of 300k takes effect
// on 1 April (G-RM-1 services it): top-strategic from then, its team led by A-1001. P&C agents visit it on
// 10 March (V-1: not yet top-strategic) and on 5 April (V-2: from outside the team); A-1001 calls on 6 April
// (V-3: the team's own). The visits and the group policy arrive in any order; the policy re-judges the visits.
type Fact = { kind: 'approach'; approach: ScopeApproach } | { kind: 'group-policy' };
const PARTY = 'party-1';
const approach = (approachId: string, subsidiary: 'pnc' | 'life', agentId: string, at: string): ScopeApproach =>
  ({ approachId, partyId: PARTY, subsidiary, channel: 'AGENCY', agentId, at });
const V1 = approach('pnc:V-1', 'pnc', 'P-2001', '2026-03-10T09:00:00Z');
const V2 = approach('pnc:V-2', 'pnc', 'P-2002', '2026-04-05T09:00:00Z');
const V3 = approach('life:V-3', 'life', 'A-1001', '2026-04-06T09:00:00Z');
const LIFE_TERMS = [{ effectiveDate: '2026-02-01', expiryDate: '2027-01-31', annualStandardPremium: '300000.00' }];
const GROUP_TERMS = [{ effectiveDate: '2026-04-01', expiryDate: '2027-03-31', annualStandardPremium: '300000.00' }];
const LIFE = { holding: { terms: LIFE_TERMS }, servicer: { agent_id: 'A-1001', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: new Date('2026-01-30T02:00:00Z'), terms: LIFE_TERMS } };
const GROUP = { holding: { terms: GROUP_TERMS }, servicer: { agent_id: 'G-RM-1', subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', issued_at: new Date('2026-03-30T02:00:00Z'), terms: GROUP_TERMS } };

const heldAfter = (seen: Fact[]) => (seen.some((f) => f.kind === 'group-policy') ? [LIFE, GROUP] : [LIFE]);

/** The `*` scope (approaches naming no line) as the facts seen so far give it. */
function scopeOf(seen: Fact[]): ScopeFacts {
  const held = heldAfter(seen);
  const partyAt = profileTimeline(PARTY, held.map((h) => h.holding), held.map((h) => h.servicer));
  return {
    partyId: PARTY, productLine: ANY_PRODUCT_LINE, registrations: [], policies: [], sales: [], quotes: [],
    approaches: seen.flatMap((f) => (f.kind === 'approach' ? [f.approach] : [])), partyAt,
  };
}

const standing = (recorded: Recorded): string[] => recorded.filter((r) => r.status !== 'superseded')
  .map((r) => `${r.conflict.kind} ${r.conflict.productLine} ${r.conflict.claimants.map((c) => c.agentId).join(',')} at ${r.conflict.evidence.at}`).sort();

/** Each arrival as the handlers take it: an approach, or the policy re-judging the scope, only when the client may be top-strategic. */
function standingAfter(order: Fact[]): string[] {
  let recorded: Recorded = [];
  order.forEach((_fact, i) => {
    const seen = order.slice(0, i + 1);
    if (!mayBeTopStrategic(heldAfter(seen).map((h) => h.holding))) return;
    recorded = reconciled(recorded, scopeOf(seen));
  });
  return standing(recorded);
}

describe('approaches other than quotes judged by the tier as of each approach', () => {
  it('given the client top-strategic from 1 April, then only the outsider’s visit made since meets its team, led by its largest servicer', () => {
    const scope = scopeOf([{ kind: 'group-policy' }, { kind: 'approach', approach: V1 }, { kind: 'approach', approach: V2 }, { kind: 'approach', approach: V3 }]);
    const raised = approachConflicts(scope);
    expect(raised.map((e) => e.conflict)).toEqual([expect.objectContaining({
      kind: 'strategic-account', productLine: ANY_PRODUCT_LINE,
      claimants: [{ subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001' }, { subsidiary: 'pnc', channel: 'AGENCY', agentId: 'P-2002' }],
      evidence: expect.objectContaining({ via: 'activity', at: V2.at, tier: 'TOP_STRATEGIC' }),
    })]);
    expect(raised[0]).toMatchObject({ key: expect.stringContaining('|approach:pnc:V-2'), productSubsidiary: 'pnc' });
  });

  it('given only the life policy, then no approach is judged: the client is top-strategic at no moment', () => {
    expect(approachConflicts(scopeOf([{ kind: 'approach', approach: V2 }]))).toEqual([]);
  });

  const facts: Fact[] = [{ kind: 'approach', approach: V1 }, { kind: 'group-policy' }, { kind: 'approach', approach: V2 }, { kind: 'approach', approach: V3 }];
  const business = standingAfter(facts);

  it('given the business order, then the outsider’s visit of 5 April stands as a strategic-account conflict', () => {
    expect(business).toEqual([`strategic-account * A-1001,P-2002 at ${V2.at}`]);
  });

  it.each(permutations(facts).map((order) => [order.map((f) => (f.kind === 'approach' ? f.approach.approachId : 'PG')).join(' → '), order] as const))(
    'given the facts arriving as %s, then the same conflicts stand',
    (_name, order) => {
      expect(standingAfter(order)).toEqual(business);
    },
  );
});
