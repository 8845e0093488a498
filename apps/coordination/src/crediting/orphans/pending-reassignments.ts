import type { EntityManager } from 'typeorm';

/** Orphaned policies waiting for a coordinator (mirrors ServicingReassignmentPending, same transaction). */
export interface PendingReassignment {
  subsidiary: string;
  policyNo: string;
  fromAgentId: string;
  reason: string;
  since: string;
}

export async function savePending(manager: EntityManager, p: PendingReassignment): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.credit_pending_reassignments (subsidiary, policy_no, from_agent_id, reason, since)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (subsidiary, policy_no) DO UPDATE SET from_agent_id = EXCLUDED.from_agent_id, reason = EXCLUDED.reason, since = EXCLUDED.since`,
    [p.subsidiary, p.policyNo, p.fromAgentId, p.reason, p.since],
  );
}

export async function deletePending(manager: EntityManager, subsidiary: string, policyNo: string): Promise<void> {
  await manager.query('DELETE FROM coordination.credit_pending_reassignments WHERE subsidiary = $1 AND policy_no = $2', [subsidiary, policyNo]);
}

export async function pendingOf(manager: EntityManager, agentId: string): Promise<PendingReassignment[]> {
  return manager.query(
    `SELECT subsidiary, policy_no AS "policyNo", from_agent_id AS "fromAgentId", reason, to_char(since, 'YYYY-MM-DD') AS since
       FROM coordination.credit_pending_reassignments WHERE from_agent_id = $1 ORDER BY subsidiary, policy_no`,
    [agentId],
  );
}
