import type { EntityManager } from 'typeorm';
import { Params, safeTable } from './sql-names';

export interface CreditFilter {
  /** The agent's own lines (agent or product-specialist level). */
  agent?: string;
  team?: string;
  branch?: string;
  /** Subsidiary of the beneficiary. */
  subsidiary?: string;
  side?: 'sales' | 'product';
  level?: string;
  /** YYYY-MM, inclusive. */
  periodFrom?: string;
  periodTo?: string;
  crossSaleOnly?: boolean;
  policyNo?: string;
  productSubsidiary?: string;
}

/** A credit line as the API shows it: money and rates as decimal strings. */
export interface CreditLineView {
  lineId: string; creditKey: string; kind: string; origin: string; side: string; level: string; beneficiaryId: string;
  creditedAgentId: string | null; subsidiary: string | null; sellingSubsidiary: string | null; productSubsidiary: string; productLine: string;
  policyNo: string; transactionId: string; transactionKind: string; referralId: string | null; crossSale: boolean; premium: string;
  standardPremium: string; factor: string; kpiWeight: string; weightedCredit: string; sharePct: string; ruleSetVersion: string;
  reversesLineId: string | null; effectiveDate: string; period: string; recordedAt: string; teamId: string | null; branchId: string | null;
  reason: string;
}

export const CREDIT_VIEW_FIELDS: ReadonlyArray<keyof CreditLineView> = [
  'lineId', 'creditKey', 'kind', 'origin', 'side', 'level', 'beneficiaryId', 'creditedAgentId', 'subsidiary', 'sellingSubsidiary',
  'productSubsidiary', 'productLine', 'policyNo', 'transactionId', 'transactionKind', 'referralId', 'crossSale', 'premium', 'standardPremium',
  'factor', 'kpiWeight', 'weightedCredit', 'sharePct', 'ruleSetVersion', 'reversesLineId', 'effectiveDate', 'period', 'recordedAt', 'teamId',
  'branchId', 'reason',
];

const SELECT = `line_id AS "lineId", credit_key AS "creditKey", kind, origin, side, level, beneficiary_id AS "beneficiaryId",
  credited_agent_id AS "creditedAgentId", subsidiary, selling_subsidiary AS "sellingSubsidiary", product_subsidiary AS "productSubsidiary",
  product_line AS "productLine", policy_no AS "policyNo", transaction_id AS "transactionId", transaction_kind AS "transactionKind",
  referral_id AS "referralId", cross_sale AS "crossSale", premium::text AS premium, standard_premium::text AS "standardPremium",
  factor::text AS factor, kpi_weight::text AS "kpiWeight", weighted_credit::text AS "weightedCredit", share_pct::text AS "sharePct",
  rule_set_version AS "ruleSetVersion", reverses_line_id AS "reversesLineId", to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate",
  period, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "recordedAt", team_id AS "teamId",
  branch_id AS "branchId", reason, event_position, line_index`;

function where(p: Params, f: CreditFilter): string {
  const c: string[] = [];
  if (f.agent) c.push(`beneficiary_id = ${p.add(f.agent)} AND level IN ('agent', 'specialist')`);
  if (f.team) c.push(`team_id = ${p.add(f.team)}`);
  if (f.branch) c.push(`branch_id = ${p.add(f.branch)}`);
  if (f.subsidiary) c.push(`subsidiary = ${p.add(f.subsidiary)}`);
  if (f.side) c.push(`side = ${p.add(f.side)}`);
  if (f.level) c.push(`level = ${p.add(f.level)}`);
  if (f.periodFrom) c.push(`period >= ${p.add(f.periodFrom)}`);
  if (f.periodTo) c.push(`period <= ${p.add(f.periodTo)}`);
  if (f.crossSaleOnly) c.push('cross_sale');
  if (f.policyNo) c.push(`policy_no = ${p.add(f.policyNo)}`);
  if (f.productSubsidiary) c.push(`product_subsidiary = ${p.add(f.productSubsidiary)}`);
  return c.length ? c.join(' AND ') : 'true';
}

/** Keyset cursor over the ledger order (event position, line index): stable while rows are added. */
const encodeCursor = (position: string, index: number) => Buffer.from(JSON.stringify([position, index])).toString('base64url');
export function decodeCursor(cursor: string): [string, number] | null {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(value) && typeof value[0] === 'string' && Number.isInteger(value[1]) ? [value[0], value[1]] : null;
  } catch {
    return null;
  }
}

export async function creditPage(manager: EntityManager, filter: CreditFilter, limit: number, after: [string, number] | null, table = 'coordination.credit_lines')
  : Promise<{ items: CreditLineView[]; nextCursor: string | null }> {
  const p = new Params();
  const keyset = after ? ` AND (event_position, line_index) > (${p.add(after[0])}, ${p.add(after[1])}::int)` : '';
  const rows: Array<CreditLineView & { event_position: string; line_index: number }> = await manager.query(
    `SELECT ${SELECT} FROM ${safeTable(table)} WHERE ${where(p, filter)}${keyset} ORDER BY event_position, line_index LIMIT ${p.add(limit + 1)}`,
    p.values,
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const items = page.map(({ event_position: _p, line_index: _i, ...view }) => view);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.event_position, last.line_index) : null };
}
