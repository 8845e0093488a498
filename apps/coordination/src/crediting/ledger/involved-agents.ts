import { ConflictDecision, PolicyCreditState, PolicyTransaction } from '../domain';

function decisionAgents(decision: ConflictDecision | undefined): string[] {
  if (!decision) return [];
  if (decision.kind === 'award') return [decision.agentId];
  if (decision.kind === 'split') return decision.shares.map((s) => s.agentId);
  return [];
}

export function transactionAgents(tx: PolicyTransaction): string[] {
  return [tx.sellingAgentId, tx.servicingAgentId, ...(tx.productSpecialistId ? [tx.productSpecialistId] : []), ...decisionAgents(tx.conflictDecision)];
}

/**
 * Every agent a replay of this ledger can credit or roll up (sellers, servicers, specialists,
 * conflict shares, reassignment targets), so the hierarchy loaded for it is complete.
 */
export function involvedAgents(state: PolicyCreditState, ...extra: Array<PolicyTransaction | ConflictDecision | undefined>): Set<string> {
  const ids = new Set<string>();
  for (const item of state.items) {
    if (item.kind === 'transaction') transactionAgents(item.transaction).forEach((id) => ids.add(id));
    if (item.kind === 'reassignment') [item.fromAgentId, item.toAgentId].forEach((id) => ids.add(id));
  }
  // A refused endorsement may be credited when its term is recorded.
  for (const tx of state.refused.values()) transactionAgents(tx).forEach((id) => ids.add(id));
  if (state.servicing) ids.add(state.servicing.toAgentId);
  for (const x of extra) {
    if (!x) continue;
    const agents = 'kind' in x && 'transactionId' in x ? transactionAgents(x) : decisionAgents(x as ConflictDecision);
    agents.forEach((id) => ids.add(id));
  }
  return ids;
}
