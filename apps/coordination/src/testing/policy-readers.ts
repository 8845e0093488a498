import type { DataSource } from 'typeorm';
import { inForceOn, type PolicyLife } from '../portfolio/policy-status';

/**
 * What the portfolio, identity's 360° view and the ledger each say of a P&C policy, for arrival-order
 * specs comparing every order with business order: the portfolio row's status, its status history, the
 * days (of `days`) in force by it, the view's holding (the policy number shown as `PM`) and folded policy,
 * and the ledger's status.
 */
export async function policyReaders(ds: DataSource, policyNo: string, clientLocalId: string, days: readonly string[]) {
  const [row]: Array<{ status: string; life: Required<PolicyLife> }> = await ds.query(
    `SELECT p.status, json_build_object(
        'terms', (SELECT json_agg(json_build_object('effectiveDate', t.effective_date::text, 'expiryDate', t.expiry_date::text)) FROM coordination.policy_terms t
                   WHERE t.subsidiary = p.subsidiary AND t.policy_no = p.policy_no),
        'statusChanges', (SELECT COALESCE(json_agg(json_build_object('effectiveDate', h.effective_date::text, 'status', h.status, 'reportedAt', h.reported_at)), '[]')
                   FROM coordination.policy_status_history h WHERE h.subsidiary = p.subsidiary AND h.policy_no = p.policy_no)) AS life
       FROM coordination.policies p WHERE p.subsidiary = 'pnc' AND p.policy_no = $1`, [policyNo]);
  const [{ party_id: partyId }] = await ds.query(`SELECT party_id FROM coordination.party_links WHERE subsidiary = 'pnc' AND local_id = $1`, [clientLocalId]);
  const [view]: Array<{ view: { holdings: Array<{ policyNo: string; status: string }> } }> = await ds.query('SELECT view FROM coordination.client_view WHERE party_id = $1', [partyId]);
  const [folded] = await ds.query(`SELECT policy->>'status' AS status FROM coordination.client_view_policies WHERE subsidiary = 'pnc' AND policy_no = $1`, [policyNo]);
  const [ledger] = await ds.query(`SELECT status FROM coordination.credit_ledgers WHERE subsidiary = 'pnc' AND policy_no = $1`, [policyNo]);
  return {
    row: row.status,
    history: row.life.statusChanges.map((c) => `${c.effectiveDate} ${c.status}`).sort(),
    inForce: days.filter(inForceOn(row.life)),
    view: view.view.holdings.map((h) => `${h.policyNo.replace(policyNo, 'PM')} ${h.status}`),
    folded: folded.status as string,
    ledger: ledger.status as string,
  };
}
