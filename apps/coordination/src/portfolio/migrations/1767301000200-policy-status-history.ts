import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each status a subsidiary reported for a policy (cancelled, lapsed, reinstated) with the business date
 * it took effect, so readers can ask whether a policy was in force on a day whatever order the reports
 * arrived in. Filled from the PolicyStatusChanged events already recorded.
 */
export class PolicyStatusHistory1767301000200 implements MigrationInterface {
  name = 'PolicyStatusHistory1767301000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.policy_status_history (
      subsidiary text NOT NULL,
      policy_no text NOT NULL,
      effective_date date NOT NULL,
      status text NOT NULL CHECK (status IN ('in-force', 'cancelled', 'lapsed')),
      reported_at timestamptz NOT NULL,
      PRIMARY KEY (subsidiary, policy_no, effective_date, status))`);
    await q.query(`INSERT INTO coordination.policy_status_history (subsidiary, policy_no, effective_date, status, reported_at)
      SELECT data->>'subsidiary', data->>'policyNo', (data->>'effectiveDate')::date, data->>'to', min(COALESCE((metadata->>'occurredAt')::timestamptz, recorded_at))
        FROM event_store.events WHERE type = 'PolicyStatusChanged' GROUP BY 1, 2, 3, 4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.policy_status_history');
  }
}
