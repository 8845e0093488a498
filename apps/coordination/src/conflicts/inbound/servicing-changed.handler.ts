import type { SubsidiaryEvent } from '@lib/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { SERVICING_CHANGED_KEY } from '../../portfolio/portfolio.events';
import { CONFLICTS_PARTY_PROFILES, type PartyProfileSource } from '../conflicts.ports';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { PartyRejudging } from '../write/party-rejudging';
import { poisonOnDomainError, sharedPolicy } from './inbound-support';

/**
 * Runs last, after crediting has kept who services each policy from which date (the servicing history):
 * a top-strategic client's relationship team as of a moment is who serviced its policies that day. A
 * renewal (a new term, perhaps a new servicing agent from its date) and every event whose hand-outs
 * changed a policy's servicing by date (a termination, a policy arriving after its servicer's, a fact that
 * judges a least-loaded hand-out again) judge the party's lines again, so an approach that arrived before
 * the change ends as one that arrived after it, each judged by the team of its own date.
 */
@Injectable()
export class ServicingChangedHandler implements InboundHandler {
  readonly name = 'conflicts.servicing-changed';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = [
    'AgentOnboarded', 'AgentTransferred', 'AgentTerminated', 'PolicyIssued', 'PolicyRenewed', 'PolicyCancelled', 'PolicyLapsed', 'PolicyReinstated',
  ];

  constructor(
    @Inject(CONFLICTS_PARTY_PROFILES) private readonly profiles: PartyProfileSource,
    private readonly facts: ConflictFactsLoader,
    private readonly rejudging: PartyRejudging,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    if (!this.profiles.timelineOf) return;
    const parties = new Set((ctx.shared.get(SERVICING_CHANGED_KEY) as string[] | undefined) ?? []);
    // The portfolio shares a renewed policy's row once it recorded the renewal (it parks one whose policy is not recorded yet).
    const renewed = ctx.event.type === 'PolicyRenewed' ? sharedPolicy(ctx.shared).partyId : undefined;
    if (renewed) parties.add(renewed);
    for (const partyId of [...parties].sort()) {
      await poisonOnDomainError(async () => {
        await this.facts.lock(ctx.manager, partyId);
        // Counted at its most, the party's tier never reaches top-strategic for most parties: nothing to judge again then.
        if (!(await this.profiles.timelineOf!(ctx.manager, partyId))?.mayBeTopStrategic) return;
        await this.rejudging.rejudgeLines(ctx, partyId);
      });
    }
  }
}
