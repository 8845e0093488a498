import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `auth` schema. Every service lists this migration in its own migrations table,
 * and in embedded mode they share one database, so it must be idempotent and safe when
 * several services run it at once: IF NOT EXISTS alone races on the catalogue, so an
 * advisory lock held until commit serialises the runs. That needs a transaction, i.e.
 * migrationsTransactionMode 'each' (the platform's) or 'all', not 'none'.
 */
export class CreateAuthApiKeys1767225600000 implements MigrationInterface {
  name = 'CreateAuthApiKeys1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT pg_advisory_xact_lock(hashtext('xsell.auth.migrations'))`);
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS auth`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS auth.api_keys (
        id           text PRIMARY KEY,
        name         text NOT NULL,
        role         text NOT NULL,
        subsidiary   text NULL CHECK (subsidiary IN ('life', 'pnc', 'group')),
        key_hash     text NOT NULL CHECK (key_hash ~ '^[0-9a-f]{64}$'),
        created_at   timestamptz NOT NULL DEFAULT now(),
        created_by   text NOT NULL,
        revoked_at   timestamptz NULL,
        revoked_by   text NULL,
        last_used_at timestamptz NULL
      )`);
  }

  /**
   * Deliberately keeps the table: the other services that share it still authenticate
   * with these keys, and reverting one service must not lock out the rest.
   */
  async down(): Promise<void> {}
}

/** Add to every service's TypeORM `migrations` list. */
export const authMigrations = [CreateAuthApiKeys1767225600000];
