import type { Subsidiary } from '@lib/contracts';
import { PlatformModule } from '@lib/platform';
import { DynamicModule, Module } from '@nestjs/common';
import type { Catalogue } from './catalogue/catalogue';
import type { SubsidiaryConfig } from './config';
import { CLOCK, type Clock, GATEWAY_SETTINGS, gatewaySettings, systemClock } from './gateway.settings';
import { IntakeController } from './http/intake.controller';
import { IntakeHttp } from './http/intake.http';
import { IntakeService } from './intake/intake.service';
import { createKafka, KAFKA_CLIENT, KafkaRuntime, pingKafka } from './kafka/kafka-runtime';
import { OutboxMetrics } from './outbox-metrics';
import { gatewayMigrations } from './persistence/gateway.migrations';

export interface SubsidiaryGatewayOptions {
  subsidiary: Subsidiary;
  config: SubsidiaryConfig;
  catalogue: Catalogue;
  clock?: Clock;
}

/**
 * A whole subsidiary service: platform (logging, database, health, problem+json, auth),
 * the intake routes, and the Kafka relay and consumer when a broker is configured.
 * Each app composes it with its own subsidiary code and catalogue.
 */
@Module({})
export class SubsidiaryGatewayModule {
  static forRoot(options: SubsidiaryGatewayOptions): DynamicModule {
    const { subsidiary, config, catalogue } = options;
    const settings = gatewaySettings(subsidiary, config, catalogue);
    const kafka = settings.kafka ? createKafka(settings.kafka) : null;
    return {
      module: SubsidiaryGatewayModule,
      imports: [
        PlatformModule.forRoot({
          service: subsidiary,
          config,
          migrations: gatewayMigrations(subsidiary),
          ...(kafka ? { kafkaPing: () => pingKafka(kafka) } : {}),
        }),
      ],
      controllers: [IntakeController],
      providers: [
        { provide: GATEWAY_SETTINGS, useValue: settings },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: KAFKA_CLIENT, useValue: kafka },
        IntakeService,
        IntakeHttp,
        KafkaRuntime,
        OutboxMetrics,
      ],
      exports: [IntakeService, KafkaRuntime],
    };
  }
}
