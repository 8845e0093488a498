import { assertSchemaName, qualified } from '../sql.util';
import { MigrationClass, sqlMigration } from '../sql-migration';

/**
 * The transactional outbox of one schema. `tx_id` records the writing transaction so
 * readers can wait for it to finish (see visibleToReaders); the partial index serves the
 * relay, the topic index serves readers of the log (embedded mode).
 */
export function outboxMigrations(schema: string): MigrationClass[] {
  const s = assertSchemaName(schema);
  const outbox = qualified(s, 'outbox');
  return [
    sqlMigration(
      `MessagingOutbox_${s}_1767225600000`,
      [
        `CREATE SCHEMA IF NOT EXISTS "${s}"`,
        `CREATE TABLE ${outbox} (
           id bigserial PRIMARY KEY,
           topic text NOT NULL,
           message_key text NULL,
           value text NOT NULL,
           headers jsonb NOT NULL DEFAULT '{}'::jsonb,
           created_at timestamptz NOT NULL DEFAULT now(),
           published_at timestamptz NULL,
           attempts integer NOT NULL DEFAULT 0,
           last_error text NULL,
           tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()
         )`,
        `CREATE INDEX outbox_unpublished_idx ON ${outbox} (tx_id, id) WHERE published_at IS NULL`,
        `CREATE INDEX outbox_topic_position_idx ON ${outbox} (topic, tx_id, id)`,
      ],
      [`DROP TABLE ${outbox}`],
    ),
  ];
}
