import { DetectedConflict } from '../conflicts.types';
import { DEFAULT_PRECEDENCE } from '../resolution/precedence';
import { fold } from '../testing/decider-spec';
import { facts } from '../testing/fixtures';
import { conflictDecider } from './conflict.decider';
import { ConflictEvent } from './conflict.types';
import { isDecided, toConflictResolvedMessage, toCreditDecision, toPastConflict } from './decision-outputs';

const broker = { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001', referralId: 'R-1', registeredAt: '2026-03-01T09:00:00Z' } as const;
const seller = { subsidiary: 'pnc', channel: 'AGENCY', agentId: 'P-2001' } as const;
const conflict: DetectedConflict = {
  kind: 'policy-vs-registration', partyId: 'P-1', productLine: 'MOTOR', claimants: [broker, seller],
  evidence: { reason: 'bypassed' }, subject: { policyNo: 'PP-1' },
};
const detected: ConflictEvent = { type: 'ConflictDetected', data: { conflictId: 'C-9', conflict, facts: facts(), detectedAt: '2026-03-10T10:00:00Z' } };

describe('decision outputs', () => {
  it('given a coordinator split, when exported, then crediting gets the shares and the message carries rationale and actor, no rule', () => {
    const queued: ConflictEvent = { type: 'ConflictQueued', data: { conflictId: 'C-9', reason: 'always-queue', precedence: DEFAULT_PRECEDENCE, queuedAt: '2026-03-10T10:00:00Z' } };
    const shares = [{ subsidiary: 'life', agentId: 'A-1001', pct: '60.00' }, { subsidiary: 'pnc', agentId: 'P-2001', pct: '40.00' }] as const;
    const resolved: ConflictEvent = { type: 'ConflictResolved', data: { conflictId: 'C-9', mode: 'split', shares, rationale: 'joint sale', decidedBy: 'coord-7', decidedAt: '2026-03-11T10:00:00Z' } };
    const state = fold(conflictDecider, [detected, queued, resolved]);
    if (!isDecided(state)) throw new Error('expected a decided conflict');
    expect(toCreditDecision(state)).toEqual({ conflictId: 'C-9', policyNo: 'PP-1', partyId: 'P-1', productLine: 'MOTOR', mode: 'split', shares });
    expect(toConflictResolvedMessage(state)).toEqual({
      conflictId: 'C-9', kind: 'policy-vs-registration', partyId: 'P-1', productLine: 'MOTOR', outcome: 'split', shares,
      rationale: 'joint sale', decidedBy: 'coord-7', decidedAt: '2026-03-11T10:00:00Z',
    });
    expect(toPastConflict(state)?.triage).toEqual({ outcome: 'queue', reason: 'always-queue' });
  });

  it('given an auto-resolved conflict, when exported, then the winner gets 100%, the system decided and the rule is named', () => {
    const auto: ConflictEvent = { type: 'ConflictAutoResolved', data: { conflictId: 'C-9', winner: broker, decidedByRule: 'first-valid-registration', precedence: DEFAULT_PRECEDENCE, decidedAt: '2026-03-10T10:00:00Z' } };
    const state = fold(conflictDecider, [detected, auto]);
    if (!isDecided(state)) throw new Error('expected a decided conflict');
    expect(toConflictResolvedMessage(state)).toMatchObject({
      outcome: 'award', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }], decidedBy: 'system', rule: 'first-valid-registration',
    });
    expect(toCreditDecision(state).mode).toBe('award');
  });

  it('given a queued conflict, when asked, then it is not decided yet', () => {
    const queued: ConflictEvent = { type: 'ConflictQueued', data: { conflictId: 'C-9', reason: 'no-rule-decided', precedence: DEFAULT_PRECEDENCE, queuedAt: '2026-03-10T10:00:00Z' } };
    expect(isDecided(fold(conflictDecider, [detected, queued]))).toBe(false);
  });
});
