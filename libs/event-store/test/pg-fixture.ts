import { DataSource } from 'typeorm';
import { PostgresEventStore, UpcasterRegistry, eventStoreAppRoleMigration, eventStoreMigrations } from '@lib/event-store';
import { createTestDatabase, type TestDatabase } from '../../../test/infra/postgres';

/** Cluster-wide and shared by parallel test databases: created if missing, never dropped. */
export const TEST_APP_ROLE = 'xsell_event_store_app_test';

export interface PgFixture {
  db: TestDatabase;
  /** Connected as the owner (superuser in tests): migrations and tampering. */
  owner: DataSource;
  /** Every connection runs as the application role, so tests prove its grants suffice. */
  app: DataSource;
  store: PostgresEventStore;
  close(): Promise<void>;
}

export async function createPgFixture(prefix: string, opts: { upcasters?: UpcasterRegistry; poolSize?: number } = {}): Promise<PgFixture> {
  const db = await createTestDatabase(prefix);
  const owner = new DataSource({
    type: 'postgres',
    url: db.url,
    poolSize: 4,
    migrations: [...eventStoreMigrations, eventStoreAppRoleMigration({ role: TEST_APP_ROLE })],
  });
  await owner.initialize();
  await owner.runMigrations();
  // Lets oldestInFlightTxAgeSeconds see other sessions, as production should (README, "Commit horizon").
  await owner.query(`GRANT pg_read_all_stats TO ${TEST_APP_ROLE}`);
  const app = new DataSource({ type: 'postgres', url: db.url, poolSize: opts.poolSize ?? 20, extra: { options: `-c role=${TEST_APP_ROLE}` } });
  await app.initialize();
  const store = new PostgresEventStore(app, { upcasters: opts.upcasters });
  return {
    db,
    owner,
    app,
    store,
    close: async () => {
      await app.destroy();
      await owner.destroy();
      await db.drop();
    },
  };
}
