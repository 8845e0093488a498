import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity's inline look-up tables (written in the transaction that appends the party
 * events they mirror) and the review queue. No identity number is stored in clear:
 * identity keys are HMACs, candidate records carry only the hash and the masked form.
 */
export class IdentityTables1767300100000 implements MigrationInterface {
  name = 'IdentityTables1767300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA IF NOT EXISTS coordination');
    await q.query(`CREATE TABLE coordination.party_links (
      subsidiary text NOT NULL, local_id text NOT NULL, party_id uuid NOT NULL,
      PRIMARY KEY (subsidiary, local_id))`);
    await q.query('CREATE INDEX party_links_party ON coordination.party_links (party_id)');
    // The primary key is what makes "one party per identity" hold across concurrent consumers.
    await q.query(`CREATE TABLE coordination.identity_keys (
      kind text NOT NULL CHECK (kind IN ('id-hash', 'credit-code')), value text NOT NULL, party_id uuid NOT NULL,
      PRIMARY KEY (kind, value))`);
    await q.query('CREATE INDEX identity_keys_party ON coordination.identity_keys (party_id)');
    await q.query(`CREATE TABLE coordination.party_redirects (
      from_party_id uuid PRIMARY KEY, to_party_id uuid NOT NULL)`);
    await q.query(`CREATE TABLE coordination.match_candidates (
      blocking_key text NOT NULL, subsidiary text NOT NULL, local_id text NOT NULL, party_id uuid NOT NULL, record jsonb NOT NULL,
      PRIMARY KEY (blocking_key, subsidiary, local_id))`);
    await q.query('CREATE INDEX match_candidates_local ON coordination.match_candidates (subsidiary, local_id)');
    await q.query('CREATE INDEX match_candidates_party ON coordination.match_candidates (party_id)');
    await q.query(`CREATE TABLE coordination.match_reviews (
      review_id uuid PRIMARY KEY,
      status text NOT NULL CHECK (status IN ('open', 'approved', 'rejected')),
      candidate_subsidiary text NOT NULL, candidate_local_id text NOT NULL,
      party_id uuid NOT NULL, score double precision NOT NULL, evidence jsonb NOT NULL,
      opened_at timestamptz NOT NULL, resolved_at timestamptz, resolved_by text, note text)`);
    await q.query('CREATE INDEX match_reviews_status ON coordination.match_reviews (status, opened_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['match_reviews', 'match_candidates', 'party_redirects', 'identity_keys', 'party_links']) {
      await q.query(`DROP TABLE coordination.${t}`);
    }
  }
}
