import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who services the policy after each of its recorded portfolio events (its issue, a reassignment, a renewal). */
const SERVICER = `CASE type WHEN 'PolicyRecorded' THEN data->>'servicingAgentId' WHEN 'PolicyServicingReassigned' THEN data->>'toAgentId'
  ELSE data->>'servicingAgentId' END`;

/**
 * The servicing history's renewal rows for renewals recorded before it kept them (migration
 * CreditServicingHistory1767330000300 filled issues and reassignments only): a renewal whose servicing
 * agent is not the one the policy had before it (its issue's, a reassignment's or the previous renewal's,
 * in the order of the policy's stream) services the policy from the new term on, as
 * `OrphanService.onRenewal` records it now. Without them a top-strategic client's team as of a day after
 * such a renewal would still name the agent. A renewal that has its row already is left alone.
 */
export class CreditServicingRenewals1767330000400 implements MigrationInterface {
  name = 'CreditServicingRenewals1767330000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule)
      SELECT e.subsidiary, e.policy_no, e.effective_date, e.agent_id, e.previous, 'renewal'
        FROM (SELECT type, global_position, data->>'subsidiary' AS subsidiary, data->>'policyNo' AS policy_no,
                     (data->>'newEffectiveDate')::date AS effective_date, ${SERVICER} AS agent_id,
                     lag(${SERVICER}) OVER (PARTITION BY stream_id ORDER BY stream_revision) AS previous
                FROM event_store.events WHERE type IN ('PolicyRecorded', 'PolicyServicingReassigned', 'PolicyRenewalRecorded')) e
       WHERE e.type = 'PolicyRenewalRecorded' AND e.previous IS NOT NULL AND e.agent_id <> e.previous
         AND NOT EXISTS (SELECT 1 FROM coordination.credit_servicing_history h
                          WHERE h.subsidiary = e.subsidiary AND h.policy_no = e.policy_no AND h.rule = 'renewal' AND h.effective_date = e.effective_date)
       ORDER BY e.global_position`);
  }

  async down(): Promise<void> {
    // The rows are the history's own from now on: nothing to undo.
  }
}
