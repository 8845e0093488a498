import { DetectedConflict } from '../conflicts.types';
import { inForce, registration, topStrategic } from '../testing/fixtures';
import { ExpectedConflict, RecordedScopeConflict, ScopeFacts, ScopePolicy, ScopeRegistration, reconcileScope, registrationConflicts } from './as-of';
import { permutations } from '../../../../../../test/support/permutations';

// A life agent registers the client (R-1, 1 March); P&C sells it on 5 March, converting R-1;
// a group agent registers the same client and line on 10 March.
const R1: ScopeRegistration = registration({ referralId: 'R-1', registeredAt: '2026-03-01T09:00:00Z', windowEndsAt: '2026-03-31T09:00:00Z' });
const R1converted: ScopeRegistration = { ...R1, closedAt: '2026-03-05T10:00:00Z' };
const R2: ScopeRegistration = registration({ referralId: 'R-2', subsidiary: 'group', channel: 'GROUP', agentId: 'G-3001', registeredAt: '2026-03-10T09:00:00Z', windowEndsAt: '2026-04-09T09:00:00Z' });
const P1: ScopePolicy = { ...inForce({ policyNo: 'PM-1', servicingAgentId: 'P-2001' }), issuedAt: '2026-03-05T10:00:00Z' };

const scope = (registrations: ScopeRegistration[], policies: ScopePolicy[] = [], over: Partial<ScopeFacts> = {}): ScopeFacts =>
  ({ partyId: R1.partyId, productLine: 'MOTOR', registrations, policies, ...over });
const summary = (conflicts: ExpectedConflict[]) => conflicts.map((c) => [c.conflict.kind, c.conflict.subject?.referralId, c.conflict.claimants.map((k) => k.agentId)]);
const recordedOf = (conflicts: ExpectedConflict[], status = 'auto-resolved'): RecordedScopeConflict[] =>
  conflicts.map((c, i) => ({ conflictId: `C-${i}`, key: c.key, status }));

describe('registrations judged by business time (registrationConflicts)', () => {
  it('given R-1 converted by P-1 before R-2 was filed, when judged, then R-2 meets the servicing agent, not R-1', () => {
    expect(summary(registrationConflicts(scope([R1converted, R2], [P1])))).toEqual([['servicing-relationship', 'R-2', ['P-2001', 'G-3001']]]);
  });

  it('given R-1 still open when R-2 was filed and no sale yet, when judged, then a duplicate registration with R-1 first', () => {
    expect(summary(registrationConflicts(scope([R2, R1])))).toEqual([['duplicate-registration', 'R-2', ['A-1001', 'G-3001']]]);
  });

  it('given a policy issued after R-2 was filed, when judged, then it is no servicing relationship for R-2', () => {
    const later: ScopePolicy = { ...P1, issuedAt: '2026-03-12T10:00:00Z' };
    expect(summary(registrationConflicts(scope([R2], [later])))).toEqual([]);
  });

  it('given a policy that stood otherwise at each moment (asOf), when judged, then each registration meets it as it stood at its filing', () => {
    // Out of force from 8 March (cancelled), serviced by P-2002 from 9 March on (a hand-out): R-2 of 10 March meets nothing, R-1 of 1 March meets P-2001.
    const R2old: ScopeRegistration = { ...R2, referralId: 'R-0', registeredAt: '2026-03-06T09:00:00Z', windowEndsAt: '2026-04-05T09:00:00Z' };
    const early: ScopePolicy = { ...P1, issuedAt: '2026-02-01T10:00:00Z' };
    const asOf = (at: string) => (at < '2026-03-08' ? { ...inForce({ policyNo: 'PM-1', servicingAgentId: 'P-2001' }) } : undefined);
    expect(summary(registrationConflicts(scope([R2old], [{ ...early, asOf }])))).toEqual([['servicing-relationship', 'R-0', ['P-2001', 'G-3001']]]);
    expect(summary(registrationConflicts(scope([R2], [{ ...early, asOf }])))).toEqual([]);
    const handedOn = (at: string) => inForce({ policyNo: 'PM-1', servicingAgentId: at < '2026-03-09' ? 'P-2001' : 'P-2002' });
    expect(summary(registrationConflicts(scope([R2], [{ ...early, asOf: handedOn }])))).toEqual([['servicing-relationship', 'R-2', ['P-2002', 'G-3001']]]);
    // What a rule read is stored with the conflict: a plain policy, without the history.
    const [stored] = registrationConflicts(scope([R2], [{ ...early, asOf: handedOn }]));
    expect(stored.facts.policies).toEqual([inForce({ policyNo: 'PM-1', servicingAgentId: 'P-2002' })]);
  });

  it('given a policy without a recorded issue time (older data), when judged, then it counts as in force throughout', () => {
    expect(summary(registrationConflicts(scope([R2], [{ ...P1, issuedAt: null }])))).toEqual([['servicing-relationship', 'R-2', ['P-2001', 'G-3001']]]);
  });

  it('given two registrations filed at the same instant, when judged in either listing order, then exactly one conflict, raised by the larger referral id', () => {
    const same = { ...R2, registeredAt: R1.registeredAt };
    expect(summary(registrationConflicts(scope([R1, same])))).toEqual([['duplicate-registration', 'R-2', ['A-1001', 'G-3001']]]);
    expect(registrationConflicts(scope([same, R1]))).toEqual(registrationConflicts(scope([R1, same])));
  });

  it('given a top-strategic client, when an outsider registers, then the strategic-account conflict is raised with the others', () => {
    const kinds = registrationConflicts(scope([R2], [], { party: topStrategic() })).map((c) => c.conflict.kind);
    expect(kinds).toEqual(['strategic-account']);
  });
});

describe('reconciling recorded conflicts with the facts (reconcileScope)', () => {
  const final = registrationConflicts(scope([R1converted, R2], [P1]));

  it('given nothing recorded, when reconciled, then every expected conflict is detected', () => {
    expect(reconcileScope(final, [])).toEqual({ supersede: [], detect: final });
  });

  it('given the duplicate recorded before the sale arrived, when the sale arrives, then the duplicate is superseded by the servicing conflict', () => {
    const early = registrationConflicts(scope([R1, R2]));
    const plan = reconcileScope(final, recordedOf(early));
    expect(plan.supersede).toEqual([{ conflictId: 'C-0', key: early[0].key, status: 'auto-resolved', replacedBy: [final[0].key] }]);
    expect(plan.detect).toEqual(final);
  });

  it('given what is recorded already matches, when reconciled again (redelivery), then nothing is appended', () => {
    expect(reconcileScope(final, recordedOf(final))).toEqual({ supersede: [], detect: [] });
  });

  it('given a superseded conflict the facts support again, when reconciled, then it is detected anew', () => {
    expect(reconcileScope(final, recordedOf(final, 'superseded')).detect).toEqual(final);
  });

  type Fact = { kind: 'registration'; reg: ScopeRegistration } | { kind: 'policy'; policy: ScopePolicy; converts: string };
  const facts: Fact[] = [{ kind: 'registration', reg: R1 }, { kind: 'policy', policy: P1, converts: 'R-1' }, { kind: 'registration', reg: R2 }];

  /** Replays one arrival order: after each fact, reconcile what is recorded with what the facts seen so far support. */
  function standingAfter(order: Fact[]): DetectedConflict[] {
    let recorded: (RecordedScopeConflict & { conflict: DetectedConflict })[] = [];
    const seen: Fact[] = [];
    for (const fact of order) {
      seen.push(fact);
      const conversions = new Map(seen.flatMap((f) => (f.kind === 'policy' ? [[f.converts, f.policy.issuedAt as string] as const] : [])));
      const regs = seen.flatMap((f) => (f.kind === 'registration' ? [{ ...f.reg, closedAt: conversions.get(f.reg.referralId) ?? null }] : []));
      const policies = seen.flatMap((f) => (f.kind === 'policy' ? [f.policy] : []));
      const expected = registrationConflicts(scope(regs, policies));
      const plan = reconcileScope(expected, recorded);
      const gone = new Set(plan.supersede.map((s) => s.key));
      recorded = [
        ...recorded.map((r) => (gone.has(r.key) ? { ...r, status: 'superseded' } : r)),
        ...plan.detect.map((d) => ({ conflictId: d.key, key: d.key, status: 'auto-resolved', conflict: d.conflict })),
      ];
    }
    return recorded.filter((r) => r.status !== 'superseded').map((r) => r.conflict);
  }

  it.each(permutations(facts).map((order) => [order.map((f) => (f.kind === 'policy' ? f.policy.policyNo : f.reg.referralId)).join(' → '), order] as const))(
    'given the facts arriving as %s, when each is reconciled on arrival, then the standing conflicts equal the business-order ones',
    (_name, order) => {
      expect(standingAfter(order)).toEqual(final.map((f) => f.conflict));
    },
  );
});
