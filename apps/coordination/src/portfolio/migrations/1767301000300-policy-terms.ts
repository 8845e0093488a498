import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each term of a policy (its issue's and every renewal's) with its dates and premium: a renewal moves
 * the policy row to its new term, and readers asking whether a policy was in force on an earlier day
 * (and with what premium) need the terms before it. Filled from the PolicyRecorded and
 * PolicyRenewalRecorded events already recorded (a term reported twice keeps its last report).
 */
export class PolicyTerms1767301000300 implements MigrationInterface {
  name = 'PolicyTerms1767301000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.policy_terms (
      subsidiary text NOT NULL,
      policy_no text NOT NULL,
      effective_date date NOT NULL,
      expiry_date date NOT NULL,
      premium_amount numeric(18,2) NOT NULL,
      premium_mode text NOT NULL,
      standard_premium numeric(18,2),
      PRIMARY KEY (subsidiary, policy_no, effective_date))`);
    await q.query(`INSERT INTO coordination.policy_terms (subsidiary, policy_no, effective_date, expiry_date, premium_amount, premium_mode, standard_premium)
      SELECT DISTINCT ON (1, 2, 3) data->>'subsidiary', data->>'policyNo',
             (CASE type WHEN 'PolicyRecorded' THEN data->>'effectiveDate' ELSE data->>'newEffectiveDate' END)::date,
             (CASE type WHEN 'PolicyRecorded' THEN data->>'expiryDate' ELSE data->>'newExpiryDate' END)::date,
             (data->'premium'->>'amount')::numeric, data->'premium'->>'mode', (data->>'standardPremium')::numeric
        FROM event_store.events WHERE type IN ('PolicyRecorded', 'PolicyRenewalRecorded')
       ORDER BY 1, 2, 3, global_position DESC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.policy_terms');
  }
}
