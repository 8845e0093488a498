import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { execute } from '../../infrastructure/decider-runner';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { CONFLICTS_SETTINGS, type WriteContext } from '../conflicts.ports';
import type { ConflictsSettings } from '../conflicts.settings';
import {
  createReferralDecider, referralStreamId, type ReferralCommand, type ReferralDecider, type ReferralEvent, type ReferralStage, type ReferralState,
} from '../domain';
import { lockReferral, saveReferral } from '../persistence/referral-index';
import { DecisionOutbox } from './decision-outbox';
import { stageOf } from './decision-messages';

/**
 * Every referral command goes through here, whoever issues it (inbound events, the expiry
 * task, the product side's REST calls): lock the index row, decide and append on
 * `referral-<id>`, mirror the state into referral_index and tell both subsidiaries.
 */
@Injectable()
export class ReferralWriter {
  private readonly decider: ReferralDecider;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CONFLICTS_SETTINGS) settings: ConflictsSettings,
    private readonly outbox: DecisionOutbox,
  ) {
    this.decider = createReferralDecider(settings.windows);
  }

  async run(referralId: string, command: ReferralCommand, ctx: WriteContext): Promise<{ events: readonly ReferralEvent[]; state: ReferralState }> {
    const before = await lockReferral(ctx.manager, referralId);
    const eventIdOf = (type: string) => ctx.eventId('referral', referralId, type);
    const result = await execute(this.store, referralStreamId(referralId), this.decider, command, {
      manager: ctx.manager,
      metadata: ctx.metadata,
      eventId: (event) => eventIdOf(event.type),
    });
    if (result.events.length === 0) return result;
    await saveReferral(ctx.manager, result.state);
    let previous: ReferralStage | null = before?.status ?? null;
    for (const event of result.events) {
      if (event.type === 'ReferralLossNoted') continue; // the stage stands: nothing to tell either side
      await this.outbox.referralChanged(ctx, result.state, event, previous, eventIdOf(event.type));
      previous = stageOf(event);
    }
    return result;
  }
}
