import type { CreditLine, PolicyTransaction } from '../domain';
import { LedgerAttribution, Placement, personOf, placementKey } from '../ledger/attribution';
import { CreditLedgerEvent, ledgerEventLines, ledgerEventReattributed } from '../ledger/credit-ledger';

/** One row of coordination.credit_lines: a credit line with who, where and when it counts. */
export interface CreditLineRow {
  line_id: string;
  credit_key: string;
  origin: CreditLine['origin'];
  kind: 'credit' | 'reversal' | 'adjustment';
  side: string;
  level: string;
  beneficiary_id: string;
  credited_agent_id: string | null;
  subsidiary: string | null;
  selling_subsidiary: string | null;
  product_subsidiary: string;
  product_line: string;
  policy_no: string;
  transaction_id: string;
  transaction_kind: string;
  referral_id: string | null;
  cross_sale: boolean;
  premium: string;
  standard_premium: string;
  factor: string;
  kpi_weight: string;
  weighted_credit: string;
  share_pct: string;
  rule_set_version: string;
  reverses_line_id: string | null;
  effective_date: string;
  period: string;
  recorded_at: Date;
  team_id: string | null;
  branch_id: string | null;
  event_position: string;
  line_index: number;
  reason: string;
}

export interface LineEventMeta {
  globalPosition: string;
  recordedAt: Date;
}

const KIND: Record<CreditLine['origin'], CreditLineRow['kind']> = {
  credit: 'credit', reversal: 'reversal', reinstatement: 'reversal', recalculation: 'adjustment', dispute: 'adjustment',
};

/** Events written before attribution existed still carry their transaction. */
function attributionOf(data: { attribution?: LedgerAttribution; transaction?: PolicyTransaction }): LedgerAttribution | null {
  if (data.attribution) return data.attribution;
  const tx = data.transaction;
  return tx ? { productSubsidiary: tx.productSubsidiary, productLine: tx.productLine, sellingSubsidiary: tx.sellingSubsidiary, placements: {} } : null;
}

function whereItCounts(line: CreditLine, a: LedgerAttribution | null): Pick<CreditLineRow, 'subsidiary' | 'selling_subsidiary' | 'team_id' | 'branch_id'> {
  const person = personOf(line);
  const placed: Placement | undefined = person ? a?.placements[placementKey(person, line.effectiveDate)] : undefined;
  const own = (level: string, value: string | null | undefined) => (line.level === level ? line.beneficiaryId : value ?? null);
  if (line.side === 'sales') {
    const subsidiary = own('subsidiary', placed?.subsidiary);
    return { subsidiary, selling_subsidiary: subsidiary ?? a?.sellingSubsidiary ?? null, team_id: own('team', placed?.teamId), branch_id: own('branch', placed?.branchId) };
  }
  const subsidiary = line.level === 'subsidiary' ? line.beneficiaryId : placed?.subsidiary ?? a?.productSubsidiary ?? null;
  return { subsidiary, selling_subsidiary: a?.sellingSubsidiary ?? null, team_id: placed?.teamId ?? null, branch_id: placed?.branchId ?? null };
}

/**
 * Rows an event restates (lines it reads otherwise without posting them again: a relinked sale's product
 * side, say): their referral and cross-sale, and the selling subsidiary as `whereItCounts` gives it, with
 * the sale the event's attribution names (`sellingSubsidiary` null: the row keeps its own).
 */
export interface RestatedRows {
  line_ids: string[];
  referral_ids: Array<string | null>;
  cross_sales: boolean[];
  selling_subsidiary: string | null;
}

export function restatedRows(event: CreditLedgerEvent): RestatedRows | null {
  const reattributed = ledgerEventReattributed(event);
  if (reattributed.length === 0) return null;
  const attribution = attributionOf(event.data as { attribution?: LedgerAttribution; transaction?: PolicyTransaction });
  return {
    line_ids: reattributed.map((r) => r.lineId), referral_ids: reattributed.map((r) => r.referralId), cross_sales: reattributed.map((r) => r.crossSale),
    selling_subsidiary: attribution?.sellingSubsidiary ?? null,
  };
}

/** Restates rows (see restatedRows): a sales-side row keeps the subsidiary its beneficiary stood in, as whereItCounts has it. */
export const RESTATE_SQL = (table: string) => `UPDATE ${table} t
    SET referral_id = r.referral_id, cross_sale = r.cross_sale,
        selling_subsidiary = CASE WHEN $4::text IS NULL THEN t.selling_subsidiary WHEN t.side = 'sales' THEN COALESCE(t.subsidiary, $4::text) ELSE $4::text END
   FROM unnest($1::text[], $2::text[], $3::boolean[]) AS r(line_id, referral_id, cross_sale)
  WHERE t.line_id = r.line_id`;

export function creditLineRows(event: CreditLedgerEvent, meta: LineEventMeta): CreditLineRow[] {
  const attribution = attributionOf(event.data as { attribution?: LedgerAttribution; transaction?: PolicyTransaction });
  return ledgerEventLines(event).map((line, index) => ({
    line_id: line.lineId, credit_key: line.creditKey, origin: line.origin, kind: KIND[line.origin], side: line.side, level: line.level,
    beneficiary_id: line.beneficiaryId, credited_agent_id: line.creditedAgentId, ...whereItCounts(line, attribution),
    product_subsidiary: attribution?.productSubsidiary ?? '', product_line: attribution?.productLine ?? '', policy_no: line.policyNo,
    transaction_id: line.transactionId, transaction_kind: line.transactionKind, referral_id: line.referralId, cross_sale: line.crossSale,
    premium: line.premium, standard_premium: line.standardPremium, factor: line.factor, kpi_weight: line.kpiWeight,
    weighted_credit: line.weightedCredit, share_pct: line.sharePct, rule_set_version: line.ruleSetVersion,
    reverses_line_id: line.reversesLineId ?? line.adjustsLineId ?? line.disputedLineId ?? null, effective_date: line.effectiveDate,
    period: line.effectiveDate.slice(0, 7), recorded_at: meta.recordedAt, event_position: meta.globalPosition, line_index: index, reason: line.reason,
  }));
}

export const CREDIT_LINE_COLUMNS: ReadonlyArray<keyof CreditLineRow> = [
  'line_id', 'credit_key', 'origin', 'kind', 'side', 'level', 'beneficiary_id', 'credited_agent_id', 'subsidiary', 'selling_subsidiary',
  'product_subsidiary', 'product_line', 'policy_no', 'transaction_id', 'transaction_kind', 'referral_id', 'cross_sale', 'premium',
  'standard_premium', 'factor', 'kpi_weight', 'weighted_credit', 'share_pct', 'rule_set_version', 'reverses_line_id', 'effective_date',
  'period', 'recorded_at', 'team_id', 'branch_id', 'event_position', 'line_index', 'reason',
];
