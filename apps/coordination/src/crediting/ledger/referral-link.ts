import { Channel, PolicyTransaction, Subsidiary } from '../domain';

/** The referral a sale converted, as conflicts links it: who referred the client, through which channel. */
export interface SaleReferral {
  readonly referralId: string;
  readonly referrer: { readonly subsidiary: string; readonly agentId: string; readonly channel: string };
}

/**
 * The issue of a sale as the conversion of a referral reads it. When the product subsidiary's own
 * agent wrote a sale another subsidiary referred, the referrer is its sales side (产销双方: the
 * referring life agent is the sales side of a P&C policy it brought in); the referral named on the
 * sale, if any, stays.
 */
export function withReferral(tx: PolicyTransaction, referral: SaleReferral): PolicyTransaction {
  const cross = referral.referrer.subsidiary !== tx.productSubsidiary && tx.sellingSubsidiary === tx.productSubsidiary;
  const seller = cross
    ? { sellingAgentId: referral.referrer.agentId, sellingSubsidiary: referral.referrer.subsidiary as Subsidiary, channel: referral.referrer.channel as Channel }
    : {};
  return { ...tx, ...seller, referralId: tx.referralId ?? referral.referralId };
}

/** Who sold the sale as the product side recorded it, and the referral it named (if any). */
export interface RecordedSeller {
  readonly agentId: string;
  readonly subsidiary: string;
  readonly channel: string;
  readonly namedReferralId: string | null;
}

/** The issue as the recorded sale with this referral (or none) reads it. */
export function relinked(tx: PolicyTransaction, seller: RecordedSeller, referral: SaleReferral | null): PolicyTransaction {
  const own: PolicyTransaction = {
    ...tx, sellingAgentId: seller.agentId, sellingSubsidiary: seller.subsidiary as Subsidiary, channel: seller.channel as Channel, referralId: seller.namedReferralId,
  };
  return referral ? withReferral(own, referral) : own;
}

/** The fields a referral link decides are the same. */
export const sameSale = (a: PolicyTransaction, b: PolicyTransaction): boolean =>
  a.sellingAgentId === b.sellingAgentId && a.sellingSubsidiary === b.sellingSubsidiary && a.channel === b.channel && a.referralId === b.referralId;
