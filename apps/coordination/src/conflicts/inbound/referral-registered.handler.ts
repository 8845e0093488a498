import type { SubsidiaryEvent } from '@lib/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { CONFLICTS_PARTY_DIRECTORY, type PartyDirectoryPort } from '../conflicts.ports';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { ConflictRecorder } from '../write/conflict-recorder';
import { toRegisterReferral } from '../write/fact-mapping';
import { ReferralWriter } from '../write/referral-writer';
import { poisonOnDomainError, requireAgent, requireParty } from './inbound-support';

/**
 * A lead registration from the selling side: record the referral (its exclusivity window
 * starts), then check it against the party's other registrations, in-force policies and
 * relationship team as they stood when it was filed (business time, not arrival).
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
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    const event = ctx.event;
    if (event.type !== 'ReferralRegistered') return;
    const p = event.payload;
    const partyId = await requireParty(this.parties, ctx.manager, event.subsidiary, p.clientLocalId);
    const agent = await requireAgent(ctx.manager, p.referringAgentId);
    const command = toRegisterReferral(event, partyId, agent.channel);
    await poisonOnDomainError(async () => {
      const { state } = await this.referrals.run(p.referralId, command, ctx);
      if (state.status === 'none') return;
      // Judged with every registration and policy of the party in this line as of its filing, whatever arrived first.
      await this.recorder.reconcile(await this.facts.loadScope(ctx.manager, partyId, p.productLine), ctx);
    });
  }
}
