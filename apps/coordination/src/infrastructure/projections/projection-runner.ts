import type { EventStore, Subscription } from '@lib/event-store';
import { metricsRegistry } from '@lib/platform';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { EVENT_STORE, PROJECTIONS } from '../tokens';
import { checkpointOf, liveTables, Projection } from './projection.types';

const lagSeconds = new Gauge({
  name: 'projection_lag_seconds',
  help: 'Age of the newest event a projection has applied, when it applied it (0 when caught up and idle)',
  labelNames: ['projection'],
  registers: [metricsRegistry],
});

/**
 * Runs every projection as a catch-up subscription whose checkpoint advances in the same
 * transaction as its read-model writes, so a crash neither loses nor repeats an update.
 * Several instances may run it: the checkpoint's compare-and-set lets one win each batch.
 */
@Injectable()
export class ProjectionRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProjectionRunner.name);
  private subscriptions: Subscription[] = [];
  private paused = new Set<string>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROJECTIONS) private readonly projections: Projection[],
  ) {}

  onApplicationBootstrap(): void {
    if (process.env.PROJECTIONS_DISABLED === '1') return;
    this.subscriptions = this.projections.map((p) => this.subscribe(p));
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.stop()));
  }

  /** Resolves when every projection has applied everything committed before the call. */
  async caughtUp(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.caughtUp()));
  }

  byName(name: string): Projection | undefined {
    return this.projections.find((p) => p.name === name);
  }

  isPaused(name: string): boolean {
    return this.paused.has(name);
  }

  private subscribe(projection: Projection): Subscription {
    return this.store.subscribeToAll({
      checkpointName: checkpointOf(projection),
      types: projection.types,
      streamPrefix: projection.streamPrefix,
      onEvents: async (events, context) => {
        if (!context.manager) throw new Error(`projection ${projection.name} needs a transactional subscription`);
        await projection.apply(events, { manager: context.manager, table: liveTables });
        const newest = events[events.length - 1];
        lagSeconds.set({ projection: projection.name }, newest ? Math.max(0, (Date.now() - newest.recordedAt.getTime()) / 1000) : 0);
      },
      onError: (error) => this.logger.warn({ err: error, projection: projection.name }, 'projection batch failed; retrying'),
    });
  }
}
