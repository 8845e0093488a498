import { DetectedConflict } from '../conflicts.types';
import { inForce, registration } from '../testing/fixtures';
import { RecordedScopeConflict, ScopeFacts, ScopePolicy, ScopeRegistration, ScopeSale, reconcileScope } from './as-of';
import { expectedScopeConflicts, saleConflicts } from './sales-as-of';
import { permutations } from '../../../../../../test/support/permutations';

// A life agent registers the client for P&C motor (R-1, 1 March); P&C's own agent sells motor on
// 5 March without naming it (PM-1, converting R-1 by party and line); a group agent registers the
// same line on 10 March, after the sale.
const R1: ScopeRegistration = registration({ referralId: 'R-1', registeredAt: '2026-03-01T09:00:00Z', windowEndsAt: '2026-03-31T09:00:00Z' });
const R3: ScopeRegistration = registration({ referralId: 'R-3', subsidiary: 'group', channel: 'GROUP', agentId: 'G-3001', registeredAt: '2026-03-10T09:00:00Z', windowEndsAt: '2026-04-09T09:00:00Z' });
const SOLD_AT = '2026-03-05T10:00:00Z';
const PM1: ScopeSale = {
  policyNo: 'PM-1', productSubsidiary: 'pnc', sellingSubsidiary: 'pnc', sellingAgentId: 'P-2001', channel: 'AGENCY', servicingAgentId: 'P-2001',
  issuedAt: SOLD_AT, referralId: null, convertedReferralId: null,
};
const PM1policy: ScopePolicy = { ...inForce({ policyNo: 'PM-1', servicingAgentId: 'P-2001' }), issuedAt: SOLD_AT };

const scope = (registrations: ScopeRegistration[], sales: ScopeSale[], policies: ScopePolicy[] = []): ScopeFacts =>
  ({ partyId: R1.partyId, productLine: 'MOTOR', registrations, policies, sales });
const summary = (conflicts: DetectedConflict[]) => conflicts.map((c) => [c.kind, c.subject?.policyNo ?? c.subject?.referralId, c.claimants.map((k) => k.agentId)]);

describe('sales judged by business time (saleConflicts)', () => {
  it('given a registration live when the sale was issued, when judged, then the sale bypassed it whatever arrived first', () => {
    const converted = { ...PM1, convertedReferralId: 'R-1' };
    const closed = { ...R1, closedAt: SOLD_AT };
    expect(summary(saleConflicts(scope([closed], [converted]), []).map((e) => e.conflict))).toEqual([['policy-vs-registration', 'PM-1', ['A-1001', 'P-2001']]]);
  });

  it('given a registration filed after the sale, when judged, then the sale bypassed nothing', () => {
    expect(saleConflicts(scope([R3], [PM1]), [])).toEqual([]);
  });

  it('given a registration converted by an earlier sale, when a later sale is judged, then it no longer holds the line', () => {
    const earlier = { ...R1, closedAt: '2026-03-02T10:00:00Z' };
    expect(saleConflicts(scope([earlier], [PM1]), [])).toEqual([]);
  });

  it('given the bypassed registration settled with the converted one in a registration conflict, when judged, then no second dispute', () => {
    const R2 = registration({ referralId: 'R-2', subsidiary: 'group', channel: 'GROUP', agentId: 'G-3001', registeredAt: '2026-03-03T09:00:00Z' });
    const sale = { ...PM1, referralId: 'R-2', convertedReferralId: 'R-2' };
    const all = expectedScopeConflicts(scope([R1, { ...R2, closedAt: SOLD_AT }], [sale]));
    expect(summary(all.map((e) => e.conflict))).toEqual([['duplicate-registration', 'R-2', ['A-1001', 'G-3001']]]);
  });

  it('given a sale that raised a conflict, when expected, then it carries the product subsidiary its decision goes to', () => {
    const [pvr] = saleConflicts(scope([R1], [PM1]), []);
    expect(pvr.productSubsidiary).toBe('pnc');
  });
});

describe('registrations and sales reconciled on arrival, in every arrival order', () => {
  type Fact = { kind: 'registration'; reg: ScopeRegistration } | { kind: 'sale'; sale: ScopeSale };
  const facts: Fact[] = [{ kind: 'registration', reg: R1 }, { kind: 'sale', sale: PM1 }, { kind: 'registration', reg: R3 }];
  const covers = (r: ScopeRegistration, s: ScopeSale) => r.registeredAt <= s.issuedAt && s.issuedAt < r.windowEndsAt;

  /** What the facts seen so far are: a sale converts the earliest registration covering it, on its arrival or on the registration's. */
  function scopeOf(seen: Fact[]): ScopeFacts {
    const regs = seen.flatMap((f) => (f.kind === 'registration' ? [f.reg] : [])).sort((a, b) => a.registeredAt.localeCompare(b.registeredAt));
    const sales = seen.flatMap((f) => (f.kind === 'sale' ? [f.sale] : [])).map((s) => ({ ...s, convertedReferralId: regs.find((r) => covers(r, s))?.referralId ?? null }));
    const closed = new Map(sales.flatMap((s) => (s.convertedReferralId ? [[s.convertedReferralId, s.issuedAt] as const] : [])));
    const policies = sales.length > 0 ? [PM1policy] : [];
    return scope(regs.map((r) => ({ ...r, closedAt: closed.get(r.referralId) ?? null })), sales, policies);
  }

  function standingAfter(order: Fact[]): DetectedConflict[] {
    let recorded: (RecordedScopeConflict & { conflict: DetectedConflict })[] = [];
    order.forEach((_, i) => {
      const plan = reconcileScope(expectedScopeConflicts(scopeOf(order.slice(0, i + 1))), recorded);
      const gone = new Set(plan.supersede.map((s) => s.key));
      recorded = [
        ...recorded.map((r) => (gone.has(r.key) ? { ...r, status: 'superseded' } : r)),
        ...plan.detect.map((d) => ({ conflictId: d.key, key: d.key, status: 'auto-resolved', conflict: d.conflict })),
      ];
    });
    return recorded.filter((r) => r.status !== 'superseded').map((r) => r.conflict);
  }

  const business = standingAfter(facts);

  it('given the business order, then the sale bypassed R-1 and R-3 meets the servicing agent', () => {
    expect(summary(business)).toEqual([
      ['policy-vs-registration', 'PM-1', ['A-1001', 'P-2001']],
      ['servicing-relationship', 'R-3', ['P-2001', 'G-3001']],
    ]);
  });

  it.each(permutations(facts).map((order) => [order.map((f) => (f.kind === 'sale' ? f.sale.policyNo : f.reg.referralId)).join(' → '), order] as const))(
    'given the facts arriving as %s, when each is reconciled on arrival, then the standing conflicts equal the business-order ones',
    (_name, order) => {
      const sorted = (cs: DetectedConflict[]) => summary(cs).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
      expect(sorted(standingAfter(order))).toEqual(sorted(business));
    },
  );
});
