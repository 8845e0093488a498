import type { SubsidiaryEvent } from '@lib/contracts';
import { Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { OrphanService } from '../orphans/orphan.service';

/**
 * After the portfolio recorded a termination (it shares the agent then), the leaver's in-force
 * policies are handed on in the same transaction, so no renewal can slip in between.
 */
@Injectable()
export class OrphanHandler implements InboundHandler {
  readonly name = 'crediting.orphans';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['AgentTerminated'];

  constructor(private readonly orphans: OrphanService) {}

  async handle(ctx: InboundContext): Promise<void> {
    if (ctx.event.type !== 'AgentTerminated' || !ctx.shared.get('agent')) return;
    const { agentId, effectiveDate } = ctx.event.payload;
    await this.orphans.onTermination(ctx.manager, agentId, effectiveDate, { metadata: ctx.metadata, eventId: (...q) => ctx.eventId(...q) });
  }
}
