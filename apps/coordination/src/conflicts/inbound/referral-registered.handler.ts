import type { SubsidiaryEvent } from '@lib/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { CONFLICTS_PARTY_DIRECTORY, type PartyDirectoryPort } from '../conflicts.ports';
import { OPEN_REFERRAL_STAGES, saleConvertedBy, type ReferralState } from '../domain';
import { unlinkedSales } from '../persistence/portfolio-facts';
import { referralsForPolicy } from '../persistence/referral-index';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { ConflictRecorder } from '../write/conflict-recorder';
import { toRegisterReferral } from '../write/fact-mapping';
import { ReferralWriter } from '../write/referral-writer';
import { SaleDecisions } from '../write/sale-decisions';
import { poisonOnDomainError, requireAgent, requireParty } from './inbound-support';

type Registered = Exclude<ReferralState, { status: 'none' }>;

/**
 * A lead registration from the selling side: record the referral (its exclusivity window
 * starts), convert a sale recorded before it that it would have converted on arrival in business
 * order, then check it against the party's other registrations, sales, in-force policies and
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
    private readonly sales: SaleDecisions,
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
      await this.convertEarlierSale(state, ctx);
      // Judged with every registration and sale of the party in this line as of its filing, whatever arrived first.
      const scope = await this.facts.loadScope(ctx.manager, partyId, p.productLine);
      await this.recorder.reconcile(scope, ctx);
      await this.sales.settle(scope, ctx);
    });
  }

  /** The sale arrived first (the product side's topic ran ahead): link it now, as its arrival would have. */
  private async convertEarlierSale(referral: Registered, ctx: InboundContext): Promise<void> {
    if (!OPEN_REFERRAL_STAGES.includes(referral.status)) return;
    const sales = await unlinkedSales(ctx.manager, referral.partyId, referral.productLine);
    if (sales.length === 0) return;
    const referrals = await referralsForPolicy(ctx.manager, referral.partyId, referral.productLine, null);
    const sale = saleConvertedBy({ ...referral, status: referral.status }, sales, referrals);
    if (!sale) return;
    const data = {
      referralId: referral.referralId, policyNo: sale.policyNo, partyId: referral.partyId, productLine: referral.productLine,
      issuedAt: sale.issuedAt, linkedBy: 'party-and-line' as const,
    };
    await this.referrals.run(referral.referralId, { type: 'ConvertReferral', data }, ctx);
    const link = { referralId: referral.referralId, linkedBy: data.linkedBy, referrer: { ...referral.referrer } };
    await this.sales.linked({ subsidiary: referral.productSubsidiary, policyNo: sale.policyNo }, link, ctx);
  }
}
