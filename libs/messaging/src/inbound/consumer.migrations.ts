import { outboxMigrations } from '../outbox/outbox.migrations';
import { assertSchemaName, qualified } from '../sql.util';
import { MigrationClass, sqlMigration } from '../sql-migration';

/**
 * Tables of a consuming service: where each (group, topic, partition) resumes, and the
 * messages it gave up on. Includes the schema's outbox, which carries dead letters to
 * `<topic>.dlq`; do not list outboxMigrations(schema) separately for the same schema.
 */
export function consumerMigrations(schema: string): MigrationClass[] {
  const s = assertSchemaName(schema);
  const offsets = qualified(s, 'consumer_offsets');
  const deadLetters = qualified(s, 'dead_letters');
  return [
    ...outboxMigrations(s),
    sqlMigration(
      `MessagingConsumer_${s}_1767225600001`,
      [
        `CREATE TABLE ${offsets} (
           group_id text NOT NULL,
           topic text NOT NULL,
           "partition" integer NOT NULL,
           next_offset bigint NOT NULL,
           next_tx_id xid8 NULL,
           updated_at timestamptz NOT NULL DEFAULT now(),
           PRIMARY KEY (group_id, topic, "partition")
         )`,
        `CREATE TABLE ${deadLetters} (
           id bigserial PRIMARY KEY,
           group_id text NOT NULL,
           topic text NOT NULL,
           "partition" integer NOT NULL,
           "offset" bigint NOT NULL,
           "key" text NULL,
           value text NOT NULL,
           headers jsonb NOT NULL DEFAULT '{}'::jsonb,
           reason text NOT NULL,
           code text NOT NULL,
           source_schema text NULL,
           created_at timestamptz NOT NULL DEFAULT now(),
           status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'retried', 'discarded')),
           resolved_at timestamptz NULL,
           resolved_by text NULL
         )`,
        `CREATE INDEX dead_letters_status_idx ON ${deadLetters} (status, id)`,
        `CREATE INDEX dead_letters_source_idx ON ${deadLetters} (topic, "partition", "offset")`,
      ],
      [`DROP TABLE ${deadLetters}`, `DROP TABLE ${offsets}`],
    ),
  ];
}
