import type { EntityManager } from 'typeorm';
import { Params, safeTable } from './sql-names';

export type ScorecardLevel = 'agent' | 'team' | 'branch' | 'subsidiary';
export type ScorecardPeriod = 'month' | 'quarter' | 'year';

export interface ScorecardParams {
  level: ScorecardLevel;
  period: ScorecardPeriod;
  /** YYYY-MM, inclusive. */
  from?: string;
  to?: string;
  /** Only beneficiaries of this subsidiary (a subsidiary principal's scope). */
  subsidiary?: string;
  beneficiaryId?: string;
  /** A referral_view-shaped table for conversion rates; null or absent = rates are null. */
  referralTable?: string | null;
  limit?: number;
}

export interface ScorecardRow {
  level: ScorecardLevel;
  beneficiaryId: string;
  period: string;
  subsidiary: string | null;
  standardPremium: string;
  productStandardPremium: string;
  crossSaleCount: number;
  crossSaleClawbacks: number;
  crossSalePremium: string;
  crossSaleStandardPremium: string;
  referralsMade: number | null;
  referralsConverted: number | null;
  referralConversionRate: string | null;
  weightedKpiScore: string;
}

const BUCKET: Record<ScorecardPeriod, string> = { month: 'YYYY-MM', quarter: 'YYYY-"Q"Q', year: 'YYYY' };
/** The agent scorecard includes the product specialists' own (product-side) lines. */
const LEVELS: Record<ScorecardLevel, string[]> = { agent: ['agent', 'specialist'], team: ['team'], branch: ['branch'], subsidiary: ['subsidiary'] };
const money = (expr: string) => `COALESCE(${expr}, 0)::numeric(18,2)::text`;

function dateRange(p: Params, column: string, params: ScorecardParams): string {
  const parts: string[] = [];
  if (params.from) parts.push(`${column} >= ${p.add(`${params.from}-01`)}::date`);
  if (params.to) parts.push(`${column} < (${p.add(`${params.to}-01`)}::date + interval '1 month')`);
  return parts.map((s) => ` AND ${s}`).join('');
}

/**
 * A sale counts as a cross-sale by its Issued credit as it stands: the issue's line and the
 * recalculation lines posted for it (a referral link or decision learnt late) net per line
 * (`issued_net`), so a credit moved to the referrer counts for the referrer, as if known at the issue.
 */
function linesCte(p: Params, table: string, params: ScorecardParams): string {
  const scope = (params.subsidiary ? ` AND subsidiary = ${p.add(params.subsidiary)}` : '') + (params.beneficiaryId ? ` AND beneficiary_id = ${p.add(params.beneficiaryId)}` : '');
  const sales = "side = 'sales'";
  const cross = `${sales} AND cross_sale`;
  return `lines AS (
    SELECT beneficiary_id, to_char(effective_date, '${BUCKET[params.period]}') AS bucket, min(subsidiary) AS subsidiary,
           ${money(`sum(standard_premium) FILTER (WHERE ${sales})`)} AS standard_premium,
           ${money("sum(standard_premium) FILTER (WHERE side = 'product')")} AS product_standard_premium,
           count(DISTINCT transaction_id) FILTER (WHERE ${cross} AND transaction_kind = 'Issued' AND origin IN ('credit', 'recalculation')
             AND issued_net <> 0)::int AS cross_count,
           count(DISTINCT transaction_id) FILTER (WHERE ${cross} AND origin = 'reversal')::int AS cross_clawbacks,
           ${money(`sum(premium) FILTER (WHERE ${cross})`)} AS cross_premium,
           ${money(`sum(standard_premium) FILTER (WHERE ${cross})`)} AS cross_standard_premium,
           ${money('sum(weighted_credit)')} AS weighted
      FROM (SELECT *, sum(standard_premium) FILTER (WHERE transaction_kind = 'Issued' AND origin IN ('credit', 'recalculation'))
                 OVER (PARTITION BY CASE WHEN origin = 'recalculation' THEN COALESCE(reverses_line_id, line_id) ELSE line_id END) AS issued_net
              FROM ${table}
             WHERE level = ANY(${p.add(LEVELS[params.level])}::text[])${dateRange(p, 'effective_date', params)}${scope}) l
     GROUP BY 1, 2)`;
}

/** Referrals made per referrer (or the referrer's team/branch as it stood, or subsidiary) and period. */
function referralsCte(p: Params, table: string, params: ScorecardParams): string {
  const day = "(r.registered_at AT TIME ZONE 'Asia/Shanghai')::date";
  const placement = `LEFT JOIN LATERAL (SELECT h.team_id, h.branch_id FROM coordination.agent_history h
      WHERE h.agent_id = r.referring_agent_id AND h.effective_date <= ${day} ORDER BY h.effective_date DESC LIMIT 1) h ON true`;
  const who: Record<ScorecardLevel, string> = { agent: 'r.referring_agent_id', team: 'h.team_id', branch: 'h.branch_id', subsidiary: 'r.referring_subsidiary' };
  const scope = (params.subsidiary ? ` AND r.referring_subsidiary = ${p.add(params.subsidiary)}` : '')
    + (params.beneficiaryId ? ` AND ${who[params.level]} = ${p.add(params.beneficiaryId)}` : '');
  return `referrals AS (
    SELECT ${who[params.level]} AS beneficiary_id, to_char(${day}, '${BUCKET[params.period]}') AS bucket, min(r.referring_subsidiary) AS subsidiary,
           count(*)::int AS made, count(*) FILTER (WHERE r.status = 'converted')::int AS converted
      FROM ${table} r ${params.level === 'team' || params.level === 'branch' ? placement : ''}
     WHERE ${who[params.level]} IS NOT NULL${dateRange(p, day, params)}${scope}
     GROUP BY 1, 2)`;
}

/**
 * KPI scorecards per level and period, by SQL over a credit_lines-shaped table (the live table,
 * or an auditor's as-of copy). A line counts in the period of its own effective date, so a
 * clawback lowers the period it happened in. Money comes back as decimal strings.
 */
export async function scorecardsFrom(manager: EntityManager, tableName: string, params: ScorecardParams): Promise<ScorecardRow[]> {
  const p = new Params();
  const referrals = params.referralTable ? safeTable(params.referralTable) : null;
  const ctes = [linesCte(p, safeTable(tableName), params), ...(referrals ? [referralsCte(p, referrals, params)] : [])];
  const ref = referrals ? 'r' : null;
  const rows: Array<Record<string, unknown>> = await manager.query(
    `WITH ${ctes.join(',\n')}
     SELECT COALESCE(l.beneficiary_id, ${ref ? 'r.beneficiary_id' : 'NULL'}) AS beneficiary_id, COALESCE(l.bucket, ${ref ? 'r.bucket' : 'NULL'}) AS bucket,
            COALESCE(l.subsidiary, ${ref ? 'r.subsidiary' : 'NULL'}) AS subsidiary, l.standard_premium, l.product_standard_premium, l.cross_count,
            l.cross_clawbacks, l.cross_premium, l.cross_standard_premium, l.weighted,
            ${ref ? 'COALESCE(r.made, 0) AS made, COALESCE(r.converted, 0) AS converted' : 'NULL::int AS made, NULL::int AS converted'}
       FROM lines l ${ref ? 'FULL OUTER JOIN referrals r ON r.beneficiary_id = l.beneficiary_id AND r.bucket = l.bucket' : ''}
      ORDER BY 2, 1 LIMIT ${p.add(params.limit ?? 1000)}`,
    p.values,
  );
  return rows.map((r) => toRow(params.level, r));
}

function toRow(level: ScorecardLevel, r: Record<string, unknown>): ScorecardRow {
  const made = r.made as number | null;
  const converted = r.converted as number | null;
  return {
    level, beneficiaryId: String(r.beneficiary_id), period: String(r.bucket), subsidiary: (r.subsidiary as string | null) ?? null,
    standardPremium: (r.standard_premium as string) ?? '0.00', productStandardPremium: (r.product_standard_premium as string) ?? '0.00',
    crossSaleCount: (r.cross_count as number) ?? 0, crossSaleClawbacks: (r.cross_clawbacks as number) ?? 0,
    crossSalePremium: (r.cross_premium as string) ?? '0.00', crossSaleStandardPremium: (r.cross_standard_premium as string) ?? '0.00',
    referralsMade: made, referralsConverted: converted,
    referralConversionRate: made ? (Math.round((converted! / made) * 10_000) / 10_000).toFixed(4) : null,
    weightedKpiScore: (r.weighted as string) ?? '0.00',
  };
}
