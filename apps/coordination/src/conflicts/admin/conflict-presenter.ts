import { ageing, type ConflictState } from '../domain';

type Known = Exclude<ConflictState, { status: 'none' }>;

/** How a conflict looks over REST: the domain state flattened, with its age against the SLA. */
export function presentConflict(state: Known, now: string, slaHours: number, options: { withFacts: boolean }) {
  const closedAt = 'closedAt' in state ? state.closedAt : undefined;
  return {
    conflictId: state.conflictId,
    kind: state.conflict.kind,
    status: state.status,
    partyId: state.conflict.partyId,
    productLine: state.conflict.productLine,
    claimants: state.conflict.claimants,
    evidence: state.conflict.evidence,
    subject: state.conflict.subject ?? null,
    triage: 'triage' in state ? state.triage : null,
    outcome: 'outcome' in state ? state.outcome : null,
    assignee: 'assignee' in state ? (state.assignee ?? null) : null,
    assignedAt: 'assignedAt' in state ? (state.assignedAt ?? null) : null,
    detectedAt: state.detectedAt,
    closedAt: closedAt ?? null,
    ...ageing({ detectedAt: state.detectedAt, ...(closedAt ? { closedAt } : {}) }, now, slaHours),
    ...(options.withFacts ? { facts: state.facts } : {}),
  };
}

export type ConflictDto = ReturnType<typeof presentConflict>;
