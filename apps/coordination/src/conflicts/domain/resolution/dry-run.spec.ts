import { detectConflicts } from '../rules/detect';
import { facts, inForce, registration } from '../testing/fixtures';
import { PastConflict, dryRunPrecedence } from './dry-run';
import { DEFAULT_PRECEDENCE, Precedence } from './precedence';
import { resolve } from './resolve';

// History as the aggregate records it: each conflict with the facts at detection and what the old precedence decided.
function past(conflictId: string, given: Parameters<typeof facts>[0], newReg = registration({ referralId: 'R-2', subsidiary: 'group', agentId: 'G-3001', registeredAt: '2026-03-05T09:00:00Z' })): PastConflict[] {
  const f = facts(given);
  return detectConflicts({ kind: 'registration', registration: newReg }, f).map((conflict) => ({
    conflictId: `${conflictId}-${conflict.kind}`,
    conflict,
    facts: f,
    triage: resolve(conflict, f, DEFAULT_PRECEDENCE),
  }));
}

describe('dryRunPrecedence', () => {
  const history = [
    ...past('C1', { policies: [inForce({ servicingAgentId: 'P-2001' })] }), // servicer won under the default
    ...past('C2', { registrations: [registration()] }), // earlier registration won
    ...past('C3', { registrations: [registration({ registeredAt: '2026-03-05T09:00:00Z' })] }), // tie, queued
  ];

  it('given past conflicts, when the same precedence is dry-run, then nothing would change', () => {
    expect(dryRunPrecedence(history, DEFAULT_PRECEDENCE)).toEqual([]);
  });

  it('given registration-first precedence, when dry-run, then only the servicing conflict flips from servicer to registrant', () => {
    const registrationFirst: Precedence = { order: ['first-valid-registration', 'servicing-relationship', 'strategic-account'], alwaysQueue: ['channel-quote-clash'] };
    expect(dryRunPrecedence(history, registrationFirst)).toEqual([
      {
        conflictId: 'C1-servicing-relationship',
        before: { outcome: 'auto-resolved', winner: { subsidiary: 'pnc', channel: 'AGENCY', agentId: 'P-2001' }, decidedByRule: 'servicing-relationship' },
        after: expect.objectContaining({ outcome: 'auto-resolved', winner: expect.objectContaining({ agentId: 'G-3001' }), decidedByRule: 'first-valid-registration' }),
      },
    ]);
  });

  it('given duplicates configured to always queue, when dry-run, then the auto-resolved duplicate moves to the queue and the tie does not count', () => {
    const changes = dryRunPrecedence(history, { ...DEFAULT_PRECEDENCE, alwaysQueue: ['duplicate-registration'] });
    expect(changes.map((c) => [c.conflictId, c.before.outcome, c.after.outcome])).toEqual([['C2-duplicate-registration', 'auto-resolved', 'queue']]);
  });
});
