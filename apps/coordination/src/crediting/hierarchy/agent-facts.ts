import { AgentFact, Subsidiary } from '../domain';

/** One row of coordination.agent_history joined with the agent's channel and termination. */
export interface AgentHistoryRow {
  agentId: string;
  effectiveDate: string;
  subsidiary: string;
  branchId: string;
  teamId: string;
  leaderId: string | null;
  channel: string;
  terminatedAt: string | null;
}

/**
 * The domain's hierarchy facts from the portfolio's look-up: an agent's first placement is its
 * onboarding, each later one a transfer, then its termination. Rows must come sorted by agent
 * and date (the loader's ORDER BY).
 */
export function agentFactsFrom(rows: readonly AgentHistoryRow[]): AgentFact[] {
  const facts: AgentFact[] = [];
  rows.forEach((row, i) => {
    const first = i === 0 || rows[i - 1].agentId !== row.agentId;
    const placement = { teamId: row.teamId, branchId: row.branchId, leaderId: row.leaderId, effectiveDate: row.effectiveDate };
    const subsidiary = row.subsidiary as Subsidiary;
    facts.push(first
      ? { type: 'AgentOnboarded', agentId: row.agentId, subsidiary, channel: row.channel, ...placement }
      : { type: 'AgentTransferred', agentId: row.agentId, subsidiary, channel: row.channel, ...placement });
    const last = i === rows.length - 1 || rows[i + 1].agentId !== row.agentId;
    if (last && row.terminatedAt) facts.push({ type: 'AgentTerminated', agentId: row.agentId, effectiveDate: row.terminatedAt });
  });
  return facts;
}
