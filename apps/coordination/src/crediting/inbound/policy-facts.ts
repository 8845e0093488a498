import type { EntityManager } from 'typeorm';
import type { PolicyFacts } from './transaction.mapping';

const SELECT = `
  SELECT p.subsidiary, p.policy_no AS "policyNo", p.party_id AS "partyId", p.product_line AS "productLine",
         COALESCE(t.premium_amount, p.premium_amount)::text AS "premiumAmount", COALESCE(t.premium_mode, p.premium_mode) AS "premiumMode",
         to_char(COALESCE(t.effective_date, p.effective_date), 'YYYY-MM-DD') AS "effectiveDate",
         to_char(COALESCE(t.expiry_date, p.expiry_date), 'YYYY-MM-DD') AS "expiryDate",
         p.selling_agent_id AS "sellingAgentId", p.servicing_agent_id AS "servicingAgentId", p.selling_subsidiary AS "sellingSubsidiary",
         COALESCE(a.channel, p.channel) AS "sellingChannel", p.referral_id AS "referralId", p.product_specialist_id AS "productSpecialistId"
    FROM coordination.policies p LEFT JOIN coordination.agents a ON a.agent_id = p.selling_agent_id
    LEFT JOIN LATERAL (SELECT * FROM coordination.policy_terms t WHERE t.subsidiary = p.subsidiary AND t.policy_no = p.policy_no AND t.effective_date <= $3::date
                        ORDER BY t.effective_date DESC LIMIT 1) t ON true`;

/**
 * The policy as the portfolio holds it. With `termOn` (an endorsement's date), its premium and dates are
 * those of the term that day falls in (the latest started by then), not the latest renewal's: an
 * endorsement dated in an earlier term arriving after the renewal is credited with its own term's.
 */
export async function policyFacts(manager: EntityManager, subsidiary: string, policyNo: string, termOn: string | null = null): Promise<PolicyFacts | null> {
  const rows: PolicyFacts[] = await manager.query(`${SELECT} WHERE p.subsidiary = $1 AND p.policy_no = $2`, [subsidiary, policyNo, termOn]);
  return rows[0] ?? null;
}

export interface PolicyKey {
  subsidiary: string;
  policyNo: string;
  partyId: string;
}

/** In-force policies an agent services now: the book that is orphaned when the agent leaves. */
export async function servicedPolicies(manager: EntityManager, agentId: string): Promise<PolicyKey[]> {
  return manager.query(
    `SELECT subsidiary, policy_no AS "policyNo", party_id AS "partyId" FROM coordination.policies
      WHERE servicing_agent_id = $1 AND status = 'in-force' ORDER BY subsidiary, policy_no`,
    [agentId],
  );
}

/** An agent's status for orphan handling: the termination's effective date once they have left. */
export async function servicerOf(manager: EntityManager, agentId: string): Promise<{ agentId: string; terminatedOn: string | null } | null> {
  const rows: Array<{ agentId: string; terminatedOn: string | null }> = await manager.query(
    `SELECT agent_id AS "agentId", CASE WHEN status = 'terminated' THEN to_char(terminated_at, 'YYYY-MM-DD') END AS "terminatedOn"
       FROM coordination.agents WHERE agent_id = $1`,
    [agentId],
  );
  return rows[0] ?? null;
}
