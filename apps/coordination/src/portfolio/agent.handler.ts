import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../infrastructure/inbound/inbound.types';
import { agentKey, MissingFactError } from '../infrastructure/inbound/inbound.types';
import { EVENT_STORE } from '../infrastructure/tokens';
import { agentStreamId, PortfolioEvent } from './portfolio.events';
import { findAgent, recordHierarchy, terminateAgent, upsertAgent } from './portfolio.store';

/** Agents and their place in the hierarchy over time (credit rolls up the hierarchy as it stood). */
@Injectable()
export class AgentHandler implements InboundHandler {
  readonly name = 'portfolio.agents';
  readonly handles = ['AgentOnboarded', 'AgentTransferred', 'AgentTerminated'] as const;

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async handle(ctx: InboundContext): Promise<void> {
    const { event } = ctx;
    switch (event.type) {
      case 'AgentOnboarded': {
        const p = event.payload;
        const data = { ...p, subsidiary: event.subsidiary, specialistFor: p.specialistFor ?? [] };
        await this.append(ctx, p.agentId, { type: 'AgentRecorded', data });
        this.shareReplaced(ctx, await upsertAgent(ctx.manager, data));
        return;
      }
      case 'AgentTransferred': {
        const p = event.payload;
        const agent = await this.requireAgent(ctx, p.agentId);
        await this.append(ctx, p.agentId, { type: 'AgentTransferRecorded', data: p });
        this.shareReplaced(ctx, await recordHierarchy(ctx.manager, p.agentId, p.effectiveDate, agent.subsidiary, p.toBranchId, p.toTeamId, p.toLeaderId));
        return;
      }
      case 'AgentTerminated': {
        const p = event.payload;
        const agent = await this.requireAgent(ctx, p.agentId);
        await this.append(ctx, p.agentId, { type: 'AgentTerminationRecorded', data: p });
        await terminateAgent(ctx.manager, p.agentId, p.effectiveDate);
        ctx.shared.set('agent', { ...agent, status: 'terminated', terminatedAt: p.effectiveDate });
        return;
      }
      default:
        return;
    }
  }

  /** A placement re-sent for its date with another branch: crediting judges that branch again too. */
  private shareReplaced(ctx: InboundContext, branchId: string | null): void {
    if (branchId) ctx.shared.set('replacedBranchId', branchId);
  }

  private async requireAgent(ctx: InboundContext, agentId: string) {
    const agent = await findAgent(ctx.manager, agentId);
    if (!agent) throw new MissingFactError(agentKey(agentId));
    return agent;
  }

  private async append(ctx: InboundContext, agentId: string, event: PortfolioEvent): Promise<void> {
    await this.store.append(agentStreamId(agentId), [{ eventId: ctx.eventId(event.type), type: event.type, data: event.data, metadata: ctx.metadata }], 'any', { manager: ctx.manager });
  }
}
