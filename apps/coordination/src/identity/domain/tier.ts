/**
 * Client tier from annual standard premium (标准保费, comparable across life and
 * P&C). Decimal arithmetic throughout: money never goes through a float.
 */
import Decimal from 'decimal.js';

export type ClientTier = 'top-strategic' | 'strategic' | 'standard';

export interface TierThresholds {
  /** CNY, annual standard premium, inclusive. */
  topStrategic: string;
  strategic: string;
}
export const DEFAULT_TIER_THRESHOLDS: TierThresholds = { topStrategic: '500000', strategic: '50000' };

export interface TierHolding {
  status: string;
  role: string;
  annualStandardPremium: string;
}

export interface TierAssessment {
  tier: ClientTier;
  annualStandardPremium: string;
}

/** Only in-force policies the client holds count: an insured or beneficiary pays nothing. */
export function annualStandardPremium(holdings: TierHolding[]): Decimal {
  return holdings
    .filter((h) => h.status === 'in-force' && h.role === 'holder')
    .reduce((sum, h) => sum.plus(new Decimal(h.annualStandardPremium)), new Decimal(0));
}

export function tierFor(total: Decimal.Value, thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS): ClientTier {
  const amount = new Decimal(total);
  if (amount.gte(thresholds.topStrategic)) return 'top-strategic';
  if (amount.gte(thresholds.strategic)) return 'strategic';
  return 'standard';
}

export function assessTier(holdings: TierHolding[], thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS): TierAssessment {
  const total = annualStandardPremium(holdings);
  return { tier: tierFor(total, thresholds), annualStandardPremium: total.toFixed(2) };
}
