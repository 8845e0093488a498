import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who serviced each policy from which date (inline, written with the policy's issue and each
 * reassignment, append-only): least-loaded-in-branch counts a candidate's load as of the termination
 * date from it, not from the book as it stands now. Filled from the portfolio events already stored.
 */
export class CreditServicingHistory1767330000300 implements MigrationInterface {
  name = 'CreditServicingHistory1767330000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.credit_servicing_history (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      subsidiary text NOT NULL,
      policy_no text NOT NULL,
      effective_date date NOT NULL,
      agent_id text NOT NULL,
      from_agent_id text NULL,
      rule text NULL)`);
    await q.query('CREATE INDEX credit_servicing_history_policy ON coordination.credit_servicing_history (subsidiary, policy_no)');
    await q.query('CREATE INDEX credit_servicing_history_agent ON coordination.credit_servicing_history (agent_id)');
    await q.query('CREATE INDEX credit_servicing_history_from ON coordination.credit_servicing_history (from_agent_id, effective_date) WHERE from_agent_id IS NOT NULL');
    await q.query(`INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule)
      SELECT data->>'subsidiary', data->>'policyNo', (data->>'effectiveDate')::date,
             CASE type WHEN 'PolicyRecorded' THEN data->>'servicingAgentId' ELSE data->>'toAgentId' END,
             data->>'fromAgentId', data->>'rule'
        FROM event_store.events WHERE type IN ('PolicyRecorded', 'PolicyServicingReassigned') ORDER BY global_position`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.credit_servicing_history');
  }
}
