import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ScheduledTask } from '../../infrastructure/scheduling/scheduler';
import { CONFLICTS_SETTINGS, type WriteContext } from '../conflicts.ports';
import type { ConflictsSettings } from '../conflicts.settings';
import { ConflictsDomainError, dueForExpiry } from '../domain';
import { referralsDueForExpiry } from '../persistence/referral-index';
import { ReferralWriter } from '../write/referral-writer';

export const EXPIRY_ACTOR = 'system:referral-expiry';

/**
 * Ends the exclusivity of open referrals whose window has passed. `now` is the scheduler's
 * clock reading (tests pass their own). Event ids derive from the referral alone, so two
 * instances racing on one referral write the same event once.
 */
@Injectable()
export class ReferralExpiryTask implements ScheduledTask {
  readonly name = 'referral-expiry';
  readonly intervalMs: number;
  private readonly logger = new Logger(ReferralExpiryTask.name);

  constructor(
    private readonly referrals: ReferralWriter,
    @Inject(CONFLICTS_SETTINGS) private readonly settings: ConflictsSettings,
  ) {
    this.intervalMs = settings.expiryIntervalMs;
  }

  async run(manager: EntityManager, now: Date): Promise<void> {
    const at = now.toISOString();
    const candidates = await referralsDueForExpiry(manager, now, this.settings.expiryBatchSize);
    for (const referralId of dueForExpiry(candidates, at)) await this.expireOne(manager, referralId, at);
  }

  private async expireOne(manager: EntityManager, referralId: string, at: string): Promise<void> {
    const source = `referral-expiry:${referralId}`;
    const ctx: WriteContext = {
      manager,
      metadata: { correlationId: source, causationId: null, actor: EXPIRY_ACTOR, occurredAt: at },
      eventId: (...qualifiers) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, source, ...qualifiers),
    };
    // One referral the domain refuses must not hold back the rest of the batch forever.
    await manager.query('SAVEPOINT referral_expiry');
    try {
      await this.referrals.run(referralId, { type: 'ExpireReferral', data: { referralId, now: at } }, ctx);
      await manager.query('RELEASE SAVEPOINT referral_expiry');
    } catch (error) {
      if (!(error instanceof ConflictsDomainError)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT referral_expiry');
      this.logger.warn({ referralId, code: error.code }, 'referral not expired');
    }
  }
}
