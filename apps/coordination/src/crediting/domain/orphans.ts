import { AgentPlacement, HierarchyHistory, activeAgentsAt, placementAt } from './hierarchy';
import { OrphanRule } from './rule-set';

/** The book: policy numbers each agent services now. */
export type Book = ReadonlyMap<string, readonly string[]>;

export type Reassignment =
  | { readonly kind: 'assigned'; readonly policyNo: string; readonly fromAgentId: string; readonly toAgentId: string; readonly reason: string }
  | { readonly kind: 'pending-coordinator'; readonly policyNo: string; readonly fromAgentId: string; readonly reason: string };

export interface OrphanInput {
  readonly terminatedAgentId: string;
  /** The termination's effective date: the hierarchy is read as it stood then. */
  readonly date: string;
  readonly rule: OrphanRule;
  readonly hierarchy: HierarchyHistory;
  readonly book: Book;
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
  const loads = new Map([...input.book].map(([agentId, policies]) => [agentId, policies.length]));
  const colleagues = input.rule === 'least-loaded-in-branch' ? branchColleagues(input, placement) : [];
  const policies = [...(input.book.get(from) ?? [])].sort();
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
 * first. `book` holds the candidates' loads; the arriving policy is added to the leaver's book.
 */
export function planOnArrival(
  policyNo: string,
  servicer: Servicer,
  input: Omit<OrphanInput, 'terminatedAgentId' | 'date'>,
): Reassignment[] {
  if (!servicer.terminatedOn) return [];
  const book = new Map(input.book);
  book.set(servicer.agentId, [policyNo]);
  return planOrphanReassignment({ ...input, terminatedAgentId: servicer.agentId, date: servicer.terminatedOn, book });
}
