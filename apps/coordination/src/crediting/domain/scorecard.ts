import { CreditLine } from './credit-line';
import { Dec, ZERO, fmt } from './money';
import { CreditLevel } from './rule-set';

export type PeriodKind = 'month' | 'quarter' | 'year';

/** '2026-03-14' → '2026-03' | '2026-Q1' | '2026'. */
export function periodOf(date: string, kind: PeriodKind): string {
  switch (kind) {
    case 'month':
      return date.slice(0, 7);
    case 'quarter':
      return `${date.slice(0, 4)}-Q${Math.floor((+date.slice(5, 7) - 1) / 3) + 1}`;
    case 'year':
      return date.slice(0, 4);
  }
}

export interface ScorecardRow {
  readonly level: CreditLevel;
  readonly beneficiaryId: string;
  readonly period: string;
  /** Sales side: what this beneficiary sold or serviced. */
  readonly standardPremium: string;
  /** Product side: what others sold of this beneficiary's products. */
  readonly productStandardPremium: string;
  /** New cross-sale policies credited in the period (sales side). */
  readonly crossSaleCount: number;
  /** Cross-sale clawbacks booked in the period (sales side). */
  readonly crossSaleClawbacks: number;
  readonly crossSaleStandardPremium: string;
  readonly referralsMade: number;
  readonly referralsConverted: number;
  /** converted ÷ made, 4 dp; null when no referral was made. */
  readonly referralConversionRate: string | null;
  readonly weightedKpiScore: string;
}

interface Acc {
  level: CreditLevel;
  beneficiaryId: string;
  period: string;
  sales: Dec;
  product: Dec;
  crossCount: number;
  crossClawbacks: number;
  crossPremium: Dec;
  referrals: Set<string>;
  weighted: Dec;
}

function accumulate(acc: Acc, line: CreditLine): void {
  acc.weighted = acc.weighted.plus(line.weightedCredit);
  if (line.side === 'product') {
    acc.product = acc.product.plus(line.standardPremium);
    return;
  }
  acc.sales = acc.sales.plus(line.standardPremium);
  if (!line.crossSale) return;
  acc.crossPremium = acc.crossPremium.plus(line.standardPremium);
  if (line.origin === 'credit' && line.transactionKind === 'Issued') acc.crossCount += 1;
  if (line.origin === 'reversal') acc.crossClawbacks += 1;
  if (line.origin === 'credit' && line.transactionKind === 'Issued' && line.referralId) acc.referrals.add(line.referralId);
}

function toRow(acc: Acc, referralsMade: ReadonlyMap<string, number>): ScorecardRow {
  const made = referralsMade.get(`${acc.beneficiaryId}|${acc.period}`) ?? 0;
  const converted = acc.referrals.size;
  return {
    level: acc.level, beneficiaryId: acc.beneficiaryId, period: acc.period, standardPremium: fmt(acc.sales),
    productStandardPremium: fmt(acc.product), crossSaleCount: acc.crossCount, crossSaleClawbacks: acc.crossClawbacks,
    crossSaleStandardPremium: fmt(acc.crossPremium), referralsMade: made, referralsConverted: converted,
    referralConversionRate: made === 0 ? null : new Dec(converted).div(made).toFixed(4), weightedKpiScore: fmt(acc.weighted),
  };
}

/**
 * Scorecards per level and period from ledger lines; a line counts in the period of its own
 * effective date, so a clawback lowers the month it happened in, not the month of the sale.
 * `referralsMade` is keyed `${beneficiaryId}|${period}` (the referral service counts them).
 */
export function buildScorecards(lines: Iterable<CreditLine>, kind: PeriodKind,
  referralsMade: ReadonlyMap<string, number> = new Map()): ScorecardRow[] {
  const accs = new Map<string, Acc>();
  for (const line of lines) {
    const period = periodOf(line.effectiveDate, kind);
    const key = `${line.level}|${line.beneficiaryId}|${period}`;
    let acc = accs.get(key);
    if (!acc) {
      acc = { level: line.level, beneficiaryId: line.beneficiaryId, period, sales: ZERO, product: ZERO, crossCount: 0, crossClawbacks: 0, crossPremium: ZERO, referrals: new Set(), weighted: ZERO };
      accs.set(key, acc);
    }
    accumulate(acc, line);
  }
  return [...accs.keys()].sort().map((key) => toRow(accs.get(key)!, referralsMade));
}
