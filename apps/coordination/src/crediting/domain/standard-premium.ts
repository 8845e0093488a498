import { CreditingError } from './errors';
import { Dec, cents } from './money';
import { PaymentMode, ProductLine, Subsidiary } from './rule-set';
import { CompiledRuleSet } from './rule-timeline';

const PERIODS_PER_YEAR: Record<PaymentMode, number> = {
  ANNUAL: 1,
  SEMI_ANNUAL: 2,
  QUARTERLY: 4,
  MONTHLY: 12,
  SINGLE: 1,
};

export interface StandardPremium {
  /** Annualised premium (a single premium counts once). */
  readonly annualised: Dec;
  readonly factor: Dec;
  /** annualised × factor, rounded to the cent. */
  readonly standardPremium: Dec;
}

/** Modal premium → annualised premium; regular pay is what one policy year brings in. */
export function annualise(modalPremium: Dec, mode: PaymentMode): Dec {
  const periods = PERIODS_PER_YEAR[mode];
  return periods === 1 ? modalPremium : modalPremium.times(periods);
}

export function standardPremium(
  rules: CompiledRuleSet,
  subsidiary: Subsidiary,
  productLine: ProductLine,
  mode: PaymentMode,
  modalPremium: Dec,
): StandardPremium {
  const factor = rules.factors.get(`${subsidiary}|${productLine}|${mode}`);
  if (factor === undefined) {
    throw new CreditingError(
      'CREDIT_NO_STANDARD_PREMIUM_FACTOR',
      `rule set ${rules.set.version} has no factor for ${subsidiary}/${productLine}/${mode}`,
    );
  }
  const annualised = annualise(modalPremium, mode);
  return { annualised, factor, standardPremium: cents(annualised.times(factor)) };
}
