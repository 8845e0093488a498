import { DataSource } from 'typeorm';
import { authMigrations } from './auth.migrations';

/**
 * A DataSource on `url` with the auth schema migrated, for tools that run outside a
 * service (the key CLI, the dev start script). The caller destroys it.
 */
export async function openAuthDataSource(url: string): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    migrations: authMigrations,
    migrationsTableName: 'auth_tool_migrations',
    migrationsTransactionMode: 'each',
    extra: { max: 2 },
  });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
    return dataSource;
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
}
