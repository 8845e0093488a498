import type { EntityManager } from 'typeorm';
import { STATUS_CHANGES_SQL, TERM_DATES_SQL, type PolicyLife } from './policy-status';
import type { AgentRecordedData, PolicyRecordedData, PolicyStatus, Subsidiary } from './portfolio.events';

/** Inline lookup tables: written with the events that change them, in the same transaction. */
export interface AgentRow {
  agentId: string;
  subsidiary: Subsidiary;
  channel: string;
  branchId: string;
  teamId: string;
  leaderId: string | null;
  status: 'active' | 'terminated';
  /** The termination's effective date (findAgent and issueFacts read it). */
  terminatedAt?: string | null;
}

export interface PolicyRow {
  subsidiary: Subsidiary;
  policyNo: string;
  partyId: string;
  productLine: string;
  status: PolicyStatus;
  servicingAgentId: string;
  sellingAgentId: string;
  premiumAmount: string;
  premiumMode: string;
  effectiveDate: string;
  expiryDate: string;
}

export async function findAgent(manager: EntityManager, agentId: string): Promise<AgentRow | null> {
  const rows: AgentRow[] = await manager.query(
    `SELECT agent_id AS "agentId", subsidiary, channel, branch_id AS "branchId", team_id AS "teamId", leader_id AS "leaderId", status,
            to_char(terminated_at, 'YYYY-MM-DD') AS "terminatedAt"
       FROM coordination.agents WHERE agent_id = $1`,
    [agentId],
  );
  return rows[0] ?? null;
}

/** What issuing a policy checks first, in one round trip: whether the number is known, and the named agents (with their termination's date). */
export async function issueFacts(manager: EntityManager, subsidiary: string, policyNo: string, agentIds: string[]): Promise<{ known: boolean; agents: Map<string, AgentRow> }> {
  const [row]: Array<{ known: boolean; agents: AgentRow[] }> = await manager.query(
    `SELECT EXISTS (SELECT 1 FROM coordination.policies WHERE subsidiary = $1 AND policy_no = $2) AS known,
            (SELECT coalesce(json_agg(json_build_object('agentId', agent_id, 'subsidiary', subsidiary, 'channel', channel, 'branchId', branch_id,
               'teamId', team_id, 'leaderId', leader_id, 'status', status, 'terminatedAt', to_char(terminated_at, 'YYYY-MM-DD'))), '[]'::json)
               FROM coordination.agents WHERE agent_id = ANY($3::text[])) AS agents`,
    [subsidiary, policyNo, agentIds],
  );
  return { known: row.known, agents: new Map(row.agents.map((a) => [a.agentId, a])) };
}

/** Records the agent and its placement from `joinedAt`; the branch a placement it replaces named, if another (see recordHierarchy). */
export async function upsertAgent(manager: EntityManager, a: AgentRecordedData): Promise<string | null> {
  await manager.query(
    `INSERT INTO coordination.agents (agent_id, subsidiary, name, channel, branch_id, team_id, leader_id, status, joined_at, specialist_for)
     VALUES ($1,$2,$3,$4,$5,$6,$7,'active',$8,$9)
     ON CONFLICT (agent_id) DO UPDATE SET subsidiary = $2, name = $3, channel = $4, branch_id = $5, team_id = $6, leader_id = $7,
       joined_at = $8, specialist_for = $9`,
    [a.agentId, a.subsidiary, a.name, a.channel, a.branchId, a.teamId, a.leaderId, a.joinedAt, a.specialistFor],
  );
  return recordHierarchy(manager, a.agentId, a.joinedAt, a.subsidiary, a.branchId, a.teamId, a.leaderId);
}

/**
 * Places the agent from `effectiveDate`. A placement re-sent for the same date replaces the one kept:
 * the branch that one named, when another, is returned (who stood in it from that date changed).
 */
export async function recordHierarchy(
  manager: EntityManager, agentId: string, effectiveDate: string, subsidiary: string, branchId: string, teamId: string, leaderId: string | null,
): Promise<string | null> {
  const [placed]: Array<{ replaced: string | null }> = await manager.query(
    `WITH replaced AS (SELECT branch_id FROM coordination.agent_history WHERE agent_id = $1 AND effective_date = $2)
     INSERT INTO coordination.agent_history (agent_id, effective_date, subsidiary, branch_id, team_id, leader_id)
     VALUES ($1,$2,$3,$4,$5,$6)
     ON CONFLICT (agent_id, effective_date) DO UPDATE SET subsidiary = $3, branch_id = $4, team_id = $5, leader_id = $6
     RETURNING (SELECT branch_id FROM replaced) AS replaced`,
    [agentId, effectiveDate, subsidiary, branchId, teamId, leaderId],
  );
  await manager.query(
    `UPDATE coordination.agents a SET branch_id = h.branch_id, team_id = h.team_id, leader_id = h.leader_id
       FROM (SELECT branch_id, team_id, leader_id FROM coordination.agent_history WHERE agent_id = $1 ORDER BY effective_date DESC LIMIT 1) h
      WHERE a.agent_id = $1`,
    [agentId],
  );
  return placed.replaced !== null && placed.replaced !== branchId ? placed.replaced : null;
}

export async function terminateAgent(manager: EntityManager, agentId: string, effectiveDate: string): Promise<void> {
  await manager.query(`UPDATE coordination.agents SET status = 'terminated', terminated_at = $2 WHERE agent_id = $1`, [agentId, effectiveDate]);
}

const POLICY_ROW_COLUMNS = `subsidiary, policy_no AS "policyNo", party_id AS "partyId", product_line AS "productLine", status,
  servicing_agent_id AS "servicingAgentId", selling_agent_id AS "sellingAgentId", premium_amount::text AS "premiumAmount",
  premium_mode AS "premiumMode", to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate", to_char(expiry_date, 'YYYY-MM-DD') AS "expiryDate"`;

/** A policy's terms and status changes, for a query over coordination.policies aliased `p`. */
const LIFE_COLUMNS = `${TERM_DATES_SQL} AS terms, ${STATUS_CHANGES_SQL} AS "statusChanges"`;

export async function findPolicy(manager: EntityManager, subsidiary: string, policyNo: string): Promise<PolicyRow | null> {
  const rows: PolicyRow[] = await manager.query(
    `SELECT ${POLICY_ROW_COLUMNS} FROM coordination.policies WHERE subsidiary = $1 AND policy_no = $2`,
    [subsidiary, policyNo],
  );
  return rows[0] ?? null;
}

/** The policy's row and, in the same statement, its terms and status changes as kept so far (see policy-status: what its status is by business date). */
export async function findPolicyAndLife(
  manager: EntityManager, subsidiary: string, policyNo: string,
): Promise<{ policy: PolicyRow; life: Required<PolicyLife> } | null> {
  const rows: Array<PolicyRow & Required<PolicyLife>> = await manager.query(
    `SELECT ${POLICY_ROW_COLUMNS}, ${LIFE_COLUMNS} FROM coordination.policies p WHERE p.subsidiary = $1 AND p.policy_no = $2`,
    [subsidiary, policyNo],
  );
  if (!rows[0]) return null;
  const { terms, statusChanges, ...policy } = rows[0];
  return { policy, life: { terms, statusChanges } };
}

/** Writes a new policy's row (a policy number another consumer recorded first keeps its row) and its issue's term, as recordTerm keeps it, in one statement. */
export async function insertPolicy(manager: EntityManager, p: PolicyRecordedData): Promise<void> {
  await manager.query(
    `WITH term AS (${termInsertSql('$1, $2, $9, $10, $6, $7, $8')})
     INSERT INTO coordination.policies (subsidiary, policy_no, party_id, holder_local_id, product_line, status, premium_amount, premium_mode,
       standard_premium, effective_date, expiry_date, selling_agent_id, servicing_agent_id, channel, selling_subsidiary, referral_id, product_specialist_id, issued_at)
     VALUES ($1,$2,$3,$4,$5,'in-force',$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
     ON CONFLICT (subsidiary, policy_no) DO NOTHING`,
    [p.subsidiary, p.policyNo, p.partyId, p.holderLocalId, p.productLine, p.premium.amount, p.premium.mode, p.standardPremium, p.effectiveDate,
      p.expiryDate, p.sellingAgentId, p.servicingAgentId, p.channel, p.sellingSubsidiary, p.referralId, p.productSpecialistId, p.issuedAt],
  );
}

export async function updatePolicy(manager: EntityManager, subsidiary: string, policyNo: string, changes: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(changes);
  const sets = columns.map((c, i) => `${c} = $${i + 3}`).join(', ');
  await manager.query(`UPDATE coordination.policies SET ${sets} WHERE subsidiary = $1 AND policy_no = $2`, [subsidiary, policyNo, ...columns.map((c) => changes[c])]);
}

/**
 * Keeps a policy's status change with the business date it took effect: the current status alone
 * cannot say whether the policy was in force on an earlier day. The same change reported twice is
 * kept once, with the earlier report time (it breaks ties between changes dated the same day). The
 * row takes `policyStatus` (what business order leaves it in) in the same statement.
 */
export async function recordStatusChange(
  manager: EntityManager, subsidiary: string, policyNo: string, change: { effectiveDate: string; status: PolicyStatus; reportedAt: string },
  policyStatus: PolicyStatus,
): Promise<void> {
  await manager.query(
    `WITH kept AS (
       INSERT INTO coordination.policy_status_history (subsidiary, policy_no, effective_date, status, reported_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (subsidiary, policy_no, effective_date, status) DO UPDATE SET reported_at = LEAST(policy_status_history.reported_at, EXCLUDED.reported_at))
     UPDATE coordination.policies SET status = $6 WHERE subsidiary = $1 AND policy_no = $2`,
    [subsidiary, policyNo, change.effectiveDate, change.status, change.reportedAt, policyStatus],
  );
}

/** One term of a policy (its issue's or a renewal's), with the premium it was written at. */
export interface TermRecord {
  effectiveDate: string;
  expiryDate: string;
  premium: { amount: string; mode: string };
  standardPremium: string | null;
}

/**
 * Keeps a policy's term by its business dates: a renewal moves the policy row to its new term, and
 * whether (and at what premium) the policy was in force on an earlier day is read from its terms. A
 * term reported again (same start) takes the later report: the policy's reports arrive in order.
 */
export async function recordTerm(manager: EntityManager, subsidiary: string, policyNo: string, term: TermRecord): Promise<void> {
  const values = [subsidiary, policyNo, term.effectiveDate, term.expiryDate, term.premium.amount, term.premium.mode, term.standardPremium];
  await manager.query(termInsertSql('$1, $2, $3, $4, $5, $6, $7'), values);
}

/** The term's insert, given its values' placeholders (subsidiary, policy number, dates, premium amount and mode, standard premium). */
function termInsertSql(values: string): string {
  return `INSERT INTO coordination.policy_terms (subsidiary, policy_no, effective_date, expiry_date, premium_amount, premium_mode, standard_premium)
    VALUES (${values})
    ON CONFLICT (subsidiary, policy_no, effective_date) DO UPDATE SET expiry_date = EXCLUDED.expiry_date, premium_amount = EXCLUDED.premium_amount,
      premium_mode = EXCLUDED.premium_mode, standard_premium = EXCLUDED.standard_premium`;
}

/** One endorsement of a policy: its premium change (per instalment) and standard-premium change from its date. */
export interface EndorsementRecord {
  /** The PolicyEndorsementRecorded event's id: each report is one change. */
  eventId: string;
  effectiveDate: string;
  premiumDelta: string;
  standardPremiumDelta: string | null;
}

/**
 * Keeps a policy's endorsement by its business date: the terms keep the premium they were written at,
 * and what the premium was on an earlier day is that term's premium changed by the endorsements dated
 * in it by then, whatever order they arrived in.
 */
export async function recordEndorsement(manager: EntityManager, subsidiary: string, policyNo: string, e: EndorsementRecord): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.policy_endorsements (subsidiary, policy_no, event_id, effective_date, premium_delta, standard_premium_delta)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [subsidiary, policyNo, e.eventId, e.effectiveDate, e.premiumDelta, e.standardPremiumDelta],
  );
}
