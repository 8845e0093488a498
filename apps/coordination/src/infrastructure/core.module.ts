import { PostgresEventStore } from '@lib/event-store';
import { DynamicModule, Global, Module, Provider, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InboundRouter } from './inbound/inbound-router';
import { InboundRunner } from './inbound/inbound-runner';
import { CoordinationMetrics } from './metrics';
import type { InboundHandler } from './inbound/inbound.types';
import { ProjectionRunner } from './projections/projection-runner';
import type { Projection } from './projections/projection.types';
import { Scheduler, ScheduledTask } from './scheduling/scheduler';
import { CLOCK, EVENT_STORE, INBOUND_HANDLERS, PROJECTIONS, SCHEDULED_TASKS, systemClock } from './tokens';

export interface CoreFeatures {
  /** In the order they run for one event: identity first (it resolves parties), crediting last. */
  inboundHandlers: Array<Type<InboundHandler>>;
  projections: Array<Type<Projection>>;
  scheduledTasks: Array<Type<ScheduledTask>>;
  imports: Array<Type<unknown> | DynamicModule>;
}

/** What every feature module injects: the event store and the clock. */
@Global()
@Module({
  providers: [
    { provide: EVENT_STORE, useFactory: (dataSource: DataSource) => new PostgresEventStore(dataSource), inject: [DataSource] },
    { provide: CLOCK, useValue: systemClock },
  ],
  exports: [EVENT_STORE, CLOCK],
})
export class EventStoreModule {}

/** The write path and read-model machinery, with the features' handlers plugged in. */
@Module({})
export class CoordinationCoreModule {
  static forRoot(features: CoreFeatures): DynamicModule {
    const collect = <T>(token: symbol, types: Array<Type<T>>): Provider => ({
      provide: token,
      useFactory: (...instances: T[]) => instances,
      inject: types,
    });
    return {
      module: CoordinationCoreModule,
      imports: [EventStoreModule, ...features.imports],
      providers: [
        collect(INBOUND_HANDLERS, features.inboundHandlers),
        collect(PROJECTIONS, features.projections),
        collect(SCHEDULED_TASKS, features.scheduledTasks),
        InboundRouter,
        InboundRunner,
        ProjectionRunner,
        Scheduler,
        CoordinationMetrics,
      ],
      exports: [InboundRouter, InboundRunner, ProjectionRunner, Scheduler],
    };
  }
}
