import {
  ClawbackRule,
  CreditRuleSet,
  PAYMENT_MODES,
  PRODUCT_LINES,
  PaymentMode,
  ProductLine,
  StandardPremiumFactor,
  Subsidiary,
} from './rule-set';

/**
 * Illustrative standard-premium factors in the spirit of Cathay's 标准保费: regular-pay life is
 * counted at annualised premium × factor, single premium at 10% because a single premium is
 * mostly savings; commoditised lines (motor) count for less than their premium.
 */
const REGULAR_FACTORS: Record<ProductLine, string> = {
  LIFE_WHOLE: '1.00',
  LIFE_TERM: '0.80',
  CRITICAL_ILLNESS: '1.00',
  ANNUITY: '0.60',
  UNIVERSAL_LIFE: '0.30',
  HEALTH: '1.00',
  MOTOR: '0.60',
  HOME: '1.00',
  COMMERCIAL_PROPERTY: '0.80',
  LIABILITY: '0.80',
  ACCIDENT: '1.00',
  GROUP_LIFE: '0.50',
  GROUP_HEALTH: '0.40',
  GROUP_ACCIDENT: '0.60',
  ENTERPRISE_ANNUITY: '0.10',
};

/** Single premium: life and enterprise annuity at 10%; P&C and group risk cover are annual anyway. */
function singleFactor(subsidiary: Subsidiary, line: ProductLine): string {
  if (subsidiary === 'life') return '0.10';
  if (line === 'ENTERPRISE_ANNUITY') return '0.05';
  return REGULAR_FACTORS[line];
}

function factorsFor(subsidiary: Subsidiary): StandardPremiumFactor[] {
  return PRODUCT_LINES[subsidiary].flatMap((productLine: ProductLine) =>
    PAYMENT_MODES.map((mode: PaymentMode) => ({
      subsidiary,
      productLine,
      mode,
      factor: mode === 'SINGLE' ? singleFactor(subsidiary, productLine) : REGULAR_FACTORS[productLine],
    })),
  );
}

const CLAWBACK: readonly ClawbackRule[] = [
  { subsidiary: 'life', freeLookDays: 15, afterWindow: 'pro-rata-unexpired' },
  { subsidiary: 'pnc', freeLookDays: 0, afterWindow: 'pro-rata-unexpired' },
  { subsidiary: 'group', freeLookDays: 0, afterWindow: 'pro-rata-unexpired' },
];

/** Ping An's published weights (DOMAIN.md): agency life → P&C/group 10%, group → P&C 5%, P&C → group 5%. */
export function defaultRuleSet(overrides: Partial<CreditRuleSet> = {}): CreditRuleSet {
  return {
    version: 'v1',
    effectiveFrom: '2020-01-01',
    effectiveTo: null,
    standardPremiumFactors: [...factorsFor('life'), ...factorsFor('pnc'), ...factorsFor('group')],
    salesLevels: ['agent', 'team', 'branch', 'subsidiary'],
    productLevels: ['subsidiary', 'specialist'],
    crossSaleWeights: [
      { sellingSubsidiary: 'life', sellingChannel: 'AGENCY', productSubsidiary: 'pnc', weight: '0.10' },
      { sellingSubsidiary: 'life', sellingChannel: 'AGENCY', productSubsidiary: 'group', weight: '0.10' },
      { sellingSubsidiary: 'group', sellingChannel: 'GROUP_ACCOUNT', productSubsidiary: 'pnc', weight: '0.05' },
      { sellingSubsidiary: 'pnc', productSubsidiary: 'group', weight: '0.05' },
    ],
    defaultCrossSaleWeight: '0.00',
    ownSaleWeight: '1.00',
    productSubsidiaryWeight: '1.00',
    productSpecialistWeight: '0.10',
    clawback: CLAWBACK,
    orphanRule: 'team-leader',
    ...overrides,
  };
}
