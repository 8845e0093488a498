import type { EntityManager } from 'typeorm';
import type { ServicingHistory } from '../domain';
import type { PolicyKey } from '../inbound/policy-facts';
import { STATUS_CHANGES_SQL, TERMS_SQL } from '../../portfolio/policy-status';

/** A policy's servicing agent from a date: its issue (no `fromAgentId`) or a reassignment by `rule`. */
export interface ServicingRecord {
  subsidiary: string;
  policyNo: string;
  effectiveDate: string;
  agentId: string;
  fromAgentId: string | null;
  rule: string | null;
}

export const policyKeyOf = (p: { subsidiary: string; policyNo: string }) => `${p.subsidiary}/${p.policyNo}`;

export async function recordServicing(manager: EntityManager, r: ServicingRecord): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [r.subsidiary, r.policyNo, r.effectiveDate, r.agentId, r.fromAgentId, r.rule],
  );
}

/** Every agent who ever serviced the policy (its issue and every hand-on). */
export async function servicersEver(manager: EntityManager, policy: { subsidiary: string; policyNo: string }): Promise<string[]> {
  const rows: Array<{ agent_id: string }> = await manager.query(
    'SELECT DISTINCT agent_id FROM coordination.credit_servicing_history WHERE subsidiary = $1 AND policy_no = $2 ORDER BY agent_id',
    [policy.subsidiary, policy.policyNo],
  );
  return rows.map((r) => r.agent_id);
}

/** The history of every policy one of the agents ever serviced, keyed `subsidiary/policyNo` like an orphan plan. */
export async function servicingHistories(manager: EntityManager, agentIds: string[]): Promise<ServicingHistory[]> {
  const rows: Array<{ key: string; terms: ServicingHistory['terms']; statusChanges: ServicingHistory['statusChanges']; changes: ServicingHistory['changes'] }> = await manager.query(
    `SELECT h.subsidiary || '/' || h.policy_no AS key, ${TERMS_SQL} AS terms, ${STATUS_CHANGES_SQL} AS "statusChanges",
            json_agg(json_build_object('agentId', h.agent_id, 'effectiveDate', to_char(h.effective_date, 'YYYY-MM-DD'), 'fromAgentId', h.from_agent_id)
                     ORDER BY h.seq) AS changes
       FROM coordination.credit_servicing_history h
       JOIN coordination.policies p ON p.subsidiary = h.subsidiary AND p.policy_no = h.policy_no
      WHERE (h.subsidiary, h.policy_no) IN (SELECT subsidiary, policy_no FROM coordination.credit_servicing_history WHERE agent_id = ANY($1::text[]))
      GROUP BY h.subsidiary, h.policy_no, p.subsidiary, p.policy_no`,
    [agentIds],
  );
  return rows.map((r) => ({ policyNo: r.key, terms: r.terms, statusChanges: r.statusChanges, changes: r.changes }));
}

/**
 * The policies a leaver's termination handed on by least-loaded-in-branch: whom it last handed each
 * to (it may have judged again) and whoever services it now.
 */
export async function handedOnBy(manager: EntityManager, agentId: string, date: string)
  : Promise<Array<PolicyKey & { handedTo: string; servicingAgentId: string }>> {
  return manager.query(
    `SELECT DISTINCT ON (p.subsidiary, p.policy_no) p.subsidiary, p.policy_no AS "policyNo", p.party_id AS "partyId",
            h.agent_id AS "handedTo", p.servicing_agent_id AS "servicingAgentId"
       FROM coordination.credit_servicing_history h
       JOIN coordination.policies p ON p.subsidiary = h.subsidiary AND p.policy_no = h.policy_no
      WHERE h.from_agent_id = $1 AND h.effective_date = $2 AND h.rule = 'least-loaded-in-branch'
      ORDER BY p.subsidiary, p.policy_no, h.seq DESC`,
    [agentId, date],
  );
}

/** A handled termination whose hand-out a fact dated on or before it can change. */
export interface Termination {
  agentId: string;
  date: string;
}

/**
 * Terminations already recorded between `from` and `to` (inclusive; open ended without `to`), of
 * agents whose last placement was in one of the branches the given agents ever stood in, or in one of
 * `alsoBranchIds` (a leaver's placement at termination is their last).
 */
export async function terminationsInBranchesOf(
  manager: EntityManager, agentIds: string[], from: string, to: string | null, alsoBranchIds: string[] = [],
): Promise<Termination[]> {
  return manager.query(
    `SELECT a.agent_id AS "agentId", to_char(a.terminated_at, 'YYYY-MM-DD') AS date
       FROM coordination.agents a
      WHERE a.status = 'terminated' AND a.terminated_at >= $2 AND ($3::date IS NULL OR a.terminated_at <= $3::date)
        AND (a.branch_id IN (SELECT branch_id FROM coordination.agent_history WHERE agent_id = ANY($1::text[])) OR a.branch_id = ANY($4::text[]))
      ORDER BY a.terminated_at, a.agent_id`,
    [agentIds, from, to, alsoBranchIds],
  );
}
