import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CLOCK, Clock, SCHEDULED_TASKS } from '../tokens';

export interface ScheduledTask {
  readonly name: string;
  readonly intervalMs: number;
  run(manager: EntityManager, now: Date): Promise<void>;
}

/**
 * Periodic work (referral expiry, SLA flags) that must happen once however many
 * instances run: each tick takes a transaction-scoped advisory lock named after the
 * task, so only the instance that gets it acts, and the lock dies with the transaction.
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Scheduler.name);
  private timers: NodeJS.Timeout[] = [];
  private running = new Set<Promise<unknown>>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(SCHEDULED_TASKS) private readonly tasks: ScheduledTask[],
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (process.env.SCHEDULER_DISABLED === '1') return;
    this.timers = this.tasks.map((task) => setInterval(() => this.track(this.tick(task)), task.intervalMs));
  }

  async onApplicationShutdown(): Promise<void> {
    this.timers.forEach(clearInterval);
    await Promise.allSettled([...this.running]);
  }

  /** Runs one tick now; returns false when another instance holds the task. */
  async tick(task: ScheduledTask): Promise<boolean> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        const [{ locked }] = await manager.query('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS locked', [`task:${task.name}`]);
        if (locked) await task.run(manager, this.clock.now());
        return Boolean(locked);
      });
    } catch (error) {
      this.logger.warn({ err: error, task: task.name }, 'scheduled task failed; it runs again next tick');
      return false;
    }
  }

  private track(promise: Promise<unknown>): void {
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
  }
}
