import type { RecordedEvent } from '@lib/event-store';
import { DEFAULT_PRECEDENCE, type ConflictEvent, type DetectedConflict } from '../domain';
import { pastConflicts } from './precedence-admin.service';

const conflict: DetectedConflict = {
  kind: 'duplicate-registration', partyId: 'P-1', productLine: 'MOTOR',
  claimants: [{ subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1' }, { subsidiary: 'pnc', channel: 'AGENCY', agentId: 'P-1' }],
  evidence: { reason: 'two registrations' },
};
const facts = { registrations: [], policies: [], quotes: [] };
let position = 0;
const recorded = (streamId: string, event: ConflictEvent): RecordedEvent => ({
  ...event, streamId, eventId: `e-${position}`, schemaVersion: 1, metadata: {}, streamRevision: 0n,
  globalPosition: String(position++).padStart(8, '0'), recordedAt: new Date(0),
});
const detected = (conflictId: string): ConflictEvent => ({ type: 'ConflictDetected', data: { conflictId, conflict, facts, detectedAt: '2026-03-01T00:00:00Z' } });

describe('pastConflicts', () => {
  it('given two conflicts’ triage events interleaved on $all, when folded, then each conflict keeps its own triage', () => {
    const history = pastConflicts([
      recorded('conflict-c1', detected('c1')),
      recorded('conflict-c2', detected('c2')),
      recorded('conflict-c2', { type: 'ConflictAutoResolved', data: { conflictId: 'c2', winner: conflict.claimants[0], decidedByRule: 'first-valid-registration', precedence: DEFAULT_PRECEDENCE, decidedAt: '2026-03-01T00:00:00Z' } }),
      recorded('conflict-c1', { type: 'ConflictQueued', data: { conflictId: 'c1', reason: 'no-rule-decided', precedence: DEFAULT_PRECEDENCE, queuedAt: '2026-03-01T00:00:00Z' } }),
    ]);
    expect(history.map((p) => [p.conflictId, p.triage.outcome])).toEqual([['c1', 'queue'], ['c2', 'auto-resolved']]);
  });

  it('given a detection whose triage event is not there, when folded, then it is left out rather than guessed', () => {
    expect(pastConflicts([recorded('conflict-c3', detected('c3'))])).toEqual([]);
  });
});
