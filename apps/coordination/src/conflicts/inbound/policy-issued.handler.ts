import type { EventEnvelope, SubsidiaryEvent } from '@lib/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { MissingFactError, referralKey, type InboundContext, type InboundHandler } from '../../infrastructure/inbound/inbound.types';
import {
  CONFLICTS_PARTY_DIRECTORY, CREDIT_DECISION_KEY, REFERRAL_LINK_KEY,
  type PartyDirectoryPort, type PolicyReferralLink,
} from '../conflicts.ports';
import { linkPolicyToReferral } from '../domain';
import { scopeConflicts } from '../persistence/conflict-index';
import { referralsForPolicy, type IndexedReferral } from '../persistence/referral-index';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { ConflictRecorder } from '../write/conflict-recorder';
import { PartyRejudging } from '../write/party-rejudging';
import { ReferralWriter } from '../write/referral-writer';
import { SaleDecisions } from '../write/sale-decisions';
import { linkOf, SaleLinks } from '../write/sale-links';
import { poisonOnDomainError, requireParty, sharedPolicy } from './inbound-support';

type PolicyIssued = EventEnvelope<'PolicyIssued'>;

interface Converted {
  link?: PolicyReferralLink;
  moved: boolean;
}

/**
 * Runs after the portfolio has recorded the policy: converts the referral it names (or the
 * earliest open one for the party and line), reconciles the party's conflicts in the line (this
 * sale may have bypassed someone else's live registration, or close one earlier in business time
 * than registrations already judged), and tells crediting (which runs next) how to credit the sale.
 */
@Injectable()
export class PolicyIssuedHandler implements InboundHandler {
  readonly name = 'conflicts.policy-issued';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['PolicyIssued'];

  constructor(
    @Inject(CONFLICTS_PARTY_DIRECTORY) private readonly parties: PartyDirectoryPort,
    private readonly facts: ConflictFactsLoader,
    private readonly referrals: ReferralWriter,
    private readonly recorder: ConflictRecorder,
    private readonly sales: SaleDecisions,
    private readonly links: SaleLinks,
    private readonly rejudging: PartyRejudging,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    const event = ctx.event;
    if (event.type !== 'PolicyIssued') return;
    const p = event.payload;
    const shared = sharedPolicy(ctx.shared);
    const partyId = shared.partyId ?? (await requireParty(this.parties, ctx.manager, event.subsidiary, p.holderLocalId));
    await poisonOnDomainError(async () => {
      const { link, moved, referrals } = await this.convert(ctx, event, partyId);
      if (link) ctx.shared.set(REFERRAL_LINK_KEY, link);
      // The scope's recorded conflicts are read in the same round trip as the scope (pipelined; convert took the party's lock).
      const [scope, recorded] = await Promise.all([
        this.facts.loadScope(ctx.manager, partyId, p.productLine, { locked: true, referrals }), scopeConflicts(ctx.manager, partyId, p.productLine),
      ]);
      const reconciled = await this.recorder.reconcile(scope, ctx, recorded);
      // Recorded sales are re-credited only when their conflicts or links changed (this sale is credited next, by crediting).
      if (reconciled.changed || moved) await this.sales.settle(scope, ctx);
      // The policy counts toward the party's tier from its effective date: its other lines' approaches since are judged again
      // (only for a party that may have been top-strategic at some moment: most never are).
      if (scope.mayBeTopStrategic) await this.rejudging.rejudgeLines(ctx, partyId, p.productLine);
      if (!reconciled.standing) return; // no conflict concerns the party in this line: credit as usual
      const sale = scope.facts.sales?.find((s) => s.productSubsidiary === event.subsidiary && s.policyNo === p.policyNo);
      const decision = sale ? await this.sales.decisionFor(ctx.manager, scope, sale) : undefined;
      if (decision) ctx.shared.set(CREDIT_DECISION_KEY, decision);
    });
  }

  /**
   * The referral this sale converts: the one it names (not seen yet: the policy is parked until it
   * is registered, topics are not ordered together), else the one business order gives it among the
   * party's registrations and sales in the line (which may move another sale's link). `referrals`: none, when the
   * party has no registration in the line (most sales): nothing here writes one then, and the scope need not read them.
   */
  private async convert(ctx: InboundContext, event: PolicyIssued, partyId: string): Promise<Converted & { referrals?: [] }> {
    const p = event.payload;
    // The party's lock, then what the sale may convert, in one round trip (the read runs once the lock is held).
    const [, candidates] = await Promise.all([this.facts.lock(ctx.manager, partyId), referralsForPolicy(ctx.manager, partyId, p.productLine, p.referralId)]);
    if (p.referralId && !candidates.some((r) => r.referralId === p.referralId)) throw new MissingFactError(referralKey(p.referralId));
    const inScope = candidates.some((r) => r.partyId === partyId && r.productLine === p.productLine);
    return { ...(await this.convertAmong(ctx, event, partyId, candidates)), ...(inScope ? {} : { referrals: [] }) };
  }

  /** convert's decision among the referrals it read (`candidates`). */
  private async convertAmong(ctx: InboundContext, event: PolicyIssued, partyId: string, candidates: IndexedReferral[]): Promise<Converted> {
    const p = event.payload;
    const changes = await this.links.reconcile(partyId, p.productLine, ctx, candidates);
    const moved = changes.some((c) => c.sale.policyNo !== p.policyNo || c.sale.productSubsidiary !== event.subsidiary);
    if (!p.referralId) {
      const own = changes.find((c) => c.sale.policyNo === p.policyNo && c.sale.productSubsidiary === event.subsidiary)?.convert;
      const converted = candidates.find((r) => r.referralId === own);
      return { link: converted && linkOf(converted, 'party-and-line'), moved };
    }
    // The named referral may have been another sale's by party and line until the reconciliation just made.
    const current = changes.some((c) => c.withdraw === p.referralId) ? await referralsForPolicy(ctx.manager, partyId, p.productLine, p.referralId) : candidates;
    const ofThisProduct = current.filter((r) => r.productSubsidiary === event.subsidiary);
    const policyRef = { partyId, productLine: p.productLine, issuedAt: event.occurredAt, referralId: p.referralId };
    const link = linkPolicyToReferral(policyRef, ofThisProduct);
    if (!link) return { moved };
    const data = { referralId: link.referralId, policyNo: p.policyNo, partyId, productLine: p.productLine, issuedAt: event.occurredAt, linkedBy: link.linkedBy };
    await this.referrals.run(link.referralId, { type: 'ConvertReferral', data }, ctx);
    return { link: linkOf(ofThisProduct.find((r) => r.referralId === link.referralId)!, link.linkedBy), moved };
  }
}
