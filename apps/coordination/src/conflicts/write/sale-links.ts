import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/tokens';
import type { PolicyReferralLink, RecordedSale, WriteContext } from '../conflicts.ports';
import { linkChanges, type LinkChange, type Subsidiary } from '../domain';
import { linkableSales } from '../persistence/portfolio-facts';
import { referralsForPolicy, type IndexedReferral } from '../persistence/referral-index';
import { ReferralWriter } from './referral-writer';
import { SaleDecisions } from './sale-decisions';

const WITHDRAWN = 'a registration filed earlier arrived late: the sale converts the one business order gives it';

/**
 * Keeps which referral each sale of a party and line converts as business order would have linked
 * it, whichever arrived first (a referral and a sale travel on different topics): conversions are
 * withdrawn and made again (append-only), and crediting re-credits each sale whose link moved.
 * Call under the party's lock, after the new registration or sale is recorded.
 */
@Injectable()
export class SaleLinks {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly referrals: ReferralWriter,
    private readonly sales: SaleDecisions,
  ) {}

  /** Returns the sales whose link changed; `known` are the party's referrals in the line when the caller has read them. */
  async reconcile(partyId: string, productLine: string, ctx: WriteContext, known?: readonly IndexedReferral[]): Promise<LinkChange[]> {
    const referrals = (known ?? (await referralsForPolicy(ctx.manager, partyId, productLine, null)))
      .filter((r) => r.partyId === partyId && r.productLine === productLine);
    if (referrals.length === 0) return []; // nothing to link (most sales)
    const changes = linkChanges(await linkableSales(ctx.manager, partyId, productLine), referrals);
    const withdrawnAt = this.clock.now().toISOString();
    for (const { sale, withdraw } of changes) {
      if (!withdraw) continue;
      const data = { referralId: withdraw, policyNo: sale.policyNo, reason: WITHDRAWN, withdrawnAt };
      await this.referrals.run(withdraw, { type: 'WithdrawConversion', data }, ctx);
    }
    for (const { sale, convert } of changes) {
      if (!convert) continue;
      const data = { referralId: convert, policyNo: sale.policyNo, partyId, productLine, issuedAt: sale.issuedAt, linkedBy: 'party-and-line' as const };
      await this.referrals.run(convert, { type: 'ConvertReferral', data }, ctx);
    }
    for (const { sale, convert } of changes) {
      const link = convert ? linkOf(referrals.find((r) => r.referralId === convert)!, 'party-and-line') : null;
      await this.sales.linked({ subsidiary: sale.productSubsidiary as Subsidiary, policyNo: sale.policyNo }, link, ctx);
    }
    return changes;
  }

  /**
   * A conversion withdrawn outside the reconciliation (its referral was lost before the sale was
   * issued): the sale converts the one business order gives it now, if any, and crediting hears of
   * it either way, as the seller's own sale when it converts none.
   */
  async released(partyId: string, productLine: string, sale: RecordedSale, ctx: WriteContext): Promise<LinkChange[]> {
    const changes = await this.reconcile(partyId, productLine, ctx);
    const relinked = changes.some((c) => c.sale.policyNo === sale.policyNo && c.sale.productSubsidiary === sale.subsidiary);
    if (!relinked) await this.sales.linked(sale, null, ctx);
    return changes;
  }
}

export const linkOf = (r: IndexedReferral, linkedBy: PolicyReferralLink['linkedBy']): PolicyReferralLink =>
  ({ referralId: r.referralId, linkedBy, referrer: { ...r.referrer } });
