import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ConflictsBusinessTime1767310000300 } from './1767310000300-business-time.migration';
import { ConflictsSalesAsOf1767310000500 } from './1767310000500-sales-as-of.migration';
import { ConflictsClosedReferrals1767310000600 } from './1767310000600-closed-referrals.migration';
import { ConflictsQuotesAsOf1767310000700 } from './1767310000700-quotes-as-of.migration';
import { ConflictsApproachesAsOf1767310000800 } from './1767310000800-approaches-as-of.migration';

/**
 * Write-side lookup tables of the conflicts feature. They change in the same transaction
 * as the events they mirror (referral-*, conflict-*, and the portfolio's quote activities),
 * so detection reads facts that are exactly as current as the event store.
 */
export class ConflictsIndexes1767310000100 implements MigrationInterface {
  name = 'ConflictsIndexes1767310000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA IF NOT EXISTS coordination');
    await q.query(`CREATE TABLE coordination.referral_index (
      referral_id text PRIMARY KEY,
      party_id text NOT NULL,
      product_line text NOT NULL,
      product_subsidiary text NOT NULL,
      referring_subsidiary text NOT NULL,
      referring_agent_id text NOT NULL,
      channel text NOT NULL,
      status text NOT NULL,
      registered_at timestamptz NOT NULL,
      window_ends_at timestamptz NOT NULL,
      policy_no text NULL)`);
    await q.query('CREATE INDEX referral_index_party_line ON coordination.referral_index (party_id, product_line)');
    await q.query(`CREATE INDEX referral_index_open_window ON coordination.referral_index (window_ends_at)
      WHERE status IN ('registered', 'accepted', 'quoted')`);
    await q.query(`CREATE TABLE coordination.quote_index (
      quote_id text PRIMARY KEY,
      party_id text NOT NULL,
      product_line text NOT NULL,
      subsidiary text NOT NULL,
      channel text NOT NULL,
      agent_id text NOT NULL,
      quoted_at timestamptz NOT NULL,
      price numeric(18,2) NULL)`);
    await q.query('CREATE INDEX quote_index_party_line ON coordination.quote_index (party_id, product_line, quoted_at)');
    await q.query(`CREATE TABLE coordination.conflict_index (
      conflict_id uuid PRIMARY KEY,
      seq bigserial NOT NULL UNIQUE,
      kind text NOT NULL,
      party_id text NOT NULL,
      product_line text NOT NULL,
      product_subsidiary text NULL,
      policy_no text NULL,
      referral_ids text[] NOT NULL DEFAULT '{}',
      status text NOT NULL,
      decision jsonb NULL)`);
    await q.query('CREATE INDEX conflict_index_referrals ON coordination.conflict_index USING gin (referral_ids)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.conflict_index');
    await q.query('DROP TABLE coordination.quote_index');
    await q.query('DROP TABLE coordination.referral_index');
  }
}

/** Read models of the referrals and conflicts projections (rebuildable from the event store). */
export class ConflictsReadModels1767310000200 implements MigrationInterface {
  name = 'ConflictsReadModels1767310000200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.referral_view (
      referral_id text PRIMARY KEY,
      party_id text NOT NULL,
      product_line text NOT NULL,
      product_subsidiary text NOT NULL,
      referring_subsidiary text NOT NULL,
      referring_agent_id text NOT NULL,
      referring_channel text NOT NULL,
      status text NOT NULL,
      registered_at timestamptz NOT NULL,
      window_ends_at timestamptz NOT NULL,
      accepted_by text NULL,
      accepted_at timestamptz NULL,
      quoted_price numeric(18,2) NULL,
      quote_currency text NULL,
      quoted_at timestamptz NULL,
      policy_no text NULL,
      linked_by text NULL,
      lost_reason text NULL,
      closed_at timestamptz NULL,
      updated_position text NOT NULL)`);
    await q.query('CREATE INDEX referral_view_party ON coordination.referral_view (party_id)');
    await q.query('CREATE INDEX referral_view_subsidiaries ON coordination.referral_view (referring_subsidiary, product_subsidiary, status)');
    // `state` is the conflict's folded domain state (claimants, evidence, facts, triage, outcome);
    // the other columns are what the admin queue filters and sorts on.
    await q.query(`CREATE TABLE coordination.conflict_view (
      conflict_id text PRIMARY KEY,
      kind text NOT NULL,
      party_id text NOT NULL,
      product_line text NOT NULL,
      status text NOT NULL,
      assignee text NULL,
      detected_at timestamptz NOT NULL,
      closed_at timestamptz NULL,
      state jsonb NOT NULL,
      updated_position text NOT NULL)`);
    await q.query('CREATE INDEX conflict_view_queue ON coordination.conflict_view (status, detected_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE coordination.conflict_view');
    await q.query('DROP TABLE coordination.referral_view');
  }
}

/** Every 360° read overlays the party's open conflicts: found by party, not by scanning the queue. */
export class ConflictViewParty1767310000400 implements MigrationInterface {
  name = 'ConflictViewParty1767310000400';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX conflict_view_party ON coordination.conflict_view (party_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX coordination.conflict_view_party');
  }
}

export const conflictsMigrations = [ConflictsIndexes1767310000100, ConflictsReadModels1767310000200, ConflictsBusinessTime1767310000300, ConflictViewParty1767310000400,
  ConflictsSalesAsOf1767310000500, ConflictsClosedReferrals1767310000600, ConflictsQuotesAsOf1767310000700, ConflictsApproachesAsOf1767310000800];
