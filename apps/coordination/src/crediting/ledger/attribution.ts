import { CreditLine, HierarchyHistory, PolicyCreditState, PolicyTransaction, Subsidiary, placementAt } from '../domain';

/** Where a credited person stood on a line's effective date. */
export interface Placement {
  readonly subsidiary: string | null;
  readonly teamId: string | null;
  readonly branchId: string | null;
}

/**
 * Facts a read model needs next to a ledger event's lines, captured when the event is written
 * so the credit-lines projection is rebuilt from events alone (the agents table moves on).
 */
export interface LedgerAttribution {
  readonly productSubsidiary: Subsidiary;
  readonly productLine: string;
  /** The policy's selling subsidiary as credited on issue. */
  readonly sellingSubsidiary: Subsidiary;
  /** Keyed `${agentId}@${effectiveDate}`. */
  readonly placements: Readonly<Record<string, Placement>>;
  /** Set while a coordinator has yet to decide who sold (the sales leg is withheld meanwhile). */
  readonly pendingConflictId?: string;
}

export const placementKey = (agentId: string, date: string): string => `${agentId}@${date}`;

/** The person a line is about: the credited agent (sales side) or the product specialist. */
export function personOf(line: CreditLine): string | null {
  if (line.side === 'sales') return line.creditedAgentId;
  return line.level === 'specialist' ? line.beneficiaryId : null;
}

/** When an agent is not in the hierarchy on that date, its sibling roll-up lines still say where the leg went. */
function fromSiblings(lines: readonly CreditLine[], agentId: string, date: string): Placement {
  const sibling = (level: string) =>
    lines.find((l) => l.side === 'sales' && l.creditedAgentId === agentId && l.effectiveDate === date && l.level === level)?.beneficiaryId ?? null;
  return { subsidiary: sibling('subsidiary'), teamId: sibling('team'), branchId: sibling('branch') };
}

export function placementsOf(lines: readonly CreditLine[], hierarchy: HierarchyHistory): Record<string, Placement> {
  const placements: Record<string, Placement> = {};
  for (const line of lines) {
    const agentId = personOf(line);
    if (!agentId) continue;
    const key = placementKey(agentId, line.effectiveDate);
    if (placements[key]) continue;
    const at = placementAt(hierarchy, agentId, line.effectiveDate);
    placements[key] = at ? { subsidiary: at.subsidiary, teamId: at.teamId, branchId: at.branchId } : fromSiblings(lines, agentId, line.effectiveDate);
  }
  return placements;
}

/** The sale a ledger is about: its issue, else its first transaction, else the one being recorded. */
export function saleOf(state: PolicyCreditState, recording?: PolicyTransaction): PolicyTransaction | undefined {
  const txs = [...state.transactions.values()];
  return txs.find((t) => t.kind === 'Issued') ?? txs[0] ?? recording;
}

export function attributionOf(
  lines: readonly CreditLine[], hierarchy: HierarchyHistory, sale: PolicyTransaction, pendingConflictId?: string,
): LedgerAttribution {
  return {
    productSubsidiary: sale.productSubsidiary,
    productLine: sale.productLine,
    sellingSubsidiary: sale.sellingSubsidiary,
    placements: placementsOf(lines, hierarchy),
    ...(pendingConflictId ? { pendingConflictId } : {}),
  };
}
