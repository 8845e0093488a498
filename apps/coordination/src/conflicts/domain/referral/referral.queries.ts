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
