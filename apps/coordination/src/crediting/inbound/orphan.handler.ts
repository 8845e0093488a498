import type { SubsidiaryEvent } from '@lib/contracts';
import { Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import {
  SERVICING_CHANGED_KEY, type PolicyRecordedData, type PolicyRenewalShared, type PolicyServicerShared, type ServicingChanged,
} from '../../portfolio/portfolio.events';
import { OrphanService, type OrphanWrite } from '../orphans/orphan.service';

/**
 * After the portfolio recorded a termination (it shares the agent then), the leaver's in-force
 * policies are handed on in the same transaction, so no renewal can slip in between. A policy
 * recorded after its servicing agent's termination (another partition, delivered later) is
 * handed on the same way when it arrives, after crediting has recorded its issue; every recorded
 * policy starts its servicing history here. A cancellation, lapse or reinstatement changes the
 * loads least-loaded hand-outs were judged by from its date on, and a renewal over its new term (and
 * its servicer from then on, when it names a new one), and an onboarding or transfer changes who
 * stood in a branch from its date on (a re-sent one also in the branch it replaced), an onboarding also
 * whether the agents they lead had a leader from then: those are judged again.
 * The policies whose servicing by business date changed are shared (SERVICING_CHANGED_KEY) with the
 * handlers after it (conflicts judges approaches by the servicers and the relationship team of their day).
 */
@Injectable()
export class OrphanHandler implements InboundHandler {
  readonly name = 'crediting.orphans';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = [
    'AgentOnboarded', 'AgentTransferred', 'AgentTerminated', 'PolicyIssued', 'PolicyRenewed', 'PolicyCancelled', 'PolicyLapsed', 'PolicyReinstated',
  ];

  constructor(private readonly orphans: OrphanService) {}

  async handle(ctx: InboundContext): Promise<void> {
    const changed = new Map<string, ServicingChanged>();
    const write: OrphanWrite = {
      metadata: ctx.metadata,
      eventId: (...q: string[]) => ctx.eventId(...q),
      servicingChanged: ({ subsidiary, policyNo, partyId }) => changed.set(`${subsidiary}/${policyNo}`, { subsidiary, policyNo, partyId }),
    };
    await this.route(ctx, write);
    if (changed.size > 0) ctx.shared.set(SERVICING_CHANGED_KEY, [...changed.values()]);
  }

  private async route(ctx: InboundContext, write: OrphanWrite): Promise<void> {
    if (ctx.event.type === 'AgentTerminated' && ctx.shared.get('agent')) {
      const { agentId, effectiveDate } = ctx.event.payload;
      await this.orphans.onTermination(ctx.manager, agentId, effectiveDate, write);
      return;
    }
    if (ctx.event.type === 'AgentOnboarded' || ctx.event.type === 'AgentTransferred') {
      // The portfolio has placed the agent from that date (it parks a transfer of an agent not recorded yet),
      // and shares the branch a placement re-sent for that date no longer names.
      const { agentId } = ctx.event.payload;
      const onboarded = ctx.event.type === 'AgentOnboarded';
      const from = ctx.event.type === 'AgentOnboarded' ? ctx.event.payload.joinedAt : ctx.event.payload.effectiveDate;
      const replacedBranchId = ctx.shared.get('replacedBranchId') as string | undefined;
      await this.orphans.onPlacement(ctx.manager, agentId, from, write, { replacedBranchId, onboarded });
      return;
    }
    if (ctx.event.type === 'PolicyCancelled' || ctx.event.type === 'PolicyLapsed' || ctx.event.type === 'PolicyReinstated') {
      // The portfolio has kept the change with its date (it parks one whose policy is not recorded yet).
      const { policyNo, effectiveDate } = ctx.event.payload;
      await this.orphans.onStatusChange(ctx.manager, { subsidiary: ctx.event.subsidiary, policyNo }, effectiveDate, write);
      return;
    }
    if (ctx.event.type === 'PolicyRenewed') {
      // The portfolio shares the renewal once it recorded it (it parks one whose policy or named agent is not recorded yet).
      // The agent it names, if any: the history keeps a renewal that names its agent, even the one servicing the policy now.
      const renewal = ctx.shared.get('policyRenewal') as PolicyRenewalShared | undefined;
      if (renewal) await this.orphans.onRenewal(ctx.manager, { ...renewal, namedAgentId: ctx.event.payload.servicingAgentId }, write);
      return;
    }
    // The portfolio shares the record only when it recorded the policy (a re-issue changes nothing).
    const recorded = ctx.shared.get('policyRecorded') as PolicyRecordedData | undefined;
    if (ctx.event.type !== 'PolicyIssued' || !recorded) return;
    const { subsidiary, policyNo, partyId, effectiveDate, expiryDate } = recorded;
    const policy = { subsidiary, policyNo, partyId, effectiveDate, expiryDate };
    // The servicer as the portfolio read it for the issue (the agents are not written in between).
    const servicer = ctx.shared.get('policyServicer') as PolicyServicerShared | undefined;
    await this.orphans.onArrival(ctx.manager, policy, recorded.servicingAgentId, write, servicer);
  }
}
