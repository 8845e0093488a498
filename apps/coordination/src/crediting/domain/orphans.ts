import { AgentPlacement, HierarchyHistory, activeAgentsAt, placementAt } from './hierarchy';
import { OrphanRule } from './rule-set';
import { inForceOn, type PolicyTerm, type StatusChange } from '../../portfolio/policy-status';

export type Reassignment =
  | { readonly kind: 'assigned'; readonly policyNo: string; readonly fromAgentId: string; readonly toAgentId: string; readonly reason: string }
  | { readonly kind: 'pending-coordinator'; readonly policyNo: string; readonly fromAgentId: string; readonly reason: string };

export interface OrphanInput {
  readonly terminatedAgentId: string;
  /** The termination's effective date: the hierarchy is read as it stood then. */
  readonly date: string;
  readonly rule: OrphanRule;
  readonly hierarchy: HierarchyHistory;
  /** The leaver's policies to hand on. */
  readonly book: readonly string[];
  /** How many policies each candidate serviced on the termination date (least-loaded-in-branch). */
  readonly loads: ReadonlyMap<string, number>;
}

/** One change of a policy's servicing agent: its issue (no `fromAgentId`) or a reassignment. */
export interface ServicingChange {
  readonly agentId: string;
  readonly effectiveDate: string;
  readonly fromAgentId: string | null;
}

/** A policy's servicing history, with what says whether it was in force on a date. */
export interface ServicingHistory {
  readonly policyNo: string;
  /** In the order they were recorded. */
  readonly changes: readonly ServicingChange[];
  /** Its issue's term and every renewal's, in any order. */
  readonly terms: readonly PolicyTerm[];
  /** When it stopped being in force (cancelled, lapsed) or started again (reinstated), in any order. */
  readonly statusChanges: readonly StatusChange[];
}

/**
 * Who serviced the policy as the day began. Reassignments effective that day do not count yet:
 * terminations on the same day have no business order among them, so none may see another's
 * hand-out. A policy issued that day does count. Undefined before its issue.
 */
export function servicerOn(policy: ServicingHistory, date: string): string | undefined {
  let servicer: ServicingChange | undefined;
  for (const change of policy.changes) {
    const counts = change.effectiveDate < date || (change.effectiveDate === date && change.fromAgentId === null);
    if (counts && (!servicer || change.effectiveDate >= servicer.effectiveDate)) servicer = change;
  }
  return servicer?.agentId;
}

/**
 * Each agent's load on a date by business time: the policies they serviced then that were in
 * force (inside one of their terms, not cancelled or lapsed as of that day), whichever of those
 * facts arrived first.
 */
export function loadsAsOf(policies: readonly ServicingHistory[], date: string): Map<string, number> {
  const loads = new Map<string, number>();
  for (const policy of policies) {
    if (!inForceOn(policy)(date)) continue;
    const agentId = servicerOn(policy, date);
    if (agentId) loads.set(agentId, (loads.get(agentId) ?? 0) + 1);
  }
  return loads;
}

function teamLeader(input: OrphanInput, placement: AgentPlacement | undefined): AgentPlacement | undefined {
  const leaderId = placement?.leaderId;
  if (!leaderId || leaderId === input.terminatedAgentId) return undefined;
  const leader = placementAt(input.hierarchy, leaderId, input.date);
  return leader?.active ? leader : undefined;
}

function branchColleagues(input: OrphanInput, placement: AgentPlacement | undefined): AgentPlacement[] {
  if (!placement?.branchId) return [];
  return activeAgentsAt(input.hierarchy, input.date).filter(
    (p) => p.branchId === placement.branchId && p.agentId !== input.terminatedAgentId,
  );
}

/** Least loaded first; ties go to the smaller agent id so the choice is reproducible. */
function leastLoaded(candidates: readonly AgentPlacement[], loads: ReadonlyMap<string, number>): AgentPlacement | undefined {
  let best: AgentPlacement | undefined;
  for (const c of candidates) {
    const load = loads.get(c.agentId) ?? 0;
    const bestLoad = best ? (loads.get(best.agentId) ?? 0) : Infinity;
    if (load < bestLoad || (load === bestLoad && best && c.agentId < best.agentId)) best = c;
  }
  return best;
}

/**
 * Who services each of a leaving agent's policies (孤儿单). Policies are handed out one at a time
 * under 'least-loaded-in-branch' so a large book is spread, not dumped on one colleague.
 * When the rule finds nobody, the policy waits for a coordinator's decision.
 */
export function planOrphanReassignment(input: OrphanInput): Reassignment[] {
  const from = input.terminatedAgentId;
  const placement = placementAt(input.hierarchy, from, input.date);
  const loads = new Map(input.loads);
  const colleagues = input.rule === 'least-loaded-in-branch' ? branchColleagues(input, placement) : [];
  const policies = [...input.book].sort();
  return policies.map((policyNo): Reassignment => {
    if (input.rule === 'coordinator') return { kind: 'pending-coordinator', policyNo, fromAgentId: from, reason: 'rule: coordinator decides' };
    const target = input.rule === 'team-leader' ? teamLeader(input, placement) : leastLoaded(colleagues, loads);
    if (!target) return { kind: 'pending-coordinator', policyNo, fromAgentId: from, reason: `rule ${input.rule} found no active agent` };
    loads.set(target.agentId, (loads.get(target.agentId) ?? 0) + 1);
    return { kind: 'assigned', policyNo, fromAgentId: from, toAgentId: target.agentId, reason: `rule ${input.rule} on ${input.date}` };
  });
}

/** The servicing agent of a policy arriving now, as the portfolio knows them. */
export interface Servicer {
  readonly agentId: string;
  /** The termination's effective date, when the agent has left. */
  readonly terminatedOn: string | null;
}

/**
 * A policy recorded after its servicing agent's termination was handled (they travel on different
 * partitions) is orphaned on arrival: the same rule, on the termination date, as if it had arrived
 * first. Under team-leader and coordinator the rest of the book does not change the answer.
 */
export function planOnArrival(
  policyNo: string,
  servicer: Servicer,
  input: Omit<OrphanInput, 'terminatedAgentId' | 'date' | 'book'>,
): Reassignment[] {
  if (!servicer.terminatedOn) return [];
  return planOrphanReassignment({ ...input, terminatedAgentId: servicer.agentId, date: servicer.terminatedOn, book: [policyNo] });
}

/**
 * A termination's hand-out judged again (least-loaded-in-branch after a fact dated before it arrived, or
 * team-leader once the agent it gave a policy turns out to have left): the steps of the plan that differ
 * from how the book stands. `servicerNow` holds whom this termination gave each policy of the book (the
 * leaver for one still with them), whether or not it was handed on since by someone else (a coordinator,
 * the new agent's own termination): redone, those later hand-outs are superseded or applied again on top
 * (`supersededRows`). A policy absent from it is left alone. A policy the plan now leaves waiting for a
 * coordinator waits: one still with the leaver unless it waits already, and one handed on, which is taken
 * back (`takenBack`: the rule finds nobody on the date, e.g. the agent it went to left that same day).
 */
export function rejudgement(plan: readonly Reassignment[], servicerNow: ReadonlyMap<string, string>, waiting: ReadonlySet<string>): Reassignment[] {
  return plan.filter((step) => {
    const now = servicerNow.get(step.policyNo);
    if (now === undefined) return false;
    if (step.kind === 'assigned') return now !== step.toAgentId;
    return now !== step.fromAgentId || !waiting.has(step.policyNo);
  });
}
