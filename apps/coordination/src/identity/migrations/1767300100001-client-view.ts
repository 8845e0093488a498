import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The 360° view read model (projection `client-view`) and the projection's own fact
 * tables, all rebuilt from the event store alone. Each has a primary key so an
 * auditor's rebuild can be compared row by row with the live tables.
 */
export class ClientViewTables1767300100001 implements MigrationInterface {
  name = 'ClientViewTables1767300100001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE coordination.client_view (
      party_id uuid PRIMARY KEY, view jsonb NOT NULL, tier text NOT NULL,
      updated_at timestamptz NOT NULL, updated_position text NOT NULL)`);
    await q.query('CREATE INDEX client_view_tier ON coordination.client_view (tier)');
    await q.query(`CREATE TABLE coordination.client_lookup (
      subsidiary text NOT NULL, local_id text NOT NULL, party_id uuid NOT NULL,
      PRIMARY KEY (subsidiary, local_id))`);
    await q.query('CREATE INDEX client_lookup_party ON coordination.client_lookup (party_id)');
    // party_keys: 'sub:localId' of holder, insured and beneficiaries, so a party's links find its policies.
    await q.query(`CREATE TABLE coordination.client_view_policies (
      subsidiary text NOT NULL, policy_no text NOT NULL, party_keys text[] NOT NULL, policy jsonb NOT NULL,
      PRIMARY KEY (subsidiary, policy_no))`);
    await q.query('CREATE INDEX client_view_policies_keys ON coordination.client_view_policies USING gin (party_keys)');
    await q.query(`CREATE TABLE coordination.client_view_relationships (
      relationship_id uuid PRIMARY KEY, party_keys text[] NOT NULL, relationship jsonb NOT NULL)`);
    await q.query('CREATE INDEX client_view_relationships_keys ON coordination.client_view_relationships USING gin (party_keys)');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['client_view_relationships', 'client_view_policies', 'client_lookup', 'client_view']) {
      await q.query(`DROP TABLE coordination.${t}`);
    }
  }
}
