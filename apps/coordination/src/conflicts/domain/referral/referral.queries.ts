import { IsoTimestamp, ProductLine } from '../conflicts.types';
import { toMs } from '../time';
import { OPEN_REFERRAL_STAGES, Referral, ReferralStage } from './referral.types';

export type ReferralSnapshot = Referral & { readonly status: ReferralStage };

const isOpen = (r: { status: ReferralStage }): boolean => OPEN_REFERRAL_STAGES.includes(r.status);

/** Open referrals whose window has ended at `now`: the scheduled check issues one ExpireReferral each. */
export function dueForExpiry(referrals: readonly ReferralSnapshot[], now: IsoTimestamp): string[] {
  const nowMs = toMs(now, 'now');
  return referrals
    .filter((r) => isOpen(r) && toMs(r.windowEndsAt) <= nowMs)
    .sort((a, b) => toMs(a.windowEndsAt) - toMs(b.windowEndsAt) || a.referralId.localeCompare(b.referralId))
    .map((r) => r.referralId);
}

export interface IssuedPolicyRef {
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly issuedAt: IsoTimestamp;
  readonly referralId?: string | null;
}

export type ReferralLink = { readonly referralId: string; readonly linkedBy: 'referralId' | 'party-and-line' };

/**
 * Which referral a PolicyIssued converts. The product side naming the referral wins; otherwise the
 * earliest open referral for the same party and line whose window covers the issue date, because the
 * first valid registration is the one the group promised exclusivity to.
 */
export function linkPolicyToReferral(policy: IssuedPolicyRef, referrals: readonly ReferralSnapshot[]): ReferralLink | undefined {
  const issued = toMs(policy.issuedAt, 'issuedAt');
  const covers = (r: ReferralSnapshot) =>
    isOpen(r) && r.partyId === policy.partyId && r.productLine === policy.productLine &&
    toMs(r.registeredAt) <= issued && issued < toMs(r.windowEndsAt);
  if (policy.referralId) {
    const named = referrals.find((r) => r.referralId === policy.referralId);
    return named && covers(named) ? { referralId: named.referralId, linkedBy: 'referralId' } : undefined;
  }
  const candidates = referrals.filter(covers).sort((a, b) => toMs(a.registeredAt) - toMs(b.registeredAt));
  return candidates[0] ? { referralId: candidates[0].referralId, linkedBy: 'party-and-line' } : undefined;
}

/** A sale recorded without a referral link (it named none, and none covered it when it arrived). */
export interface UnlinkedSale {
  readonly policyNo: string;
  readonly productSubsidiary: string;
  readonly issuedAt: IsoTimestamp;
}

/**
 * The sale a referral converts when the referral arrives after it (Kafka orders the referrer's
 * and the product side's topics independently): the earliest unlinked sale for which the referral
 * is the one `linkPolicyToReferral` picks among the product side's referrals, as it would have on
 * arrival in business order.
 */
export function saleConvertedBy(
  referral: ReferralSnapshot, sales: readonly UnlinkedSale[], referrals: readonly ReferralSnapshot[],
): UnlinkedSale | undefined {
  const ofProduct = referrals.filter((r) => r.productSubsidiary === referral.productSubsidiary);
  return [...sales]
    .filter((s) => s.productSubsidiary === referral.productSubsidiary)
    .sort((a, b) => toMs(a.issuedAt) - toMs(b.issuedAt) || a.policyNo.localeCompare(b.policyNo))
    .find((s) => {
      const ref = { partyId: referral.partyId, productLine: referral.productLine, issuedAt: s.issuedAt, referralId: null };
      return linkPolicyToReferral(ref, ofProduct)?.referralId === referral.referralId;
    });
}
