import type { SubsidiaryEvent } from '@lib/contracts';
import { Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { SERVICING_CHANGED_KEY, type ServicingChanged } from '../../portfolio/portfolio.events';
import { ServicingRejudgement } from '../write/servicing-rejudgement';
import { poisonOnDomainError, sharedPolicy } from './inbound-support';

/**
 * Runs last, after crediting has kept who services each policy from which date (the servicing history):
 * a registration, sale or quote is judged with the policies as they stood at its time (in force, and by
 * whom serviced, that day), and a top-strategic client's relationship team as of a moment is who serviced
 * its policies that day. A renewal (a new term in force, perhaps a new servicing agent from its date) and
 * every event whose hand-outs changed a policy's servicing by date (a termination, a policy arriving after
 * its servicer's, a fact that judges a least-loaded hand-out again) judge again the policy's line (every
 * line of a party that may have been top-strategic), so an approach that arrived before the change ends as
 * one that arrived after it, each judged as of its own date. (A coordinator's reassignment over REST tells
 * the same ServicingRejudgement through CONFLICTS_SERVICING_REJUDGEMENT.)
 */
@Injectable()
export class ServicingChangedHandler implements InboundHandler {
  readonly name = 'conflicts.servicing-changed';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = [
    'AgentOnboarded', 'AgentTransferred', 'AgentTerminated', 'PolicyIssued', 'PolicyRenewed', 'PolicyCancelled', 'PolicyLapsed', 'PolicyReinstated',
  ];

  constructor(private readonly rejudgement: ServicingRejudgement) {}

  async handle(ctx: InboundContext): Promise<void> {
    const changed = (ctx.shared.get(SERVICING_CHANGED_KEY) as ServicingChanged[] | undefined) ?? [];
    // The portfolio shares a renewed policy's row once it recorded the renewal (it parks one whose policy is not recorded yet).
    const renewed = ctx.event.type === 'PolicyRenewed' ? sharedPolicy(ctx.shared) : {};
    const also = renewed.partyId ? { partyId: renewed.partyId, productLine: renewed.productLine } : undefined;
    await poisonOnDomainError(() => this.rejudgement.servicingChanged(changed, ctx, also));
  }
}
