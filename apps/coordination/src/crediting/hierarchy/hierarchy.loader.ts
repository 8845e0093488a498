import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HierarchyHistory, buildHierarchy } from '../domain';
import { AgentHistoryRow, agentFactsFrom } from './agent-facts';

const SELECT = `
  SELECT h.agent_id AS "agentId", to_char(h.effective_date, 'YYYY-MM-DD') AS "effectiveDate", h.subsidiary,
         h.branch_id AS "branchId", h.team_id AS "teamId", h.leader_id AS "leaderId", a.channel,
         to_char(a.terminated_at, 'YYYY-MM-DD') AS "terminatedAt"
    FROM coordination.agent_history h JOIN coordination.agents a ON a.agent_id = h.agent_id`;

/** The agent hierarchy over time, read from the portfolio's inline tables (same transaction). */
@Injectable()
export class HierarchyLoader {
  async load(manager: EntityManager, agentIds: Iterable<string>): Promise<HierarchyHistory> {
    const ids = [...new Set(agentIds)].filter(Boolean);
    if (ids.length === 0) return new Map();
    const rows: AgentHistoryRow[] = await manager.query(`${SELECT} WHERE h.agent_id = ANY($1::text[]) ORDER BY h.agent_id, h.effective_date`, [ids]);
    return buildHierarchy(agentFactsFrom(rows));
  }

  /** Every agent (shadow runs over the whole book). */
  async loadAll(manager: EntityManager): Promise<HierarchyHistory> {
    const rows: AgentHistoryRow[] = await manager.query(`${SELECT} ORDER BY h.agent_id, h.effective_date`);
    return buildHierarchy(agentFactsFrom(rows));
  }

  /** Agents who ever stood in a branch, for spreading an orphaned book over colleagues. */
  async branchAgents(manager: EntityManager, branchId: string): Promise<string[]> {
    const rows: Array<{ agent_id: string }> = await manager.query('SELECT DISTINCT agent_id FROM coordination.agent_history WHERE branch_id = $1', [branchId]);
    return rows.map((r) => r.agent_id);
  }
}
