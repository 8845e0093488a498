import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log read model (projection `audit-access-log`) and two indexes on the event
 * store for the audit API's filters: the correlation id (metadata) and the recording time.
 * On a large existing event table build the indexes beforehand with CREATE INDEX
 * CONCURRENTLY under the same names; IF NOT EXISTS then makes this a no-op.
 */
export class AuditTables1767320000100 implements MigrationInterface {
  name = 'AuditTables1767320000100';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA IF NOT EXISTS coordination');
    await q.query(`CREATE TABLE coordination.audit_access_log (
      event_id text PRIMARY KEY, kind text NOT NULL, principal text NOT NULL, roles text[] NOT NULL,
      party_id text, path text, query jsonb, at timestamptz NOT NULL, position text NOT NULL)`);
    await q.query('CREATE INDEX audit_access_log_party ON coordination.audit_access_log (party_id, at)');
    await q.query('CREATE INDEX audit_access_log_principal ON coordination.audit_access_log (principal, at)');
    await q.query('CREATE INDEX audit_access_log_at ON coordination.audit_access_log (at)');
    await q.query(`CREATE INDEX IF NOT EXISTS events_correlation_id_idx ON event_store.events ((metadata->>'correlationId'))
                   WHERE metadata ? 'correlationId'`);
    // Append-only and roughly time-ordered: a BRIN index costs almost nothing on the write path.
    await q.query('CREATE INDEX IF NOT EXISTS events_recorded_at_brin ON event_store.events USING brin (recorded_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS event_store.events_recorded_at_brin');
    await q.query('DROP INDEX IF EXISTS event_store.events_correlation_id_idx');
    await q.query('DROP TABLE coordination.audit_access_log');
  }
}
