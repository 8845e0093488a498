import type { MigrationInterface, QueryRunner } from 'typeorm';

export interface EventStoreAppRoleOptions {
  /** The role the application connects as (or SETs); created when missing. */
  role: string;
  /** Create it with LOGIN (the password is set by operations, never in a migration). Default false. */
  login?: boolean;
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * SQL that lets `role` use the event store and nothing more: INSERT (only the columns a
 * writer may choose; positions, tx ids and timestamps come from defaults) and SELECT on
 * events, INSERT and SELECT on seals, no UPDATE/DELETE/TRUNCATE on either. Roles are
 * cluster-wide and several databases may run this at once, so creation tolerates a race.
 */
export function eventStoreAppRoleSql({ role, login = false }: EventStoreAppRoleOptions): string[] {
  if (!ROLE_NAME.test(role)) throw new Error(`invalid role name "${role}": use lower-case letters, digits and _`);
  const r = `"${role}"`;
  return [
    `DO $$ BEGIN
       CREATE ROLE ${r} ${login ? 'LOGIN' : 'NOLOGIN'};
     EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
     END $$`,
    `GRANT USAGE ON SCHEMA event_store TO ${r}`,
    `GRANT SELECT ON event_store.events TO ${r}`,
    `GRANT INSERT (event_id, stream_id, stream_revision, type, schema_version, data, metadata) ON event_store.events TO ${r}`,
    `GRANT SELECT, INSERT ON event_store.seals TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE ON event_store.streams TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE ON event_store.checkpoints TO ${r}`,
    `GRANT EXECUTE ON FUNCTION event_store.append_to_stream(text, text, bigint, jsonb) TO ${r}`,
    `GRANT EXECUTE ON FUNCTION event_store.lock_streams(text[]) TO ${r}`,
  ];
}

function revokeSql(role: string): string[] {
  const r = `"${role}"`;
  return [
    `REVOKE ALL ON ALL TABLES IN SCHEMA event_store FROM ${r}`,
    `REVOKE ALL ON ALL FUNCTIONS IN SCHEMA event_store FROM ${r}`,
    `REVOKE ALL ON SCHEMA event_store FROM ${r}`,
  ];
}

/**
 * A migration class (TypeORM instantiates migration classes) that applies
 * eventStoreAppRoleSql; list it after eventStoreMigrations. `down` revokes the grants
 * but never drops the role: other databases in the cluster may use it.
 */
export function eventStoreAppRoleMigration(options: EventStoreAppRoleOptions): new () => MigrationInterface {
  const up = eventStoreAppRoleSql(options);
  return class EventStoreAppRole1767225600100 implements MigrationInterface {
    name = 'EventStoreAppRole1767225600100';

    async up(queryRunner: QueryRunner): Promise<void> {
      for (const sql of up) await queryRunner.query(sql);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      for (const sql of revokeSql(options.role)) await queryRunner.query(sql);
    }
  };
}
