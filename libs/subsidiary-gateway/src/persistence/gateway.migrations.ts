import { consumerMigrations, type MigrationClass } from '@lib/messaging';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `sub_life`, `sub_pnc`, `sub_group`: `group` alone is an SQL keyword. */
export const gatewaySchema = (subsidiary: string): string => `sub_${subsidiary}`;

/**
 * The subsidiary service's own tables: idempotency records and a minimal registry of
 * what it accepted, so later requests can be checked (cancel an unknown policy: 404)
 * and routed (a policy's events follow its holder's key). Foreign keys keep the
 * registry consistent whatever order concurrent requests commit in.
 */
function registryStatements(s: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS "${s}"`,
    `CREATE TABLE "${s}".idempotency_keys (
       scope text NOT NULL,
       key text NOT NULL,
       fingerprint text NOT NULL,
       operation text NOT NULL,
       status_code integer NOT NULL,
       response jsonb NOT NULL,
       event_id uuid NOT NULL,
       principal_id text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (scope, key)
     )`,
    `CREATE INDEX idempotency_keys_created_idx ON "${s}".idempotency_keys (created_at)`,
    `CREATE TABLE "${s}".clients (
       local_id text PRIMARY KEY,
       kind text NOT NULL CHECK (kind IN ('person', 'organization')),
       routing_key text NOT NULL,
       identity_type text NULL,
       identity_hash text NULL,
       identity_masked text NULL,
       identity_encrypted text NULL,
       credit_code text NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX clients_identity_hash_idx ON "${s}".clients (identity_hash) WHERE identity_hash IS NOT NULL`,
    `CREATE TABLE "${s}".agents (
       agent_id text PRIMARY KEY,
       status text NOT NULL CHECK (status IN ('active', 'terminated')),
       channel text NOT NULL,
       branch_id text NOT NULL,
       team_id text NOT NULL,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE "${s}".policies (
       policy_no text PRIMARY KEY,
       holder_local_id text NOT NULL REFERENCES "${s}".clients (local_id),
       product_code text NOT NULL,
       product_line text NOT NULL,
       premium_mode text NOT NULL,
       status text NOT NULL CHECK (status IN ('in_force', 'lapsed', 'cancelled')),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX policies_holder_idx ON "${s}".policies (holder_local_id)`,
    `CREATE TABLE "${s}".claims (
       claim_no text PRIMARY KEY,
       policy_no text NOT NULL REFERENCES "${s}".policies (policy_no),
       status text NOT NULL CHECK (status IN ('reported', 'settled')),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE "${s}".referrals (
       referral_id text PRIMARY KEY,
       client_local_id text NOT NULL REFERENCES "${s}".clients (local_id),
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE TABLE "${s}".activities (
       activity_id text PRIMARY KEY,
       agent_id text NOT NULL REFERENCES "${s}".agents (agent_id),
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
  ];
}

const TABLES = ['activities', 'referrals', 'claims', 'policies', 'agents', 'clients', 'idempotency_keys'];

function registryMigration(schema: string): MigrationClass {
  return class implements MigrationInterface {
    name = `SubsidiaryRegistry_${schema}_1767312000000`;

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const statement of registryStatements(schema)) await queryRunner.query(statement);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const table of TABLES) await queryRunner.query(`DROP TABLE "${schema}".${table}`);
    }
  };
}

/**
 * Everything a subsidiary service migrates on top of the platform's (auth): the
 * consumer tables (offsets, dead letters and the outbox, for Kafka intake and the
 * relay) and the registry.
 */
export function gatewayMigrations(subsidiary: string): MigrationClass[] {
  const schema = gatewaySchema(subsidiary);
  return [...consumerMigrations(schema), registryMigration(schema)];
}
