import { DetectedConflict } from '../conflicts.types';
import { DEFAULT_PRECEDENCE } from '../resolution/precedence';
import { deciderSpec, fold } from '../testing/decider-spec';
import { facts, inForce } from '../testing/fixtures';
import { conflictDecider } from './conflict.decider';
import { ConflictEvent, CoordinatorDecision, conflictStreamId } from './conflict.types';

const spec = deciderSpec(conflictDecider);
const life = { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001', referralId: 'R-1', registeredAt: '2026-03-05T09:00:00Z' } as const;
const group = { subsidiary: 'group', channel: 'GROUP', agentId: 'G-3001', referralId: 'R-2', registeredAt: '2026-03-05T09:00:00Z' } as const;
const conflict: DetectedConflict = {
  kind: 'duplicate-registration', partyId: 'P-1', productLine: 'MOTOR', claimants: [life, group],
  evidence: { reason: 'two registrations' }, subject: { referralId: 'R-2' },
};
const detectedAt = '2026-03-05T09:00:01Z';
const detected: ConflictEvent = { type: 'ConflictDetected', data: { conflictId: 'C-1', conflict, facts: facts(), detectedAt } };
const queued: ConflictEvent = { type: 'ConflictQueued', data: { conflictId: 'C-1', reason: 'no-rule-decided', precedence: DEFAULT_PRECEDENCE, queuedAt: detectedAt } };
const resolveWith = (decision: CoordinatorDecision, rationale = 'both introduced the client at the same meeting') => ({
  type: 'ResolveConflict' as const,
  data: { conflictId: 'C-1', decision, rationale, decidedBy: 'coord-7', decidedAt: '2026-03-06T10:00:00Z' },
});
const split = (lifePct: string | number, groupPct: string | number): CoordinatorDecision => ({
  mode: 'split',
  shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: lifePct }, { subsidiary: 'group', agentId: 'G-3001', pct: groupPct }],
});

describe('conflict decider', () => {
  it('names its stream conflict-<id>', () => expect(conflictStreamId('C-1')).toBe('conflict-C-1'));

  describe('detection and triage', () => {
    const detect = (f = facts()) => ({ type: 'DetectConflict' as const, data: { conflictId: 'C-1', conflict, facts: f, precedence: DEFAULT_PRECEDENCE, detectedAt } });

    it('given nothing, when simultaneous registrations are detected, then ConflictDetected and ConflictQueued', () => {
      spec.given([]).when(detect()).then([detected, queued]);
    });

    it('given nothing, when the group agent services the line, then ConflictDetected and ConflictAutoResolved recording the rule', () => {
      const f = facts({ policies: [inForce({ partyId: 'P-1', subsidiary: 'group', servicingAgentId: 'G-3001' })] });
      spec.given([]).when(detect(f)).then([
        { type: 'ConflictDetected', data: { conflictId: 'C-1', conflict, facts: f, detectedAt } },
        { type: 'ConflictAutoResolved', data: { conflictId: 'C-1', winner: group, decidedByRule: 'servicing-relationship', precedence: DEFAULT_PRECEDENCE, decidedAt: detectedAt } },
      ]);
    });

    it('given an already detected conflict, when the same fact is redelivered, then nothing is appended', () => {
      spec.given([detected, queued]).when(detect()).then([]);
    });

    it('given nothing, when a conflict with one claimant is detected, then CONFLICT_NO_CLAIMANTS', () => {
      const lonely = { ...detect(), data: { ...detect().data, conflict: { ...conflict, claimants: [life] } } };
      spec.given([]).when(lonely).thenThrows('CONFLICT_NO_CLAIMANTS');
    });
  });

  describe('coordinator queue', () => {
    const assign = (coordinatorId: string) => ({
      type: 'AssignConflict' as const,
      data: { conflictId: 'C-1', coordinatorId, assignedBy: 'lead-1', assignedAt: '2026-03-05T12:00:00Z' },
    });

    it('given a queued conflict, when assigned to a coordinator, then ConflictAssigned and the state names the assignee', () => {
      spec.given([detected, queued]).when(assign('coord-7')).then([{ type: 'ConflictAssigned', data: assign('coord-7').data }]);
      expect(fold(conflictDecider, [detected, queued, { type: 'ConflictAssigned', data: assign('coord-7').data }])).toMatchObject({ status: 'queued', assignee: 'coord-7' });
    });

    it('given a queued conflict, when a coordinator splits 60/40, then ConflictResolved with 2-place shares', () => {
      spec.given([detected, queued]).when(resolveWith(split(60, '40'))).then([
        {
          type: 'ConflictResolved',
          data: {
            conflictId: 'C-1', mode: 'split', rationale: 'both introduced the client at the same meeting', decidedBy: 'coord-7', decidedAt: '2026-03-06T10:00:00Z',
            shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '60.00' }, { subsidiary: 'group', agentId: 'G-3001', pct: '40.00' }],
          },
        },
      ]);
    });

    it('given a queued conflict, when split 33.33/66.67 as numbers, then the decimals sum exactly to 100', () => {
      const [event] = conflictDecider.decide(resolveWith(split(33.33, 66.67)), fold(conflictDecider, [detected, queued]));
      expect(event).toMatchObject({ data: { shares: [{ pct: '33.33' }, { pct: '66.67' }] } });
    });

    it.each([
      ['60/30 (sums to 90)', split(60, 30), 'SPLIT_TOTAL_NOT_100'],
      ['three decimals', split('33.333', '66.667'), 'SPLIT_INVALID_PERCENT'],
      ['a zero share', split(0, 100), 'SPLIT_INVALID_PERCENT'],
      ['one claimant', { mode: 'split', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: 100 }] } as CoordinatorDecision, 'SPLIT_TOO_FEW_SHARES'],
      ['a repeated claimant', { mode: 'split', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: 50 }, { subsidiary: 'life', agentId: 'A-1001', pct: 50 }] } as CoordinatorDecision, 'SPLIT_DUPLICATE_CLAIMANT'],
      ['a stranger', { mode: 'split', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: 50 }, { subsidiary: 'pnc', agentId: 'P-9', pct: 50 }] } as CoordinatorDecision, 'CONFLICT_UNKNOWN_CLAIMANT'],
      ['an award to a stranger', { mode: 'award', claimant: { subsidiary: 'pnc', agentId: 'A-1001' } } as CoordinatorDecision, 'CONFLICT_UNKNOWN_CLAIMANT'],
    ] as const)('given a queued conflict, when split with %s, then %s', (_label, decision, code) => {
      spec.given([detected, queued]).when(resolveWith(decision)).thenThrows(code);
    });

    it('given a queued conflict, when a coordinator awards the life agent, then a 100% share', () => {
      const [event] = conflictDecider.decide(resolveWith({ mode: 'award', claimant: { subsidiary: 'life', agentId: 'A-1001' } }), fold(conflictDecider, [detected, queued]));
      expect(event).toMatchObject({ type: 'ConflictResolved', data: { mode: 'award', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }] } });
    });

    it('given a queued conflict, when both claims are rejected with a rationale, then ConflictResolved with no shares', () => {
      const [event] = conflictDecider.decide(resolveWith({ mode: 'reject' }, 'client asked for the group account manager only'), fold(conflictDecider, [detected, queued]));
      expect(event).toMatchObject({ data: { mode: 'reject', shares: [], rationale: 'client asked for the group account manager only' } });
    });

    it('given a queued conflict, when resolved with a blank rationale or no actor, then the matching required-field code', () => {
      spec.given([detected, queued]).when(resolveWith({ mode: 'reject' }, '   ')).thenThrows('CONFLICT_RATIONALE_REQUIRED');
      const noActor = resolveWith({ mode: 'reject' });
      spec.given([detected, queued]).when({ ...noActor, data: { ...noActor.data, decidedBy: '' } }).thenThrows('CONFLICT_ACTOR_REQUIRED');
    });

    it('given a resolved or auto-resolved conflict, when resolved or assigned again, then CONFLICT_ALREADY_RESOLVED', () => {
      const resolved = conflictDecider.decide(resolveWith({ mode: 'reject' }), fold(conflictDecider, [detected, queued]));
      spec.given([detected, queued, ...resolved]).when(resolveWith(split(50, 50))).thenThrows('CONFLICT_ALREADY_RESOLVED');
      const auto: ConflictEvent = { type: 'ConflictAutoResolved', data: { conflictId: 'C-1', winner: life, decidedByRule: 'first-valid-registration', precedence: DEFAULT_PRECEDENCE, decidedAt: detectedAt } };
      spec.given([detected, auto]).when(assign('coord-7')).thenThrows('CONFLICT_ALREADY_RESOLVED');
    });

    it('given no conflict, when resolved, then CONFLICT_NOT_FOUND', () => {
      spec.given([]).when(resolveWith({ mode: 'reject' })).thenThrows('CONFLICT_NOT_FOUND');
    });
  });
});

describe('superseding a conflict a late-arriving earlier fact disproved', () => {
  const spec2 = deciderSpec(conflictDecider);
  const supersede = { type: 'SupersedeConflict' as const, data: { conflictId: 'C-1', reason: 'R-1 was converted before R-2 was filed', replacedBy: ['k2'], supersededAt: '2026-03-07T10:00:00Z' } };

  it('given a queued conflict, when superseded, then ConflictSuperseded records what it was and the state leaves the queue', () => {
    spec2.given([detected, queued]).when(supersede).then([{ type: 'ConflictSuperseded', data: { ...supersede.data, previousStatus: 'queued' } }]);
    const state = fold(conflictDecider, [detected, queued, { type: 'ConflictSuperseded', data: { ...supersede.data, previousStatus: 'queued' } }]);
    expect(state).toMatchObject({ status: 'superseded', previousStatus: 'queued', replacedBy: ['k2'], closedAt: '2026-03-07T10:00:00Z' });
  });

  it('given a superseded conflict, when superseded again (redelivery), then nothing is appended', () => {
    spec2.given([detected, queued, { type: 'ConflictSuperseded', data: { ...supersede.data, previousStatus: 'queued' } }]).when(supersede).then([]);
  });

  it('given a superseded conflict the facts support again, when detected, then it is detected anew', () => {
    const events = conflictDecider.decide(
      { type: 'DetectConflict', data: { conflictId: 'C-1', conflict, facts: facts(), precedence: DEFAULT_PRECEDENCE, detectedAt } },
      fold(conflictDecider, [detected, queued, { type: 'ConflictSuperseded', data: { ...supersede.data, previousStatus: 'queued' } }]),
    );
    expect(events.map((e) => e.type)).toEqual(['ConflictDetected', 'ConflictQueued']);
  });

  it('given nothing, when superseded, then CONFLICT_NOT_FOUND; without a reason, CONFLICT_RATIONALE_REQUIRED', () => {
    spec2.given([]).when(supersede).thenThrows('CONFLICT_NOT_FOUND');
    spec2.given([detected, queued]).when({ ...supersede, data: { ...supersede.data, reason: ' ' } }).thenThrows('CONFLICT_RATIONALE_REQUIRED');
  });

  it('given a superseded conflict, when a coordinator tries to resolve it, then it is no longer queued', () => {
    spec2.given([detected, queued, { type: 'ConflictSuperseded', data: { ...supersede.data, previousStatus: 'queued' } }])
      .when(resolveWith({ mode: 'reject' })).thenThrows('CONFLICT_NOT_QUEUED');
  });
});
