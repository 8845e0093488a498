import { IsoTimestamp, ProductLine } from '../conflicts.types';
import { toMs } from '../time';
import { OPEN_REFERRAL_STAGES, Referral, ReferralStage } from './referral.types';

/** `lostAt`: when it was marked lost, kept through a conversion by a sale issued before that. */
export type ReferralSnapshot = Referral & { readonly status: ReferralStage; readonly lostAt?: IsoTimestamp | null };

const isOpen = (r: { status: ReferralStage }): boolean => OPEN_REFERRAL_STAGES.includes(r.status);

/**
 * Whether the referral still held its line at `issuedMs` in business time, as far as its stage
 * says (the window is checked apart): open and converted ones do; an expired one did inside its
 * window; a lost one did until it was lost (one lost before its loss time was kept did not).
 * Arrival does not matter: a sale issued before the loss converts it even if the loss arrived first.
 */
function heldAt(r: ReferralSnapshot, issuedMs: number): boolean {
  if (r.lostAt && issuedMs >= toMs(r.lostAt)) return false;
  return isOpen(r) || r.status === 'converted' || r.status === 'expired' || (r.status === 'lost' && !!r.lostAt);
}

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
 * earliest referral for the same party and line not converted yet that held it at the issue date
 * (open, or expired or lost after it), because the first valid registration is the one the group
 * promised exclusivity to.
 */
export function linkPolicyToReferral(policy: IssuedPolicyRef, referrals: readonly ReferralSnapshot[]): ReferralLink | undefined {
  const issued = toMs(policy.issuedAt, 'issuedAt');
  const covers = (r: ReferralSnapshot) =>
    r.status !== 'converted' && heldAt(r, issued) && r.partyId === policy.partyId && r.productLine === policy.productLine &&
    toMs(r.registeredAt) <= issued && issued < toMs(r.windowEndsAt);
  if (policy.referralId) {
    const named = referrals.find((r) => r.referralId === policy.referralId);
    return named && covers(named) ? { referralId: named.referralId, linkedBy: 'referralId' } : undefined;
  }
  const candidates = referrals.filter(covers).sort((a, b) => toMs(a.registeredAt) - toMs(b.registeredAt));
  return candidates[0] ? { referralId: candidates[0].referralId, linkedBy: 'party-and-line' } : undefined;
}

/** A recorded sale of the party and line, with the referral it converts now. */
export interface LinkableSale {
  readonly policyNo: string;
  readonly productSubsidiary: string;
  readonly issuedAt: IsoTimestamp;
  /** The referral the product side named on the sale: that link is the sale's own and never changes. */
  readonly namedReferralId: string | null;
  readonly convertedBy: string | null;
}

/** A referral of the party and line, with the sale that converted it when it is converted. */
export type LinkableReferral = ReferralSnapshot & { readonly policyNo?: string | null };

export interface LinkChange {
  readonly sale: LinkableSale;
  /** The party-and-line conversion to withdraw first, if any. */
  readonly withdraw: string | null;
  /** The referral the sale converts instead, if any. */
  readonly convert: string | null;
}

const saleKey = (s: { productSubsidiary: string; policyNo: string }) => `${s.productSubsidiary}/${s.policyNo}`;

/**
 * Which referral each sale that named none converts, as arrival in business order would have
 * linked it: by issue time, the earliest registration of the product side covering the sale that
 * no earlier sale took (a referral a sale named is its own). A referral that expired or was marked
 * lost is a candidate for the sales issued before (inside its window, before the loss), whichever
 * arrived first.
 */
export function businessLinks(sales: readonly LinkableSale[], referrals: readonly LinkableReferral[]): Map<string, string> {
  const covers = (r: ReferralSnapshot, s: LinkableSale) => {
    const at = toMs(s.issuedAt, 'issuedAt');
    return r.productSubsidiary === s.productSubsidiary && toMs(r.registeredAt) <= at && at < toMs(r.windowEndsAt) && heldAt(r, at);
  };
  // A referral a sale names (and that covers it) is that sale's, whichever arrived first; one converted
  // by a sale not judged here (recorded before issue times were kept) stays that sale's.
  const judged = new Set(sales.map(saleKey));
  const taken = new Set([
    ...sales.flatMap((s) => {
      const named = referrals.find((r) => r.referralId === s.namedReferralId);
      return named && covers(named, s) ? [named.referralId] : [];
    }),
    ...referrals.filter((r) => r.status === 'converted' && !judged.has(saleKey({ productSubsidiary: r.productSubsidiary, policyNo: r.policyNo ?? '' })))
      .map((r) => r.referralId),
  ]);
  const candidates = [...referrals]
    .sort((a, b) => toMs(a.registeredAt) - toMs(b.registeredAt) || a.referralId.localeCompare(b.referralId));
  const links = new Map<string, string>();
  const unnamed = sales.filter((s) => !s.namedReferralId)
    .sort((a, b) => toMs(a.issuedAt) - toMs(b.issuedAt) || a.policyNo.localeCompare(b.policyNo));
  for (const sale of unnamed) {
    const link = candidates.find((r) => !taken.has(r.referralId) && covers(r, sale));
    if (!link) continue;
    taken.add(link.referralId);
    links.set(saleKey(sale), link.referralId);
  }
  return links;
}

/**
 * The conversions to change so every sale that named no referral converts the one business order
 * gives it (a registration filed earlier but received after the sale, or a sale issued earlier but
 * received after another): withdrawals first, then conversions, so a referral can pass between sales.
 */
export function linkChanges(sales: readonly LinkableSale[], referrals: readonly LinkableReferral[]): LinkChange[] {
  const links = businessLinks(sales, referrals);
  return sales
    .filter((s) => !s.namedReferralId && (links.get(saleKey(s)) ?? null) !== s.convertedBy)
    .map((sale) => ({ sale, withdraw: sale.convertedBy, convert: links.get(saleKey(sale)) ?? null }));
}
