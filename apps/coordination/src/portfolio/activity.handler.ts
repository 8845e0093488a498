import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../infrastructure/inbound/inbound.types';
import { agentKey, clientKey, MissingFactError } from '../infrastructure/inbound/inbound.types';
import { EVENT_STORE, PARTY_RESOLVER, PartyResolver } from '../infrastructure/tokens';
import { activityStreamId } from './portfolio.events';
import { findAgent } from './portfolio.store';

/** Sales activities (calls, visits, quotes), resolved to the agent and, when named, the client's party. */
@Injectable()
export class ActivityHandler implements InboundHandler {
  readonly name = 'portfolio.activities';
  readonly handles = ['ActivityLogged'] as const;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PARTY_RESOLVER) private readonly parties: PartyResolver,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    if (ctx.event.type !== 'ActivityLogged') return;
    const p = ctx.event.payload;
    const agent = await findAgent(ctx.manager, p.agentId);
    if (!agent) throw new MissingFactError(agentKey(p.agentId));
    let partyId: string | null = null;
    if (p.clientLocalId) {
      partyId = await this.parties.partyIdOf(ctx.manager, ctx.event.subsidiary, p.clientLocalId);
      if (!partyId) throw new MissingFactError(clientKey(ctx.event.subsidiary, p.clientLocalId));
    }
    const data = {
      activityId: p.activityId, agentId: p.agentId, agentSubsidiary: agent.subsidiary, channel: agent.channel, partyId,
      kind: p.kind, at: p.at, productLine: p.productLine ?? null, quotedPrice: p.quotedPrice ?? null,
    };
    await this.store.append(activityStreamId(partyId, p.agentId), [{ eventId: ctx.eventId('ActivityRecorded'), type: 'ActivityRecorded', data, metadata: ctx.metadata }], 'any', { manager: ctx.manager });
    ctx.shared.set('activity', data);
  }
}
