import Decimal from 'decimal.js';
import { REFERRAL_STAGES, ReferralStage } from './referral.types';

export interface ReferralPipeline {
  readonly total: number;
  readonly byStage: Readonly<Record<ReferralStage, number>>;
  /** converted / all referrals, 4 decimals; "0.0000" for an empty pipeline. */
  readonly conversionRate: string;
  /** converted / closed (converted + lost + expired): the win rate of decided referrals; null if none closed. */
  readonly closedWinRate: string | null;
}

const ratio = (n: number, d: number): string => new Decimal(n).div(d).toDecimalPlaces(4, Decimal.ROUND_HALF_UP).toFixed(4);

export function referralPipeline(referrals: readonly { readonly status: ReferralStage }[]): ReferralPipeline {
  const byStage = Object.fromEntries(REFERRAL_STAGES.map((s) => [s, 0])) as Record<ReferralStage, number>;
  for (const r of referrals) byStage[r.status] += 1;
  const total = referrals.length;
  const closed = byStage.converted + byStage.lost + byStage.expired;
  return {
    total,
    byStage,
    conversionRate: total === 0 ? '0.0000' : ratio(byStage.converted, total),
    closedWinRate: closed === 0 ? null : ratio(byStage.converted, closed),
  };
}
