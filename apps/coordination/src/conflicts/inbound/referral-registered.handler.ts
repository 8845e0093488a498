import type { SubsidiaryEvent } from '@lib/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { CONFLICTS_PARTY_DIRECTORY, type PartyDirectoryPort } from '../conflicts.ports';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { ConflictRecorder } from '../write/conflict-recorder';
import { toRegisterReferral } from '../write/fact-mapping';
import { ReferralWriter } from '../write/referral-writer';
import { SaleDecisions } from '../write/sale-decisions';
import { SaleLinks } from '../write/sale-links';
import { poisonOnDomainError, requireAgent, requireParty } from './inbound-support';

/**
 * A lead registration from the selling side: record the referral (its exclusivity window
 * starts), link the party's sales in the line as business order would have (a sale recorded
 * before it may be its conversion), then check it against the party's other registrations,
 * sales, in-force policies and relationship team as they stood when it was filed (business
 * time, not arrival).
 */
@Injectable()
export class ReferralRegisteredHandler implements InboundHandler {
  readonly name = 'conflicts.referral-registered';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['ReferralRegistered'];

  constructor(
    @Inject(CONFLICTS_PARTY_DIRECTORY) private readonly parties: PartyDirectoryPort,
    private readonly facts: ConflictFactsLoader,
    private readonly referrals: ReferralWriter,
    private readonly recorder: ConflictRecorder,
    private readonly sales: SaleDecisions,
    private readonly links: SaleLinks,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    const event = ctx.event;
    if (event.type !== 'ReferralRegistered') return;
    const p = event.payload;
    const partyId = await requireParty(this.parties, ctx.manager, event.subsidiary, p.clientLocalId);
    const agent = await requireAgent(ctx.manager, p.referringAgentId);
    const command = toRegisterReferral(event, partyId, agent.channel);
    await poisonOnDomainError(async () => {
      await this.facts.lock(ctx.manager, partyId);
      const { state } = await this.referrals.run(p.referralId, command, ctx);
      if (state.status === 'none') return;
      // A sale recorded before this registration arrived may be its conversion (or move to it from a later-filed one).
      const moved = await this.links.reconcile(partyId, p.productLine, ctx);
      // Judged with every registration and sale of the party in this line as of its filing, whatever arrived first.
      const scope = await this.facts.loadScope(ctx.manager, partyId, p.productLine, { locked: true });
      const reconciled = await this.recorder.reconcile(scope, ctx);
      if (reconciled.changed || moved.length > 0) await this.sales.settle(scope, ctx);
    });
  }
}
