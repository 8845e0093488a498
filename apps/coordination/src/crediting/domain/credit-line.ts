import { CreditLevel, CreditSide } from './rule-set';
import { PolicyTransactionKind } from './policy-transaction';

export type LineOrigin = 'credit' | 'reversal' | 'reinstatement' | 'recalculation' | 'dispute';

/**
 * One explainable entry of the append-only credit ledger. Amounts are strings with 2 dp
 * (negative for reversals); a line's effect is always "this beneficiary, this leg, this much".
 */
export interface CreditLine {
  /** Deterministic: transactionId + leg + beneficiary (or the adjustment's own id). */
  readonly lineId: string;
  /** The credit this line nets into: reversals, reinstatements and adjustments share it. */
  readonly creditKey: string;
  readonly origin: LineOrigin;
  readonly side: CreditSide;
  readonly level: CreditLevel;
  readonly beneficiaryId: string;
  /** The agent whose sale (or servicing) this sales-side line rolls up from; null on the product side. */
  readonly creditedAgentId: string | null;
  readonly transactionId: string;
  readonly transactionKind: PolicyTransactionKind | 'Recalculation' | 'Dispute';
  readonly policyNo: string;
  readonly effectiveDate: string;
  readonly ruleSetVersion: string;
  /** Annualised premium counted by this line. */
  readonly premium: string;
  readonly standardPremium: string;
  readonly factor: string;
  readonly kpiWeight: string;
  /** standardPremium × kpiWeight. */
  readonly weightedCredit: string;
  /** Percentage of the leg this line carries (100 unless a conflict decision split it). */
  readonly sharePct: string;
  readonly crossSale: boolean;
  readonly referralId: string | null;
  readonly reversesLineId?: string;
  readonly adjustsLineId?: string;
  readonly disputedLineId?: string;
  readonly reason: string;
}

/** The line an adjustment or reversal-of-reversal nets against in the per-line balance. */
export const canonicalId = (line: CreditLine): string => line.adjustsLineId ?? line.lineId;
