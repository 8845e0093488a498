import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each endorsement of a policy with the business date its premium change takes effect: the policy's
 * terms keep the premium they were issued or renewed at, and readers asking what a policy's premium
 * was on a day (the as-of tier) add the changes dated in that term by then. Keyed by the recorded
 * event, as each report is one change (identity's view and crediting count each). Filled from the
 * PolicyEndorsementRecorded events already recorded.
 */
export class PolicyEndorsements1767301000400 implements MigrationInterface {
  name = 'PolicyEndorsements1767301000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.policy_endorsements (
      subsidiary text NOT NULL,
      policy_no text NOT NULL,
      event_id text NOT NULL,
      effective_date date NOT NULL,
      premium_delta numeric(18,2) NOT NULL,
      standard_premium_delta numeric(18,2),
      PRIMARY KEY (subsidiary, policy_no, event_id))`);
    await q.query(`INSERT INTO coordination.policy_endorsements (subsidiary, policy_no, event_id, effective_date, premium_delta, standard_premium_delta)
      SELECT data->>'subsidiary', data->>'policyNo', event_id, (data->>'effectiveDate')::date, (data->>'premiumDelta')::numeric, (data->>'standardPremiumDelta')::numeric
        FROM event_store.events WHERE type = 'PolicyEndorsementRecorded'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.policy_endorsements');
  }
}
