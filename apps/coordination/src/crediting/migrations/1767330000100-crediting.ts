import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Crediting's tables. Inline (written with the ledger events, same transaction): the ledger
 * index (which policies a rule set can re-price), disputes, orphans awaiting a coordinator and
 * re-pricing jobs. Read model (the credit-lines projection): one row per credit line.
 */
export class Crediting1767330000100 implements MigrationInterface {
  name = 'Crediting1767330000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.credit_ledgers (
      subsidiary text NOT NULL,
      policy_no text NOT NULL,
      first_date date NULL,
      last_date date NULL,
      status text NOT NULL,
      PRIMARY KEY (subsidiary, policy_no))`);
    await q.query('CREATE INDEX credit_ledgers_dates ON coordination.credit_ledgers (last_date, first_date)');
    await q.query(`CREATE TABLE coordination.credit_disputes (
      dispute_id text PRIMARY KEY,
      line_id text NOT NULL,
      subsidiary text NULL,
      product_subsidiary text NOT NULL,
      policy_no text NOT NULL,
      status text NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
      reason text NOT NULL,
      filed_by text NOT NULL,
      filed_at timestamptz NOT NULL,
      resolution_reason text NULL,
      standard_premium_delta numeric(18,2) NULL,
      resolved_by text NULL,
      resolved_at timestamptz NULL)`);
    await q.query('CREATE INDEX credit_disputes_status ON coordination.credit_disputes (status, filed_at)');
    await q.query(`CREATE TABLE coordination.credit_pending_reassignments (
      subsidiary text NOT NULL,
      policy_no text NOT NULL,
      from_agent_id text NOT NULL,
      reason text NOT NULL,
      since date NOT NULL,
      PRIMARY KEY (subsidiary, policy_no))`);
    await q.query('CREATE INDEX credit_pending_reassignments_agent ON coordination.credit_pending_reassignments (from_agent_id)');
    await q.query(`CREATE TABLE coordination.credit_recalculation_jobs (
      recalculation_id text PRIMARY KEY,
      rule_set_version text NOT NULL,
      effective_from date NOT NULL,
      effective_to date NULL,
      total integer NOT NULL,
      processed integer NOT NULL DEFAULT 0,
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done')),
      cursor_subsidiary text NULL,
      cursor_policy_no text NULL,
      requested_by text NOT NULL,
      correlation_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.credit_recalculation_jobs');
    await q.query('DROP TABLE coordination.credit_pending_reassignments');
    await q.query('DROP TABLE coordination.credit_disputes');
    await q.query('DROP TABLE coordination.credit_ledgers');
  }
}

/** The credit-lines read model; scorecards are SQL over it. */
export class CreditLines1767330000200 implements MigrationInterface {
  name = 'CreditLines1767330000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.credit_lines (
      line_id text PRIMARY KEY,
      credit_key text NOT NULL,
      origin text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('credit', 'reversal', 'adjustment')),
      side text NOT NULL CHECK (side IN ('sales', 'product')),
      level text NOT NULL,
      beneficiary_id text NOT NULL,
      credited_agent_id text NULL,
      subsidiary text NULL,
      selling_subsidiary text NULL,
      product_subsidiary text NOT NULL,
      product_line text NOT NULL,
      policy_no text NOT NULL,
      transaction_id text NOT NULL,
      transaction_kind text NOT NULL,
      referral_id text NULL,
      cross_sale boolean NOT NULL,
      premium numeric(18,2) NOT NULL,
      standard_premium numeric(18,2) NOT NULL,
      factor numeric NOT NULL,
      kpi_weight numeric NOT NULL,
      weighted_credit numeric(18,2) NOT NULL,
      share_pct numeric NOT NULL,
      rule_set_version text NOT NULL,
      reverses_line_id text NULL,
      effective_date date NOT NULL,
      period text NOT NULL,
      recorded_at timestamptz NOT NULL,
      team_id text NULL,
      branch_id text NULL,
      event_position text NOT NULL,
      line_index integer NOT NULL,
      reason text NOT NULL)`);
    await q.query('CREATE INDEX credit_lines_order ON coordination.credit_lines (event_position, line_index)');
    await q.query('CREATE INDEX credit_lines_level_period ON coordination.credit_lines (level, period, beneficiary_id)');
    await q.query('CREATE INDEX credit_lines_subsidiary_period ON coordination.credit_lines (subsidiary, period)');
    await q.query('CREATE INDEX credit_lines_beneficiary ON coordination.credit_lines (beneficiary_id, period)');
    await q.query('CREATE INDEX credit_lines_team ON coordination.credit_lines (team_id, period)');
    await q.query('CREATE INDEX credit_lines_branch ON coordination.credit_lines (branch_id, period)');
    await q.query('CREATE INDEX credit_lines_policy ON coordination.credit_lines (product_subsidiary, policy_no)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.credit_lines');
  }
}
