import { CreditLine, canonicalId } from './credit-line';
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
  crossClawbacks: number;
  crossPremium: Dec;
  /** Issued cross-sale credit per line as it stands (credit plus its recalculations), with the line's referral. */
  issued: Map<string, { transactionId: string; referralId: string | null; net: Dec }>;
  weighted: Dec;
}

/**
 * A sale's cross-sale credit as it stands: the issue's own line and the lines a recalculation posted
 * for it (a referral link or conflict decision learnt late, a rule change) net together, so a line
 * moved to the referrer counts once, for the referrer, as if the link had been known at the issue.
 */
const countsAsIssued = (line: CreditLine): boolean =>
  line.transactionKind === 'Issued' && (line.origin === 'credit' || line.origin === 'recalculation');

function accumulate(acc: Acc, line: CreditLine): void {
  acc.weighted = acc.weighted.plus(line.weightedCredit);
  if (line.side === 'product') {
    acc.product = acc.product.plus(line.standardPremium);
    return;
  }
  acc.sales = acc.sales.plus(line.standardPremium);
  if (!line.crossSale) return;
  acc.crossPremium = acc.crossPremium.plus(line.standardPremium);
  if (line.origin === 'reversal') acc.crossClawbacks += 1;
  if (!countsAsIssued(line)) return;
  const id = canonicalId(line);
  const entry = acc.issued.get(id) ?? { transactionId: line.transactionId, referralId: null, net: ZERO };
  entry.net = entry.net.plus(line.standardPremium);
  if (line.origin === 'credit' || !line.adjustsLineId) entry.referralId = line.referralId;
  acc.issued.set(id, entry);
}

function toRow(acc: Acc, referralsMade: ReadonlyMap<string, number>): ScorecardRow {
  const made = referralsMade.get(`${acc.beneficiaryId}|${acc.period}`) ?? 0;
  const standing = [...acc.issued.values()].filter((e) => !e.net.isZero());
  const converted = new Set(standing.flatMap((e) => (e.referralId ? [e.referralId] : []))).size;
  const crossCount = new Set(standing.map((e) => e.transactionId)).size;
  return {
    level: acc.level, beneficiaryId: acc.beneficiaryId, period: acc.period, standardPremium: fmt(acc.sales),
    productStandardPremium: fmt(acc.product), crossSaleCount: crossCount, crossSaleClawbacks: acc.crossClawbacks,
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
      acc = { level: line.level, beneficiaryId: line.beneficiaryId, period, sales: ZERO, product: ZERO, crossClawbacks: 0, crossPremium: ZERO, issued: new Map(), weighted: ZERO };
      accs.set(key, acc);
    }
    accumulate(acc, line);
  }
  return [...accs.keys()].sort().map((key) => toRow(accs.get(key)!, referralsMade));
}
