import { DynamicModule, MiddlewareConsumer, Module, NestModule, Provider } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, authMigrations } from './auth';
import { LoggerModule } from 'nestjs-pino';
import { DataSource, type MixedList } from 'typeorm';
import type { BaseConfig } from './config';
import { dataSourceOptions, migrated } from './database';
import { ProblemDetailsFilter } from './errors';
import { HealthController, KAFKA_PING, KafkaPing } from './health';
import { loggerParams } from './logging';
import { HttpMetricsMiddleware, MetricsController } from './metrics';

export const APP_CONFIG = Symbol('APP_CONFIG');

export interface PlatformOptions {
  service: string;
  config: BaseConfig;
  migrations: MixedList<Function>;
  entities?: MixedList<Function>;
  kafkaPing?: KafkaPing;
  extraProviders?: Provider[];
}

/** Logging, database, health, metrics and problem+json errors: what every service has. */
@Module({})
export class PlatformModule implements NestModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: options.config },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ...(options.kafkaPing ? [{ provide: KAFKA_PING, useValue: options.kafkaPing }] : []),
      ...(options.extraProviders ?? []),
    ];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(options.service, options.config.LOG_LEVEL)),
        TerminusModule,
        TypeOrmModule.forRootAsync({
          useFactory: () =>
            dataSourceOptions({
              url: options.config.DATABASE_URL,
              service: options.service,
              migrations: [...authMigrations, ...(options.migrations as Function[])],
              entities: options.entities,
              poolSize: options.config.DATABASE_POOL_SIZE,
              migrationsRun: false,
            }),
          dataSourceFactory: async (dsOptions) => migrated(new DataSource(dsOptions!)),
        }),
        AuthModule.forRoot({ env: options.config }),
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [APP_CONFIG, ...(options.kafkaPing ? [KAFKA_PING] : [])],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HttpMetricsMiddleware).forRoutes('*path');
  }
}
