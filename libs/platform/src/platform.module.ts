import { DynamicModule, Inject, Module, OnApplicationBootstrap, OnModuleInit, Provider } from '@nestjs/common';
import { APP_FILTER, HttpAdapterHost } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule, authMigrations } from './auth';
import type { FastifyInstance } from 'fastify';
import { LoggerModule } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import { DataSource, type MixedList } from 'typeorm';
import type { BaseConfig } from './config';
import { dataSourceOptions, migrated } from './database';
import { ProblemDetailsFilter } from './errors';
import { HealthController, KAFKA_PING, KafkaPing } from './health';
import { accessLog, createLogger, loggerParams } from './logging';
import { MetricsController, recordHttpMetrics } from './metrics';

export const APP_CONFIG = Symbol('APP_CONFIG');
/** The service's pino logger (access log, Nest's logs). */
export const SERVICE_LOGGER = Symbol('SERVICE_LOGGER');

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
export class PlatformModule implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(SERVICE_LOGGER) private readonly logger: Pino,
  ) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    const logger = createLogger(options.service, options.config.LOG_LEVEL);
    const providers: Provider[] = [
      { provide: APP_CONFIG, useValue: options.config },
      { provide: SERVICE_LOGGER, useValue: logger },
      { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ...(options.kafkaPing ? [{ provide: KAFKA_PING, useValue: options.kafkaPing }] : []),
      ...(options.extraProviders ?? []),
    ];
    return {
      module: PlatformModule,
      global: true,
      imports: [
        LoggerModule.forRoot(loggerParams(logger)),
        TerminusModule,
        TypeOrmModule.forRootAsync({
          useFactory: () =>
            dataSourceOptions({
              url: options.config.DATABASE_URL,
              service: options.service,
              migrations: [...authMigrations, ...(options.migrations as Function[])],
              entities: options.entities,
              poolSize: options.config.DATABASE_POOL_SIZE,
              preparedStatements: options.config.DATABASE_PREPARED_STATEMENTS,
              pipeline: options.config.DATABASE_PIPELINE,
              migrationsRun: false,
            }),
          dataSourceFactory: async (dsOptions) => migrated(new DataSource(dsOptions!)),
        }),
        AuthModule.forRoot({ env: options.config }),
      ],
      controllers: [HealthController, MetricsController],
      providers,
      exports: [APP_CONFIG, SERVICE_LOGGER, ...(options.kafkaPing ? [KAFKA_PING] : [])],
    };
  }

  /** Every answered request: its HTTP metrics and its line in the access log. */
  onModuleInit(): void {
    const log = accessLog(this.logger);
    this.server()?.addHook('onResponse', (request, reply, done) => {
      recordHttpMetrics(request, reply);
      log(request, reply);
      done();
    });
  }

  /**
   * Fastify serves routes once it is ready; made ready here, at the end of `app.init()`,
   * a service is served as soon as it is initialised (tests use `app.getHttpServer()`
   * after `init()`, as they did on express). `listen()` finds it ready.
   */
  async onApplicationBootstrap(): Promise<void> {
    await this.server()?.ready();
  }

  /** The HTTP server; none in an application context (scripts). */
  private server(): FastifyInstance | undefined {
    return this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
  }
}
