import { ConflictsDomainError } from '../conflicts.errors';
import { claimantKey } from '../conflicts.types';
import { resolve } from '../resolution/resolve';
import { toMs } from '../time';
import { sharesOf } from './credit-shares';
import {
  AssignConflict,
  ConflictCommand,
  ConflictEvent,
  ConflictState,
  DetectConflict,
  ResolveConflict,
  SupersedeConflict,
} from './conflict.types';

/** The actor recorded when a precedence rule, not a person, decided. */
export const SYSTEM_ACTOR = 'system';

type Queued = Extract<ConflictState, { status: 'queued' }>;

export const initialConflictState = (): ConflictState => ({ status: 'none' });

function detect(cmd: DetectConflict, state: ConflictState): ConflictEvent[] {
  // The same fact redelivered finds the conflict already recorded; a superseded one the facts support again is detected anew.
  if (state.status !== 'none' && state.status !== 'superseded') return [];
  const { conflictId, conflict, facts, precedence, detectedAt } = cmd.data;
  toMs(detectedAt, 'detectedAt');
  if (conflict.claimants.length < 2) {
    throw new ConflictsDomainError('CONFLICT_NO_CLAIMANTS', 'a conflict needs at least two claimants', { conflictId });
  }
  const triage = resolve(conflict, facts, precedence);
  const detected: ConflictEvent = { type: 'ConflictDetected', data: { conflictId, conflict, facts, detectedAt } };
  return triage.outcome === 'auto-resolved'
    ? [detected, { type: 'ConflictAutoResolved', data: { conflictId, winner: triage.winner, decidedByRule: triage.decidedByRule, precedence, decidedAt: detectedAt } }]
    : [detected, { type: 'ConflictQueued', data: { conflictId, reason: triage.reason, precedence, queuedAt: detectedAt } }];
}

function queued(state: ConflictState, conflictId: string): Queued {
  if (state.status === 'none') {
    throw new ConflictsDomainError('CONFLICT_NOT_FOUND', `conflict ${conflictId} does not exist`, { conflictId });
  }
  if (state.status === 'resolved' || state.status === 'auto-resolved') {
    throw new ConflictsDomainError('CONFLICT_ALREADY_RESOLVED', `conflict ${conflictId} is already ${state.status}`, { conflictId });
  }
  if (state.status !== 'queued') {
    throw new ConflictsDomainError('CONFLICT_NOT_QUEUED', `conflict ${conflictId} is not waiting for a coordinator`, { conflictId });
  }
  return state;
}

function requireText(value: string, code: 'CONFLICT_RATIONALE_REQUIRED' | 'CONFLICT_ACTOR_REQUIRED', field: string): void {
  if (value.trim() === '') throw new ConflictsDomainError(code, `${field} is required`, { field });
}

function assign(cmd: AssignConflict, state: ConflictState): ConflictEvent[] {
  queued(state, cmd.data.conflictId);
  requireText(cmd.data.coordinatorId, 'CONFLICT_ACTOR_REQUIRED', 'coordinatorId');
  requireText(cmd.data.assignedBy, 'CONFLICT_ACTOR_REQUIRED', 'assignedBy');
  toMs(cmd.data.assignedAt, 'assignedAt');
  return [{ type: 'ConflictAssigned', data: cmd.data }];
}

function resolveByCoordinator(cmd: ResolveConflict, state: ConflictState): ConflictEvent[] {
  const current = queued(state, cmd.data.conflictId);
  requireText(cmd.data.rationale, 'CONFLICT_RATIONALE_REQUIRED', 'rationale');
  requireText(cmd.data.decidedBy, 'CONFLICT_ACTOR_REQUIRED', 'decidedBy');
  toMs(cmd.data.decidedAt, 'decidedAt');
  const shares = sharesOf(cmd.data.decision, current.conflict.claimants);
  const { conflictId, decision, rationale, decidedBy, decidedAt } = cmd.data;
  return [{ type: 'ConflictResolved', data: { conflictId, mode: decision.mode, shares, rationale: rationale.trim(), decidedBy, decidedAt } }];
}

function supersede(cmd: SupersedeConflict, state: ConflictState): ConflictEvent[] {
  const { conflictId, reason, supersededAt } = cmd.data;
  if (state.status === 'none') throw new ConflictsDomainError('CONFLICT_NOT_FOUND', `conflict ${conflictId} does not exist`, { conflictId });
  if (state.status === 'superseded') return [];
  requireText(reason, 'CONFLICT_RATIONALE_REQUIRED', 'reason');
  toMs(supersededAt, 'supersededAt');
  return [{ type: 'ConflictSuperseded', data: { ...cmd.data, previousStatus: state.status } }];
}

export function decideConflict(command: ConflictCommand, state: ConflictState): ConflictEvent[] {
  switch (command.type) {
    case 'DetectConflict':
      return detect(command, state);
    case 'AssignConflict':
      return assign(command, state);
    case 'ResolveConflict':
      return resolveByCoordinator(command, state);
    case 'SupersedeConflict':
      return supersede(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown conflict command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveConflict(state: ConflictState, event: ConflictEvent): ConflictState {
  if (event.type === 'ConflictDetected') return { status: 'detected', ...event.data };
  if (state.status === 'none') return state; // a later event without its detection: nothing to attach it to
  switch (event.type) {
    case 'ConflictAutoResolved': {
      const { winner, decidedByRule: rule, decidedAt } = event.data;
      const triage = { outcome: 'auto-resolved', winner, decidedByRule: rule } as const;
      const shares = [{ subsidiary: winner.subsidiary, agentId: winner.agentId, pct: '100.00' }];
      const outcome = { mode: 'award', shares, rationale: `decided by precedence rule ${rule} for ${claimantKey(winner)}`, decidedBy: SYSTEM_ACTOR, decidedAt, rule } as const;
      return { ...known(state), status: 'auto-resolved', triage, outcome, closedAt: decidedAt };
    }
    case 'ConflictQueued':
      return { ...known(state), status: 'queued', triage: { outcome: 'queue', reason: event.data.reason } };
    case 'ConflictAssigned':
      return state.status === 'queued' ? { ...state, assignee: event.data.coordinatorId, assignedAt: event.data.assignedAt } : state;
    case 'ConflictSuperseded': {
      const { previousStatus, reason, replacedBy, supersededAt } = event.data;
      return { ...known(state), status: 'superseded', previousStatus, reason, replacedBy, closedAt: supersededAt };
    }
    case 'ConflictResolved': {
      if (state.status !== 'queued') return state;
      const { mode, shares, rationale, decidedBy, decidedAt } = event.data;
      return { ...state, status: 'resolved', outcome: { mode, shares, rationale, decidedBy, decidedAt }, closedAt: decidedAt };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function known(state: Exclude<ConflictState, { status: 'none' }>) {
  const { conflictId, conflict, facts, detectedAt } = state;
  return { conflictId, conflict, facts, detectedAt };
}

export const conflictDecider = {
  decide: decideConflict,
  evolve: evolveConflict,
  initialState: initialConflictState,
};
