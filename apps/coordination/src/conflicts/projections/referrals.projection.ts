import type { RecordedEvent } from '@lib/event-store';
import { Injectable } from '@nestjs/common';
import type { Projection, ProjectionContext } from '../../infrastructure/projections/projection.types';
import type { ReferralEvent } from '../domain';
import { REFERRAL_EVENT_TYPES, stageOf } from '../write/decision-messages';

export const REFERRAL_VIEW = 'coordination.referral_view';

/** Each referral event's columns beyond the status; the view keeps the referral's whole pipeline history flat. */
function changes(event: ReferralEvent): Record<string, unknown> {
  switch (event.type) {
    case 'ReferralRegistered':
      return {};
    case 'ReferralAccepted':
      return { accepted_by: event.data.acceptedBy, accepted_at: event.data.acceptedAt };
    case 'ReferralQuoted':
      return { quoted_price: event.data.price, quote_currency: event.data.currency, quoted_at: event.data.quotedAt };
    case 'ReferralConverted':
      return { policy_no: event.data.policyNo, linked_by: event.data.linkedBy, closed_at: event.data.convertedAt };
    case 'ReferralConversionWithdrawn':
      return { policy_no: null, linked_by: null, closed_at: event.data.closedAt ?? null };
    case 'ReferralLost':
      return { lost_reason: event.data.reason, closed_at: event.data.lostAt };
    case 'ReferralLossNoted':
      return { lost_reason: event.data.reason }; // still converted; a withdrawal closes it at the loss
    case 'ReferralExpired':
      return { closed_at: event.data.expiredAt };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** GET /v1/referrals and the pipeline read this table: `referral-*` streams, one row per referral. */
@Injectable()
export class ReferralsProjection implements Projection {
  readonly name = 'referrals';
  readonly tables = [{ name: REFERRAL_VIEW, primaryKey: 'referral_id' }];
  readonly types = [...REFERRAL_EVENT_TYPES];
  readonly streamPrefix = 'referral-';

  async apply(events: RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ReferralEvent;
      if (event.type === 'ReferralRegistered') await this.insert(ctx, event, recorded.globalPosition);
      else await this.update(ctx, event, recorded.globalPosition);
    }
  }

  private async insert(ctx: ProjectionContext, event: Extract<ReferralEvent, { type: 'ReferralRegistered' }>, position: string): Promise<void> {
    const d = event.data;
    await ctx.manager.query(
      `INSERT INTO ${ctx.table(REFERRAL_VIEW)} (referral_id, party_id, product_line, product_subsidiary, referring_subsidiary,
         referring_agent_id, referring_channel, status, registered_at, window_ends_at, updated_position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'registered', $8, $9, $10) ON CONFLICT (referral_id) DO NOTHING`,
      [d.referralId, d.partyId, d.productLine, d.productSubsidiary, d.referrer.subsidiary, d.referrer.agentId, d.referrer.channel,
        d.registeredAt, d.windowEndsAt, position],
    );
  }

  private async update(ctx: ProjectionContext, event: ReferralEvent, position: string): Promise<void> {
    const columns = { status: stageOf(event), ...changes(event), updated_position: position };
    const names = Object.keys(columns);
    const assignments = names.map((name, i) => `${name} = $${i + 2}`).join(', ');
    await ctx.manager.query(`UPDATE ${ctx.table(REFERRAL_VIEW)} SET ${assignments} WHERE referral_id = $1`, [
      event.data.referralId,
      ...names.map((n) => columns[n as keyof typeof columns]),
    ]);
  }
}
