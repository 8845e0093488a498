import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ScheduledTask } from '../../infrastructure/scheduling/scheduler';
import { CREDITING_SETTINGS, type CreditingSettings } from '../crediting.settings';
import { RecalculationService } from './recalculation';

/** Works off background re-pricing jobs one bounded batch per tick (one instance at a time). */
@Injectable()
export class CreditRecalculationTask implements ScheduledTask {
  readonly name = 'crediting.recalculation';
  readonly intervalMs: number;

  constructor(
    @Inject(CREDITING_SETTINGS) private readonly settings: CreditingSettings,
    private readonly recalculation: RecalculationService,
  ) {
    this.intervalMs = settings.recalculationIntervalMs;
  }

  async run(manager: EntityManager): Promise<void> {
    const job = await this.recalculation.nextJob(manager);
    if (job) await this.recalculation.runBatch(manager, job, this.settings.recalculationBatchSize);
  }
}
