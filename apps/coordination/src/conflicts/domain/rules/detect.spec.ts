import { facts, inForce, registration, topStrategic } from '../testing/fixtures';
import { conflictKey, detectConflicts } from './detect';

describe('detectConflicts', () => {
  it('given a top-strategic client with a serviced policy and a live registration, when an outsider registers, then three kinds fire', () => {
    const outsider = registration({ referralId: 'R-9', subsidiary: 'pnc', channel: 'BROKER', agentId: 'P-9', registeredAt: '2026-03-02T00:00:00Z' });
    const conflicts = detectConflicts(
      { kind: 'registration', registration: outsider },
      facts({ registrations: [registration()], policies: [inForce()], party: topStrategic() }),
    );
    expect(conflicts.map((c) => c.kind)).toEqual(['duplicate-registration', 'servicing-relationship', 'strategic-account']);
  });

  it('given the same conflict with claimants listed in another order, when keyed, then the key is the same', () => {
    const [c] = detectConflicts({ kind: 'registration', registration: registration({ referralId: 'R-2', agentId: 'A-2' }) }, facts({ registrations: [registration()] }));
    expect(conflictKey({ ...c, claimants: [...c.claimants].reverse() })).toBe(conflictKey(c));
    expect(conflictKey({ ...c, kind: 'servicing-relationship' })).not.toBe(conflictKey(c));
  });
});
