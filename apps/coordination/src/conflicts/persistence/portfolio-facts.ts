import type { EntityManager } from 'typeorm';
import {
  inForceOn, servicerChangeOn, SERVICING_SQL, STATUS_CHANGES_SQL, TERM_DATES_SQL, type PolicyTerm, type ServicerChange, type StatusChange,
} from '../../portfolio/policy-status';
import { ANY_PRODUCT_LINE, type InForcePolicy, type LinkableSale, type ScopePolicy, type ScopeSale, type Subsidiary } from '../domain';
import { businessDayOf } from '../domain/time';

/**
 * Read-only queries over the portfolio's inline tables (coordination.agents, coordination.policies),
 * which the portfolio handler writes earlier in the same transaction.
 */
export interface AgentFacts {
  agentId: string;
  subsidiary: Subsidiary;
  channel: string;
  status: string;
}

export async function agentOf(manager: EntityManager, agentId: string): Promise<AgentFacts | undefined> {
  const rows: Array<{ agent_id: string; subsidiary: Subsidiary; channel: string; status: string }> = await manager.query(
    'SELECT agent_id, subsidiary, channel, status FROM coordination.agents WHERE agent_id = $1',
    [agentId],
  );
  return rows[0] && { agentId: rows[0].agent_id, subsidiary: rows[0].subsidiary, channel: rows[0].channel, status: rows[0].status };
}

interface PolicyRow {
  issued_at: Date | null;
  policy_no: string;
  party_id: string;
  product_line: string;
  subsidiary: Subsidiary;
  channel: string;
  status: string;
  servicing_agent_id: string;
  servicing_subsidiary: Subsidiary | null;
  terms: PolicyTerm[];
  status_changes: StatusChange[];
  servicing: ServicerChange[];
  selling_subsidiary: Subsidiary;
  selling_agent_id: string;
  referral_id: string | null;
  /** Sales in the scope's line only (see scopePoliciesAndSales), else null. */
  converted: string | null;
  sale_order: string | null;
}

/**
 * The policy as it stood on each day by the portfolio's business dates: in force inside its terms and not
 * cancelled or lapsed by then (issued and not yet effective counts, as for the relationship team), serviced
 * by the agent the servicing history has on that day (the row's when it has none).
 */
function asOfDates(now: InForcePolicy, r: PolicyRow): (at: string) => InForcePolicy | undefined {
  const starts = r.terms.map((t) => t.effectiveDate).sort()[0];
  const inForce = inForceOn({ terms: r.terms, statusChanges: r.status_changes });
  return (at) => {
    const day = businessDayOf(at);
    if (day >= starts && !inForce(day)) return undefined;
    const servicer = servicerChangeOn(r.servicing, day);
    if (!servicer || servicer.agentId === now.servicingAgentId) return now;
    return { ...now, servicingAgentId: servicer.agentId, subsidiary: (servicer.subsidiary ?? r.subsidiary) as Subsidiary };
  };
}

const CONVERTED = `(SELECT r.referral_id FROM coordination.referral_index r
   WHERE r.party_id = p.party_id::text AND r.product_line = p.product_line AND r.policy_no = p.policy_no AND r.product_subsidiary = p.subsidiary
     AND r.status = 'converted' ORDER BY r.referral_id LIMIT 1)`;

/**
 * The party's policies (in one line, or all for the `*` scope), whatever their status now, with the servicing
 * agent's own subsidiary (a claimant is an agent of a subsidiary, not a policy's issuer), the issue time, and
 * what each was on a day (`asOf`: in force, and by whom serviced, by its terms, status history and servicing
 * history), so a rule judges a registration, sale or quote with the policies as they stood at its time whatever
 * arrived since. A policy with no terms (recorded before they were kept) counts as it stands now.
 *
 * In the same statement, every sale of the party in the line (none for `*`) with an issue time, whatever its
 * status now, with the referral it converted: what the policy-vs-registration rule judges as of each issue time,
 * in issue order (`sale_order`, numbered by the server as its ORDER BY would sort them).
 */
export async function scopePoliciesAndSales(
  manager: EntityManager, partyId: string, productLine: string,
): Promise<{ policies: ScopePolicy[]; sales: ScopeSale[] }> {
  const sale = 'p.product_line = $3 AND p.issued_at IS NOT NULL';
  const rows: PolicyRow[] = await manager.query(
    `SELECT p.issued_at, p.policy_no, p.party_id, p.product_line, p.subsidiary, p.channel, p.status, p.servicing_agent_id, a.subsidiary AS servicing_subsidiary,
            ${TERM_DATES_SQL} AS terms, ${STATUS_CHANGES_SQL} AS status_changes, ${SERVICING_SQL} AS servicing,
            p.selling_subsidiary, p.selling_agent_id, p.referral_id, CASE WHEN ${sale} THEN ${CONVERTED} END AS converted,
            CASE WHEN ${sale} THEN row_number() OVER (ORDER BY p.issued_at, p.subsidiary, p.policy_no) END AS sale_order
     FROM coordination.policies p LEFT JOIN coordination.agents a ON a.agent_id = p.servicing_agent_id
     WHERE p.party_id = $1 AND ($2::text IS NULL OR p.product_line = $2)
     ORDER BY p.subsidiary, p.policy_no`,
    [partyId, productLine === ANY_PRODUCT_LINE ? null : productLine, productLine],
  );
  const sales = rows.filter((r) => r.sale_order !== null).sort((x, y) => Number(x.sale_order) - Number(y.sale_order));
  return { policies: rows.flatMap(toScopePolicy), sales: sales.map(toScopeSale) };
}

function toScopePolicy(r: PolicyRow): ScopePolicy[] {
  const now: InForcePolicy = {
    policyNo: r.policy_no,
    partyId: String(r.party_id),
    productLine: r.product_line,
    subsidiary: r.servicing_subsidiary ?? r.subsidiary,
    channel: r.channel,
    servicingAgentId: r.servicing_agent_id,
  };
  const issuedAt = r.issued_at ? r.issued_at.toISOString() : null;
  if (r.terms.length === 0) return r.status === 'in-force' ? [{ ...now, issuedAt }] : [];
  return [{ ...now, issuedAt, asOf: asOfDates(now, r) }];
}

function toScopeSale(r: PolicyRow): ScopeSale {
  return {
    policyNo: r.policy_no, productSubsidiary: r.subsidiary, sellingSubsidiary: r.selling_subsidiary, sellingAgentId: r.selling_agent_id,
    channel: r.channel, servicingAgentId: r.servicing_agent_id, issuedAt: r.issued_at!.toISOString(), referralId: r.referral_id,
    convertedReferralId: r.converted,
  };
}

/** The product line of each of the given policies (`subsidiary/policyNo` keys). */
export async function productLinesOf(manager: EntityManager, policies: ReadonlyArray<{ subsidiary: string; policyNo: string }>): Promise<Map<string, string>> {
  if (policies.length === 0) return new Map();
  const rows: Array<{ key: string; product_line: string }> = await manager.query(
    `SELECT p.subsidiary || '/' || p.policy_no AS key, p.product_line FROM coordination.policies p
      WHERE (p.subsidiary, p.policy_no) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [policies.map((p) => p.subsidiary), policies.map((p) => p.policyNo)],
  );
  return new Map(rows.map((r) => [r.key, r.product_line]));
}

/** Sales of the party in one line with the referral each names and the one it converts now: what the links are reconciled over. */
export async function linkableSales(manager: EntityManager, partyId: string, productLine: string): Promise<LinkableSale[]> {
  const rows: Array<{ policy_no: string; subsidiary: Subsidiary; issued_at: Date; referral_id: string | null; converted: string | null }> = await manager.query(
    `SELECT p.policy_no, p.subsidiary, p.issued_at, p.referral_id, ${CONVERTED} AS converted FROM coordination.policies p
      WHERE p.party_id = $1 AND p.product_line = $2 AND p.issued_at IS NOT NULL
      ORDER BY p.issued_at, p.policy_no`,
    [partyId, productLine],
  );
  return rows.map((r) => ({
    policyNo: r.policy_no, productSubsidiary: r.subsidiary, issuedAt: r.issued_at.toISOString(), namedReferralId: r.referral_id, convertedBy: r.converted,
  }));
}
