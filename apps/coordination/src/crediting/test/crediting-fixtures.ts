import Decimal from 'decimal.js';
import request from 'supertest';
import { defaultRuleSet } from '../domain';
import type { CreditingTestApp } from './crediting-test-app';
import type { Role } from '@lib/platform';

export const agent = (agentId: string, channel: string, branchId: string, teamId: string, leaderId: string | null) =>
  ({ agentId, name: '李娜', channel, branchId, teamId, leaderId, joinedAt: '2025-01-05' });

export const premium = (amount: string, mode = 'ANNUAL') => ({ amount, currency: 'CNY', mode });

export function motorPolicy(policyNo: string, holderLocalId: string, overrides: Record<string, unknown>) {
  return {
    policyNo, productCode: 'M01', productLine: 'MOTOR', holderLocalId, insuredLocalIds: [holderLocalId], premium: premium('5000.00'),
    effectiveDate: '2026-03-01', expiryDate: '2027-02-28', sellingAgentId: 'P-2001', servicingAgentId: 'P-2001', channel: 'AGENCY', referralId: null,
    ...overrides,
  };
}

/** The default rule set's numbers, so expectations show where they come from. */
export const MOTOR_FACTOR = defaultRuleSet().standardPremiumFactors.find((f) => f.subsidiary === 'pnc' && f.productLine === 'MOTOR' && f.mode === 'ANNUAL')!.factor;
export const LIFE_AGENCY_TO_PNC = defaultRuleSet().crossSaleWeights.find((w) => w.sellingSubsidiary === 'life' && w.sellingChannel === 'AGENCY' && w.productSubsidiary === 'pnc')!.weight;
export const times = (...values: string[]) => values.reduce((acc, v) => acc.times(v), new Decimal(1)).toDecimalPlaces(2).toFixed(2);
export const minus = (a: string, b: string) => new Decimal(a).minus(b).toFixed(2);

/** The hierarchy both test files use: a life agency team and a P&C agency team. */
export async function onboardAgents(h: CreditingTestApp): Promise<void> {
  await h.feed('AgentOnboarded', 'life', agent('A-1000', 'AGENCY', 'L-B1', 'L-T1', null));
  await h.feed('AgentOnboarded', 'life', agent('A-1001', 'AGENCY', 'L-B1', 'L-T1', 'A-1000'));
  await h.feed('AgentOnboarded', 'pnc', agent('P-2000', 'AGENCY', 'P-B1', 'P-T1', null));
  await h.feed('AgentOnboarded', 'pnc', agent('P-2001', 'AGENCY', 'P-B1', 'P-T1', 'P-2000'));
  await h.feed('AgentOnboarded', 'pnc', agent('P-2002', 'AGENCY', 'P-B1', 'P-T1', 'P-2000'));
}

export const http = (h: CreditingTestApp) => ({
  get: (path: string, role: Role) => request(h.app.getHttpServer()).get(path).set('X-Api-Key', h.keys[role]),
  post: (path: string, role: Role, body: object) => request(h.app.getHttpServer()).post(path).set('X-Api-Key', h.keys[role]).send(body),
});

export interface LineRow {
  line_id: string; credit_key: string; kind: string; origin: string; side: string; level: string; beneficiary_id: string; subsidiary: string | null;
  team_id: string | null; branch_id: string | null; kpi_weight: string; standard_premium: string; weighted_credit: string; reason: string;
  transaction_kind: string; reverses_line_id: string | null;
}

export const linesOf = (h: CreditingTestApp, policyNo: string): Promise<LineRow[]> =>
  h.dataSource.query(
    `SELECT line_id, credit_key, kind, origin, side, level, beneficiary_id, subsidiary, team_id, branch_id, kpi_weight::numeric(10,4)::text AS kpi_weight,
            standard_premium::text AS standard_premium, weighted_credit::text AS weighted_credit, reason, transaction_kind, reverses_line_id
       FROM coordination.credit_lines WHERE policy_no = $1 ORDER BY event_position, line_index`,
    [policyNo],
  );

/** Net standard premium and weighted credit per side and level of one policy. */
export async function netOf(h: CreditingTestApp, policyNo: string): Promise<Record<string, string>> {
  const rows: Array<{ key: string; sp: string; w: string }> = await h.dataSource.query(
    `SELECT side || '/' || level AS key, sum(standard_premium)::text AS sp, sum(weighted_credit)::text AS w
       FROM coordination.credit_lines WHERE policy_no = $1 GROUP BY 1 ORDER BY 1`,
    [policyNo],
  );
  return Object.fromEntries(rows.map((r) => [r.key, `${r.sp}/${r.w}`]));
}
