import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A coordinator's reassignment of an agent's whole book (over REST, no policies named), kept so it means
 * the agent's book as of its effective date in every arrival order: a fact arriving later that in business
 * order gives the agent a policy before it (a late policy, a hand-out judged again, a renewal naming the
 * agent) hands that policy on too. `after_seq` is the last servicing history row recorded when it was
 * made: a coordinator's reassignment dated the same day and recorded after it came after it. Whole-book
 * reassignments made before this table existed are not known (the history keeps each policy's hand-out
 * alike for a named one): nothing is inferred for them.
 */
export class CreditBookReassignments1767330000600 implements MigrationInterface {
  name = 'CreditBookReassignments1767330000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE IF NOT EXISTS coordination.credit_book_reassignments (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      from_agent_id text NOT NULL,
      to_agent_id text NOT NULL,
      effective_date date NOT NULL,
      reason text NOT NULL,
      after_seq bigint NOT NULL,
      made_at timestamptz NOT NULL)`);
    await q.query('CREATE INDEX IF NOT EXISTS credit_book_reassignments_from ON coordination.credit_book_reassignments (from_agent_id, effective_date)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.credit_book_reassignments');
  }
}
