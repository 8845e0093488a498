import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Inline look-ups of agents (with hierarchy history) and policies, kept with the events that change them. */
export class Portfolio1767301000000 implements MigrationInterface {
  name = 'Portfolio1767301000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.agents (
      agent_id text PRIMARY KEY,
      subsidiary text NOT NULL,
      name text NOT NULL,
      channel text NOT NULL,
      branch_id text NOT NULL,
      team_id text NOT NULL,
      leader_id text,
      status text NOT NULL CHECK (status IN ('active', 'terminated')),
      joined_at date NOT NULL,
      terminated_at date,
      specialist_for text[] NOT NULL DEFAULT '{}')`);
    await q.query('CREATE INDEX agents_branch ON coordination.agents (branch_id, status)');
    await q.query('CREATE INDEX agents_team ON coordination.agents (team_id, status)');
    await q.query(`CREATE TABLE coordination.agent_history (
      agent_id text NOT NULL,
      effective_date date NOT NULL,
      subsidiary text NOT NULL,
      branch_id text NOT NULL,
      team_id text NOT NULL,
      leader_id text,
      PRIMARY KEY (agent_id, effective_date))`);
    await q.query(`CREATE TABLE coordination.policies (
      subsidiary text NOT NULL,
      policy_no text NOT NULL,
      party_id uuid NOT NULL,
      holder_local_id text NOT NULL,
      product_line text NOT NULL,
      status text NOT NULL CHECK (status IN ('in-force', 'cancelled', 'lapsed')),
      premium_amount numeric(18,2) NOT NULL,
      premium_mode text NOT NULL,
      standard_premium numeric(18,2),
      effective_date date NOT NULL,
      expiry_date date NOT NULL,
      selling_agent_id text NOT NULL,
      servicing_agent_id text NOT NULL,
      channel text NOT NULL,
      selling_subsidiary text NOT NULL,
      referral_id text,
      product_specialist_id text,
      PRIMARY KEY (subsidiary, policy_no))`);
    await q.query('CREATE INDEX policies_party ON coordination.policies (party_id, product_line, status)');
    await q.query('CREATE INDEX policies_servicing ON coordination.policies (servicing_agent_id, status)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.policies');
    await q.query('DROP TABLE coordination.agent_history');
    await q.query('DROP TABLE coordination.agents');
  }
}
