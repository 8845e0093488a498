import type { DataSourceOptions, MixedList } from 'typeorm';

export interface DatabaseOptions {
  url: string;
  service: string;
  migrations: MixedList<Function>;
  entities?: MixedList<Function>;
  poolSize?: number;
  migrationsRun?: boolean;
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
    extra: { max: options.poolSize ?? 10 },
    logging: false,
  };
}
