import { Logger } from '@nestjs/common';
import type { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { preparingClient } from './prepared-statements';

const poolLogger = new Logger('DatabasePool');

/**
 * pg-pool drops its idle 'error' listener while a client is checked out, and TypeORM attaches
 * its own only while a query runner holds the client. A FATAL from the server in between (a
 * terminated backend, a server restart) would then be an unhandled 'error' event and kill the
 * process. Every pooled client gets a permanent listener instead: the broken client is discarded
 * by the pool and the next query reconnects.
 */
export function keepClientErrorsHandled(client: { on(event: 'error', listener: (err: Error) => void): unknown }): void {
  client.on('error', (err) => poolLogger.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'database connection lost; the pool will reconnect'));
}

export interface DatabaseOptions {
  url: string;
  service: string;
  migrations: MixedList<Function>;
  entities?: MixedList<Function>;
  poolSize?: number;
  migrationsRun?: boolean;
  /** Parameterised statements as server-side prepared ones (default true); see preparingClient. */
  preparedStatements?: boolean;
  /**
   * Pipelined connections (default true): statements a caller issues without awaiting the one
   * before (`Promise.all` of independent reads inside a transaction) go to the server together and
   * are answered in order, one round trip instead of one each. Code that awaits each statement
   * behaves exactly as without it.
   */
  pipeline?: boolean;
}

/**
 * TypeORM options shared by every service. Schema is never synchronised: committed
 * migrations only. Each service keeps its own migrations table, because in embedded
 * mode all services share one database.
 */
export function dataSourceOptions(options: DatabaseOptions): DataSourceOptions {
  return {
    type: 'postgres',
    url: options.url,
    synchronize: false,
    migrationsRun: options.migrationsRun ?? true,
    migrationsTransactionMode: 'each',
    migrations: options.migrations,
    migrationsTableName: `${options.service.replace(/\W/g, '_')}_migrations`,
    entities: options.entities ?? [],
    applicationName: `xsell-${options.service}`,
    extra: {
      max: options.poolSize ?? 10,
      onConnect: keepClientErrorsHandled,
      pipeline: options.pipeline ?? true,
      ...(options.preparedStatements === false ? {} : { Client: preparingClient() }),
    },
    logging: false,
  };
}

/**
 * Initialises and migrates under a cluster-wide advisory lock: in embedded mode the four
 * services start together on one database, and concurrent CREATE SCHEMA IF NOT EXISTS races.
 */
export async function migrated(dataSource: DataSource): Promise<DataSource> {
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query("SELECT pg_advisory_lock(hashtext('xsell:migrations'))");
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query("SELECT pg_advisory_unlock(hashtext('xsell:migrations'))").catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
