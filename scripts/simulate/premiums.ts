/**
 * Realistic premiums, terms and claim frequencies per local product code. Amounts are
 * integer fen (CNY cents) until they are printed, so no money passes through a float.
 */
import type { PremiumMode } from '@lib/contracts';
import type { Random } from './random';

export interface ProductProfile {
  /** Annual premium range in CNY (per head for group products and employer's liability). */
  annual?: [number, number];
  /** Single premium range in CNY (per head likewise). */
  single?: [number, number];
  perHead?: boolean;
  /** Cover: one renewable year, a number of days or years, or to an age. */
  term: { renewable?: true; days?: number; years?: number; toAge?: number };
  /** Expected claims per policy-year (per insured head for group products). */
  claimRate: number;
  claimAmount: [number, number];
}

const YEAR: ProductProfile['term'] = { renewable: true };

export const PRODUCT_PROFILES: Record<string, ProductProfile> = {
  WL20: { annual: [6000, 60000], term: { toAge: 105 }, claimRate: 0.002, claimAmount: [100000, 500000] },
  WL10: { annual: [10000, 100000], term: { toAge: 105 }, claimRate: 0.002, claimAmount: [100000, 800000] },
  WLSP: { single: [50000, 300000], term: { toAge: 105 }, claimRate: 0.002, claimAmount: [100000, 600000] },
  TL10: { annual: [500, 3000], term: { years: 10 }, claimRate: 0.002, claimAmount: [200000, 1000000] },
  TL20: { annual: [800, 5000], term: { years: 20 }, claimRate: 0.002, claimAmount: [200000, 1000000] },
  CI01: { annual: [3000, 20000], term: { years: 30 }, claimRate: 0.005, claimAmount: [100000, 500000] },
  CI05: { annual: [1000, 5000], term: { years: 20 }, claimRate: 0.003, claimAmount: [100000, 300000] },
  AN10: { annual: [10000, 100000], term: { toAge: 85 }, claimRate: 0, claimAmount: [0, 0] },
  ANSP: { single: [100000, 300000], term: { toAge: 90 }, claimRate: 0, claimAmount: [0, 0] },
  UL01: { annual: [5000, 50000], single: [20000, 200000], term: { years: 30 }, claimRate: 0.002, claimAmount: [50000, 300000] },
  HM01: { annual: [200, 1500], term: YEAR, claimRate: 0.1, claimAmount: [500, 50000] },
  PA01: { annual: [100, 600], term: YEAR, claimRate: 0.03, claimAmount: [200, 20000] },
  MOT01: { annual: [950, 1100], term: YEAR, claimRate: 0.05, claimAmount: [500, 20000] },
  MOT02: { annual: [2000, 9000], term: YEAR, claimRate: 0.12, claimAmount: [500, 30000] },
  MOT03: { annual: [3000, 12000], term: YEAR, claimRate: 0.12, claimAmount: [500, 40000] },
  HOM01: { annual: [200, 1500], term: YEAR, claimRate: 0.03, claimAmount: [1000, 50000] },
  CPR01: { annual: [5000, 150000], term: YEAR, claimRate: 0.08, claimAmount: [5000, 300000] },
  CPR02: { single: [20000, 250000], term: { days: 365 }, claimRate: 0.05, claimAmount: [5000, 200000] },
  LIA01: { annual: [2000, 50000], term: YEAR, claimRate: 0.05, claimAmount: [2000, 100000] },
  LIA02: { annual: [200, 600], perHead: true, term: YEAR, claimRate: 0.05, claimAmount: [5000, 150000] },
  ACC01: { annual: [100, 500], term: YEAR, claimRate: 0.03, claimAmount: [200, 20000] },
  ACC02: { single: [20, 100], term: { days: 30 }, claimRate: 0.01, claimAmount: [200, 10000] },
  HLT01: { annual: [300, 2000], term: YEAR, claimRate: 0.1, claimAmount: [500, 30000] },
  GL01: { annual: [100, 400], perHead: true, term: YEAR, claimRate: 0.003, claimAmount: [50000, 300000] },
  GL02: { annual: [500, 2000], single: [3000, 8000], perHead: true, term: YEAR, claimRate: 0.003, claimAmount: [50000, 300000] },
  GH01: { annual: [800, 3000], perHead: true, term: YEAR, claimRate: 0.15, claimAmount: [300, 20000] },
  GH02: { annual: [300, 1200], perHead: true, term: YEAR, claimRate: 0.1, claimAmount: [200, 10000] },
  GH03: { annual: [200, 800], perHead: true, term: YEAR, claimRate: 0.01, claimAmount: [50000, 200000] },
  GA01: { annual: [80, 300], perHead: true, term: YEAR, claimRate: 0.02, claimAmount: [500, 50000] },
  GA02: { annual: [50, 200], single: [50, 200], perHead: true, term: YEAR, claimRate: 0.01, claimAmount: [500, 30000] },
  EA01: { annual: [2000, 10000], single: [5000, 30000], perHead: true, term: YEAR, claimRate: 0, claimAmount: [0, 0] },
};

export const PERIODS_PER_YEAR: Record<PremiumMode, number> = { ANNUAL: 1, SEMI_ANNUAL: 2, QUARTERLY: 4, MONTHLY: 12, SINGLE: 1 };
const MODE_WEIGHTS: Record<PremiumMode, number> = { ANNUAL: 55, MONTHLY: 22, SEMI_ANNUAL: 8, QUARTERLY: 8, SINGLE: 7 };

export function profileOf(code: string): ProductProfile {
  const profile = PRODUCT_PROFILES[code];
  if (!profile) throw new Error(`no premium profile for product ${code}: add it to PRODUCT_PROFILES`);
  return profile;
}

/** A premium mode the product offers, the usual ones more often. */
export function drawMode(rng: Random, offered: readonly PremiumMode[], code: string): PremiumMode {
  const key = `${code}:${offered.join(',')}`;
  let weights = MODE_TABLES.get(key);
  if (!weights) {
    const profile = profileOf(code);
    const usable = offered.filter((m) => (m === 'SINGLE' ? profile.single !== undefined : profile.annual !== undefined));
    weights = Object.fromEntries((usable.length > 0 ? usable : offered).map((m) => [m, MODE_WEIGHTS[m]])) as Record<PremiumMode, number>;
    MODE_TABLES.set(key, weights);
  }
  return rng.weighted(weights);
}

const MODE_TABLES = new Map<string, Record<PremiumMode, number>>();

/** The instalment for `heads` insured (1 for individual cover), in fen. */
export function drawInstalmentFen(rng: Random, code: string, mode: PremiumMode, heads: number): number {
  const profile = profileOf(code);
  const range = mode === 'SINGLE' ? (profile.single ?? profile.annual!) : (profile.annual ?? profile.single!);
  const perHead = rng.int(range[0] * 100, range[1] * 100);
  const total = perHead * (profile.perHead ? heads : 1);
  return Math.max(100, Math.round(total / PERIODS_PER_YEAR[mode]));
}

/** What a premium adds to a client's annual premium (single premiums count at a tenth, as standard premium does). */
export function annualisedFen(amountFen: number, mode: PremiumMode): number {
  return mode === 'SINGLE' ? Math.round(amountFen / 10) : amountFen * PERIODS_PER_YEAR[mode];
}

export function money(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Claims in one policy-year: a Bernoulli draw for individual cover, about heads x rate for a group. */
export function drawClaimCount(rng: Random, code: string, heads: number, years: number): number {
  const profile = profileOf(code);
  const expected = Math.min(4, profile.claimRate * (profile.perHead ? heads : 1) * years);
  return Math.floor(expected) + (rng.chance(expected % 1) ? 1 : 0);
}
