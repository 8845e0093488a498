import { Channel, DecimalString, IsoTimestamp, ProductLine, Subsidiary } from '../conflicts.types';

export interface ReferringAgent {
  readonly agentId: string;
  readonly subsidiary: Subsidiary;
  readonly channel: Channel;
}

export type ReferralStage = 'registered' | 'accepted' | 'quoted' | 'converted' | 'lost' | 'expired';
export const REFERRAL_STAGES: readonly ReferralStage[] = ['registered', 'accepted', 'quoted', 'converted', 'lost', 'expired'];
export const OPEN_REFERRAL_STAGES: readonly ReferralStage[] = ['registered', 'accepted', 'quoted'];

export interface ReferralQuote {
  readonly price: DecimalString;
  readonly currency: string;
  readonly quotedAt: IsoTimestamp;
}

export interface Referral {
  readonly referralId: string;
  readonly partyId: string;
  readonly productLine: ProductLine;
  readonly productSubsidiary: Subsidiary;
  readonly referrer: ReferringAgent;
  readonly registeredAt: IsoTimestamp;
  /** Exclusivity ends here: the referrer's claim holds for policies issued before this instant. */
  readonly windowEndsAt: IsoTimestamp;
}

export type ReferralState =
  | { readonly status: 'none' }
  | (Referral & {
      readonly status: ReferralStage;
      readonly quote?: ReferralQuote;
      readonly policyNo?: string;
      readonly closedAt?: IsoTimestamp;
      /** Set while converted: how the sale was linked, and the stage a withdrawn conversion reopens. */
      readonly linkedBy?: 'referralId' | 'party-and-line';
      readonly convertedFrom?: ReferralStage;
      /**
       * When the referral was marked lost, or expired: kept through a later conversion (a sale issued
       * before the loss, or inside the window, that arrived after it), or noted while converted (a loss
       * after the sale), so a withdrawn conversion reopens the closed stage with its close time.
       */
      readonly lostAt?: IsoTimestamp;
      readonly expiredAt?: IsoTimestamp;
    });

export type RegisterReferral = {
  type: 'RegisterReferral';
  data: Omit<Referral, 'windowEndsAt'>;
};
export type AcceptReferral = {
  type: 'AcceptReferral';
  data: { referralId: string; acceptedBy: string; acceptedAt: IsoTimestamp };
};
export type QuoteReferral = {
  type: 'QuoteReferral';
  data: { referralId: string; price: DecimalString; currency: string; quotedAt: IsoTimestamp };
};
export type ConvertReferral = {
  type: 'ConvertReferral';
  data: {
    referralId: string;
    policyNo: string;
    partyId: string;
    productLine: ProductLine;
    issuedAt: IsoTimestamp;
    linkedBy: 'referralId' | 'party-and-line';
  };
};
/**
 * `lostAt` is when the product side says the lead was lost (business time); `recordedAt` the clock
 * reading, the time of a conversion the loss withdraws (a sale naming no referral issued after it).
 */
export type MarkReferralLost = {
  type: 'MarkReferralLost';
  data: { referralId: string; reason: string; lostAt: IsoTimestamp; recordedAt: IsoTimestamp };
};
/**
 * A sale linked by party and line belongs to an earlier-filed registration that arrived after it
 * (topics are ordered per partition only): the conversion is withdrawn and the referral reopens.
 */
export type WithdrawConversion = {
  type: 'WithdrawConversion';
  data: { referralId: string; policyNo: string; reason: string; withdrawnAt: IsoTimestamp };
};
/** Issued by the scheduled check; `now` is that check's clock reading. */
export type ExpireReferral = { type: 'ExpireReferral'; data: { referralId: string; now: IsoTimestamp } };

export type ReferralCommand =
  | RegisterReferral
  | AcceptReferral
  | QuoteReferral
  | ConvertReferral
  | WithdrawConversion
  | MarkReferralLost
  | ExpireReferral;

export type ReferralRegistered = { type: 'ReferralRegistered'; data: Referral };
export type ReferralAccepted = { type: 'ReferralAccepted'; data: AcceptReferral['data'] };
export type ReferralQuoted = { type: 'ReferralQuoted'; data: QuoteReferral['data'] };
export type ReferralConverted = {
  type: 'ReferralConverted';
  data: { referralId: string; policyNo: string; convertedAt: IsoTimestamp; linkedBy: 'referralId' | 'party-and-line' };
};
export type ReferralConversionWithdrawn = {
  type: 'ReferralConversionWithdrawn';
  /** `closedAt`: when the reopened stage is lost or expired, the time it closed (set since those can be converted). */
  data: WithdrawConversion['data'] & { reopenedAs: ReferralStage; closedAt?: IsoTimestamp };
};
export type ReferralLost = { type: 'ReferralLost'; data: { referralId: string; reason: string; lostAt: IsoTimestamp } };
/**
 * A loss reported after the sale that converted the referral: refused (the conversion stands), yet kept.
 * For a sale naming no referral, the referral is lost from `lostAt` should that sale move to an
 * earlier-filed registration arriving late, as it would have been in business order (the registration
 * first, the sale took it). For a sale naming it (whose conversion only an earlier loss withdraws), it is
 * the loss the referral keeps, as one reported before the sale arrived is: the earliest report stands.
 */
export type ReferralLossNoted = { type: 'ReferralLossNoted'; data: ReferralLost['data'] & { policyNo: string } };
export type ReferralExpired = {
  type: 'ReferralExpired';
  data: { referralId: string; windowEndsAt: IsoTimestamp; expiredAt: IsoTimestamp };
};

export type ReferralEvent =
  | ReferralRegistered
  | ReferralAccepted
  | ReferralQuoted
  | ReferralConverted
  | ReferralConversionWithdrawn
  | ReferralLost
  | ReferralLossNoted
  | ReferralExpired;

export const referralStreamId = (referralId: string): string => `referral-${referralId}`;
