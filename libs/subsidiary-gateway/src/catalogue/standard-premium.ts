import type { PremiumMode } from '@lib/contracts';
import DecimalJs from 'decimal.js';
import type { CatalogueProduct } from './catalogue.schema';

/** Instalments per year of each regular-pay mode; SINGLE is not annualised. */
export const PAYMENTS_PER_YEAR: Readonly<Record<Exclude<PremiumMode, 'SINGLE'>, number>> = {
  ANNUAL: 1,
  SEMI_ANNUAL: 2,
  QUARTERLY: 4,
  MONTHLY: 12,
};

type Factors = CatalogueProduct['standardPremium'];

// 15 integer digits x 12 instalments x a 4-decimal factor needs more than the default 20
// significant digits; rounding twice (once inside times(), once to fen) could move a cent.
const Decimal = DecimalJs.clone({ precision: 40 });
type Decimal = InstanceType<typeof Decimal>;

/**
 * Cathay-style standard premium (标准保费): regular-pay business counts at its
 * annualised premium times the product's factor, a single premium at the single factor
 * (typically 10%), so a 1,000,000 single-premium annuity does not outweigh a lifetime
 * of regular-pay protection. Exact decimals, rounded half-up to fen.
 */
export function standardPremium(amount: string, mode: PremiumMode, factors: Factors): string {
  const raw = weighted(new Decimal(amount), mode, factors);
  // A positive premium never counts as nothing: the contract requires a positive amount.
  const rounded = raw.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  return (rounded.isZero() ? new Decimal('0.01') : rounded).toFixed(2);
}

/** The standard-premium effect of an endorsement's premium change (per instalment, signed). */
export function standardPremiumDelta(delta: string, mode: PremiumMode, factors: Factors): string {
  const rounded = weighted(new Decimal(delta), mode, factors).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  // decimal.js keeps the sign of zero; the contract spells zero "0.00".
  return rounded.isZero() ? '0.00' : rounded.toFixed(2);
}

export function annualise(amount: Decimal, mode: Exclude<PremiumMode, 'SINGLE'>): Decimal {
  return amount.times(PAYMENTS_PER_YEAR[mode]);
}

function weighted(amount: Decimal, mode: PremiumMode, factors: Factors): Decimal {
  if (mode === 'SINGLE') return amount.times(required(factors.singleFactor, 'singleFactor'));
  return annualise(amount, mode).times(required(factors.regularFactor, 'regularFactor'));
}

function required(factor: string | undefined, name: string): Decimal {
  // The catalogue schema guarantees the factor for every mode a product offers.
  if (!factor) throw new Error(`catalogue product has no ${name}`);
  return new Decimal(factor);
}
