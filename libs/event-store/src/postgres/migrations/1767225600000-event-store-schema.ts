import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APPEND_FUNCTION_SQL, LOCK_STREAMS_FUNCTION_SQL } from './append-function.sql';

/**
 * The event store's tables in schema `event_store`. Runs as the owner role; the
 * application role gets only what eventStoreAppRoleMigration grants.
 *
 * events.tx_id is the writing transaction's id: readers only take rows whose tx_id is
 * below the oldest transaction still in flight, so a transaction that commits late can
 * never be skipped (see README, "Commit horizon").
 */
const TABLES_SQL = [
  `CREATE SCHEMA IF NOT EXISTS event_store`,
  `CREATE TABLE event_store.events (
     global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     tx_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
     event_id text NOT NULL,
     stream_id text NOT NULL,
     stream_revision bigint NOT NULL,
     type text NOT NULL,
     schema_version integer NOT NULL,
     data jsonb NOT NULL,
     metadata jsonb NOT NULL,
     recorded_at timestamptz NOT NULL DEFAULT statement_timestamp(),
     CONSTRAINT events_event_id_key UNIQUE (event_id),
     CONSTRAINT events_stream_revision_key UNIQUE (stream_id, stream_revision),
     CONSTRAINT events_stream_revision_check CHECK (stream_revision >= 0),
     CONSTRAINT events_schema_version_check CHECK (schema_version >= 1)
   )`,
  `CREATE INDEX events_tx_position_idx ON event_store.events (tx_id, global_position)`,
  `CREATE TABLE event_store.streams (
     stream_id text PRIMARY KEY,
     revision bigint NOT NULL,
     last_tx_id xid8 NOT NULL DEFAULT '0'
   )`,
  `CREATE TABLE event_store.seals (
     audit_seq bigint PRIMARY KEY CHECK (audit_seq >= 1),
     global_position bigint NOT NULL CONSTRAINT seals_global_position_key UNIQUE,
     tx_id xid8 NOT NULL,
     content_hash text NOT NULL,
     chain_hash text NOT NULL,
     sealed_at timestamptz NOT NULL DEFAULT statement_timestamp()
   )`,
  `CREATE TABLE event_store.checkpoints (
     name text PRIMARY KEY,
     position text NOT NULL,
     updated_at timestamptz NOT NULL DEFAULT statement_timestamp()
   )`,
];

/** Defence in depth under the grants: even the owner must disable these to rewrite history. */
const APPEND_ONLY_SQL = [
  `CREATE FUNCTION event_store.reject_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     RAISE EXCEPTION 'event_store.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = '42501';
   END $$`,
  ...['events', 'seals'].flatMap((table) => [
    `CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON event_store.${table}
       FOR EACH ROW EXECUTE FUNCTION event_store.reject_mutation()`,
    `CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON event_store.${table}
       FOR EACH STATEMENT EXECUTE FUNCTION event_store.reject_mutation()`,
  ]),
];

export class EventStoreSchema1767225600000 implements MigrationInterface {
  name = 'EventStoreSchema1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of [...TABLES_SQL, ...APPEND_ONLY_SQL, APPEND_FUNCTION_SQL, LOCK_STREAMS_FUNCTION_SQL]) {
      await queryRunner.query(sql);
    }
    await queryRunner.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA event_store FROM PUBLIC`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SCHEMA event_store CASCADE`);
  }
}
