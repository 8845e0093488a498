import { Channel, Subsidiary } from './rule-set';

/** Facts from AgentOnboarded / AgentTransferred / AgentTerminated, dated when they take effect. */
export type AgentFact =
  | {
      readonly type: 'AgentOnboarded';
      readonly agentId: string;
      readonly subsidiary: Subsidiary;
      readonly channel: Channel;
      readonly teamId: string | null;
      readonly branchId: string | null;
      readonly leaderId: string | null;
      readonly effectiveDate: string;
    }
  | {
      readonly type: 'AgentTransferred';
      readonly agentId: string;
      readonly teamId: string | null;
      readonly branchId: string | null;
      readonly leaderId: string | null;
      readonly subsidiary?: Subsidiary;
      readonly channel?: Channel;
      readonly effectiveDate: string;
    }
  | { readonly type: 'AgentTerminated'; readonly agentId: string; readonly effectiveDate: string };

/** Where an agent stood during [from, to). */
export interface AgentPlacement {
  readonly agentId: string;
  readonly subsidiary: Subsidiary;
  readonly channel: Channel;
  readonly teamId: string | null;
  readonly branchId: string | null;
  readonly leaderId: string | null;
  readonly from: string;
  readonly to: string | null;
  readonly active: boolean;
}

/** agentId → placements sorted by `from`; the last one is open ended. */
export type HierarchyHistory = ReadonlyMap<string, readonly AgentPlacement[]>;

function successor(previous: AgentPlacement | undefined, fact: AgentFact): AgentPlacement {
  const last = previous as AgentPlacement; // only an onboarding may come without a predecessor
  switch (fact.type) {
    case 'AgentOnboarded':
      return { ...fact, from: fact.effectiveDate, to: null, active: true };
    case 'AgentTransferred':
      return {
        ...last,
        teamId: fact.teamId,
        branchId: fact.branchId,
        leaderId: fact.leaderId,
        subsidiary: fact.subsidiary ?? last.subsidiary,
        channel: fact.channel ?? last.channel,
        from: fact.effectiveDate,
        to: null,
        active: true,
      };
    case 'AgentTerminated':
      return { ...last, from: fact.effectiveDate, to: null, active: false };
  }
}

function placeFact(placements: readonly AgentPlacement[], fact: AgentFact): readonly AgentPlacement[] {
  const last = placements[placements.length - 1];
  if (!last || last.from <= fact.effectiveDate) {
    if (!last && fact.type !== 'AgentOnboarded') return placements;
    const next = successor(last, fact);
    return last ? [...placements.slice(0, -1), { ...last, to: next.from }, next] : [next];
  }
  // A late fact: it builds on the placement in effect on its own date; later placements keep theirs.
  const before = placements.filter((p) => p.from <= fact.effectiveDate);
  if (before.length === 0 && fact.type !== 'AgentOnboarded') return placements;
  const merged = [...placements, successor(before[before.length - 1], fact)].sort((a, b) => (a.from < b.from ? -1 : 1));
  return merged.map((p, i) => ({ ...p, to: merged[i + 1]?.from ?? null }));
}

/** Folds one fact in; a transfer or termination of an unknown agent is ignored (it cannot be placed). */
export function applyAgentFact(history: HierarchyHistory, fact: AgentFact): HierarchyHistory {
  return new Map(history).set(fact.agentId, placeFact(history.get(fact.agentId) ?? [], fact));
}

/** Builds in one pass (a copy per fact would make large hierarchies quadratic). */
export function buildHierarchy(facts: readonly AgentFact[]): HierarchyHistory {
  const history = new Map<string, readonly AgentPlacement[]>();
  for (const fact of facts) history.set(fact.agentId, placeFact(history.get(fact.agentId) ?? [], fact));
  return history;
}

/** The agent's placement as it stood on `date` (active or not), or undefined before onboarding. */
export function placementAt(history: HierarchyHistory, agentId: string, date: string): AgentPlacement | undefined {
  const placements = history.get(agentId);
  if (!placements) return undefined;
  for (let i = placements.length - 1; i >= 0; i--) {
    if (placements[i].from <= date) return placements[i];
  }
  return undefined;
}

/** Agents active on `date`; used to pick a new servicing agent for orphaned policies. */
export function activeAgentsAt(history: HierarchyHistory, date: string): AgentPlacement[] {
  const active: AgentPlacement[] = [];
  for (const agentId of history.keys()) {
    const placement = placementAt(history, agentId, date);
    if (placement?.active) active.push(placement);
  }
  return active;
}
