/**
 * Credit rule sets: what a sale is worth to whom. Versioned and effective-dated so a credit can
 * always be explained by the rule set that was in effect on the policy's effective date.
 */
export type Subsidiary = 'life' | 'pnc' | 'group';
export const SUBSIDIARIES: readonly Subsidiary[] = ['life', 'pnc', 'group'];

/** Same lists as @lib/contracts' PRODUCT_LINES_BY_SUBSIDIARY: short-term accident and health are sold by life and P&C. */
export const PRODUCT_LINES = {
  life: ['LIFE_WHOLE', 'LIFE_TERM', 'CRITICAL_ILLNESS', 'ANNUITY', 'UNIVERSAL_LIFE', 'HEALTH', 'ACCIDENT'],
  pnc: ['MOTOR', 'HOME', 'COMMERCIAL_PROPERTY', 'LIABILITY', 'ACCIDENT', 'HEALTH'],
  group: ['GROUP_LIFE', 'GROUP_HEALTH', 'GROUP_ACCIDENT', 'ENTERPRISE_ANNUITY'],
} as const satisfies Record<Subsidiary, readonly string[]>;
export type ProductLine = (typeof PRODUCT_LINES)[Subsidiary][number];

export const PAYMENT_MODES = ['ANNUAL', 'SEMI_ANNUAL', 'QUARTERLY', 'MONTHLY', 'SINGLE'] as const;
export type PaymentMode = (typeof PAYMENT_MODES)[number];

/** Channel codes are the subsidiaries' own (AGENCY, GROUP_ACCOUNT, BANCASSURANCE, ...). */
export type Channel = string;

export type SalesLevel = 'agent' | 'team' | 'branch' | 'subsidiary';
export type ProductLevel = 'subsidiary' | 'specialist';
export type CreditLevel = SalesLevel | 'specialist';
export type CreditSide = 'sales' | 'product';

export interface StandardPremiumFactor {
  readonly subsidiary: Subsidiary;
  readonly productLine: ProductLine;
  readonly mode: PaymentMode;
  /** Decimal string; standard premium = annualised premium × factor. */
  readonly factor: string;
}

/** KPI weight of a cross-sale; a rule without channel applies to every channel of the seller. */
export interface CrossSaleWeight {
  readonly sellingSubsidiary: Subsidiary;
  readonly sellingChannel?: Channel;
  readonly productSubsidiary: Subsidiary;
  readonly weight: string;
}

export type AfterWindowRule = 'pro-rata-unexpired' | 'none';

/** Free-look window; a rule without product line is the subsidiary's default. */
export interface ClawbackRule {
  readonly subsidiary: Subsidiary;
  readonly productLine?: ProductLine;
  readonly freeLookDays: number;
  readonly afterWindow: AfterWindowRule;
}

export type OrphanRule = 'team-leader' | 'least-loaded-in-branch' | 'coordinator';

export interface CreditRuleSet {
  readonly version: string;
  /** Inclusive, YYYY-MM-DD. */
  readonly effectiveFrom: string;
  /** Exclusive, YYYY-MM-DD; null = open ended. */
  readonly effectiveTo: string | null;
  readonly standardPremiumFactors: readonly StandardPremiumFactor[];
  readonly salesLevels: readonly SalesLevel[];
  readonly productLevels: readonly ProductLevel[];
  readonly crossSaleWeights: readonly CrossSaleWeight[];
  /** Weight of a cross-sale that no CrossSaleWeight names. */
  readonly defaultCrossSaleWeight: string;
  /** Weight of a sale of the seller's own subsidiary's product. */
  readonly ownSaleWeight: string;
  /** Product-side weights: the underwriting subsidiary and its product specialist (HP's 10%). */
  readonly productSubsidiaryWeight: string;
  readonly productSpecialistWeight: string;
  readonly clawback: readonly ClawbackRule[];
  readonly orphanRule: OrphanRule;
}

/** The first subsidiary that underwrites the line (ACCIDENT and HEALTH belong to life and P&C). */
export function subsidiaryOfLine(line: string): Subsidiary | undefined {
  for (const sub of SUBSIDIARIES) {
    if ((PRODUCT_LINES[sub] as readonly string[]).includes(line)) return sub;
  }
  return undefined;
}
