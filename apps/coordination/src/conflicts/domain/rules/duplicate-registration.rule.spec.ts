import { facts, registration } from '../testing/fixtures';
import { detectDuplicateRegistration } from './duplicate-registration.rule';
import { DEFAULT_DETECTION_CONFIG } from './facts';

const rival = registration({ referralId: 'R-1', subsidiary: 'life', agentId: 'A-1001', registeredAt: '2026-03-01T09:00:00Z' });
const newReg = registration({ referralId: 'R-2', subsidiary: 'group', channel: 'GROUP', agentId: 'G-3001', registeredAt: '2026-03-05T09:00:00Z', windowEndsAt: '2026-04-04T09:00:00Z' });
const detect = (given: Parameters<typeof facts>[0], reg = newReg) =>
  detectDuplicateRegistration({ kind: 'registration', registration: reg }, facts(given), DEFAULT_DETECTION_CONFIG);

describe('rule: duplicate-registration', () => {
  it('given a live registration by another agent, when a second one arrives for the same party and line, then a conflict lists both oldest first', () => {
    const [conflict, ...rest] = detect({ registrations: [rival] });
    expect(rest).toEqual([]);
    expect(conflict).toMatchObject({ kind: 'duplicate-registration', partyId: rival.partyId, productLine: 'MOTOR', subject: { referralId: 'R-2' } });
    expect(conflict.claimants).toEqual([
      { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001', referralId: 'R-1', registeredAt: '2026-03-01T09:00:00Z' },
      { subsidiary: 'group', channel: 'GROUP', agentId: 'G-3001', referralId: 'R-2', registeredAt: '2026-03-05T09:00:00Z' },
    ]);
    expect(conflict.evidence.referralIds).toEqual(['R-1', 'R-2']);
  });

  it('given a registration for another product line, when the new one arrives, then no conflict', () => {
    expect(detect({ registrations: [{ ...rival, productLine: 'HOME' }] })).toEqual([]);
  });

  it('given a registration whose window ended before the new one, when it arrives, then no conflict', () => {
    expect(detect({ registrations: [{ ...rival, windowEndsAt: '2026-03-05T09:00:00Z' }] })).toEqual([]);
  });

  it('given the same agent registered already, when they register again, then it is not a conflict between claimants', () => {
    expect(detect({ registrations: [{ ...rival, subsidiary: 'group', agentId: 'G-3001' }] })).toEqual([]);
  });

  it('given no other registration, when one arrives, then no conflict; and other fact kinds are ignored', () => {
    expect(detect({ registrations: [] })).toEqual([]);
    expect(detectDuplicateRegistration({ kind: 'activity', activity: { partyId: 'P-0001', subsidiary: 'life', channel: 'AGENCY', agentId: 'x', at: '2026-03-01T00:00:00Z' } }, facts({ registrations: [rival] }), DEFAULT_DETECTION_CONFIG)).toEqual([]);
  });
});
