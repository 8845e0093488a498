import { DynamicModule, Module } from '@nestjs/common';
import { eventStoreMigrations } from '@lib/event-store';
import { PlatformModule } from '@lib/platform';
import type { CoordinationConfig } from './config';
import { CoordinationCoreModule, EventStoreModule } from './infrastructure/core.module';
import { coordinationMessagingMigrations } from './infrastructure/inbound/inbound-runner';
import { CoordinationCore1767300000000 } from './infrastructure/migrations/1767300000000-coordination-core';

export const coordinationMigrations = [...eventStoreMigrations, ...coordinationMessagingMigrations, CoordinationCore1767300000000];

@Module({})
export class CoordinationAppModule {
  static forRoot(config: CoordinationConfig): DynamicModule {
    return {
      module: CoordinationAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'coordination', config, migrations: coordinationMigrations }),
        EventStoreModule,
        CoordinationCoreModule.forRoot({ inboundHandlers: [], projections: [], scheduledTasks: [], imports: [] }),
      ],
    };
  }
}
