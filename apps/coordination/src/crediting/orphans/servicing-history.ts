import type { EntityManager } from 'typeorm';
import { inBookOn, type HistoryRow, type RenewalRegiven, type ServicingHistory } from '../domain';
import type { PolicyKey } from '../inbound/policy-facts';
import {
  SERVICING_COUNTED_SQL, STATUS_CHANGES_SQL, TERMS_SQL, TERM_DATES_SQL, servicingOrderSql, type PolicyLife,
} from '../../portfolio/policy-status';

/** A policy's servicing agent from a date: its issue (no `fromAgentId`) or a reassignment by `rule`. */
export interface ServicingRecord {
  subsidiary: string;
  policyNo: string;
  effectiveDate: string;
  agentId: string;
  fromAgentId: string | null;
  rule: string | null;
  /** The coordinator's whole-book reassignment that made it, if one did. */
  bookId?: number;
}

export const policyKeyOf = (p: { subsidiary: string; policyNo: string }) => `${p.subsidiary}/${p.policyNo}`;

/**
 * A change `h` counts unless it is a renewal naming an agent who had left by the new term's first day
 * (the portfolio's rule, shared with the readers that ask who serviced a policy on a date).
 */
const COUNTED = SERVICING_COUNTED_SQL;

/**
 * The counted changes of policy `p` latest first in business order (`servicingOrderSql`: the same date, the
 * later made), its issue last (a leaver's book holds a policy that starts after their termination). With `until`
 * (a termination's date) a renewal dated after it is left out: a leaver's book is what they serviced
 * on that date, whatever the subsidiary renewed to another agent since.
 */
const latestChange = (columns: string, until?: string, leaver?: string) => `(SELECT ${columns} FROM coordination.credit_servicing_history h
  WHERE h.subsidiary = p.subsidiary AND h.policy_no = p.policy_no AND ${COUNTED}${until ? ` AND NOT (h.rule = 'renewal' AND h.effective_date > ${until})` : ''}
    ${leaver ? `AND NOT (h.rule = 'coordinator' AND h.from_agent_id = ${leaver} AND h.effective_date >= ${until})` : ''}
  ORDER BY ${servicingOrderSql('DESC')} LIMIT 1)`;

/** Keeps a change; a whole-book reassignment's row keeps where the book was made (its `after_seq`), whenever it is recorded. */
export async function recordServicing(manager: EntityManager, r: ServicingRecord): Promise<void> {
  await manager.query(
    `INSERT INTO coordination.credit_servicing_history (subsidiary, policy_no, effective_date, agent_id, from_agent_id, rule, book_reassignment_id, made_after_seq)
     VALUES ($1, $2, $3, $4, $5, $6, $7, (SELECT after_seq FROM coordination.credit_book_reassignments WHERE id = $7))`,
    [r.subsidiary, r.policyNo, r.effectiveDate, r.agentId, r.fromAgentId, r.rule, r.bookId ?? null],
  );
}

/** Every agent who ever serviced the policy (its issue and every hand-on). */
export async function servicersEver(manager: EntityManager, policy: { subsidiary: string; policyNo: string }): Promise<string[]> {
  const rows: Array<{ agent_id: string }> = await manager.query(
    'SELECT DISTINCT agent_id FROM coordination.credit_servicing_history WHERE subsidiary = $1 AND policy_no = $2 ORDER BY agent_id',
    [policy.subsidiary, policy.policyNo],
  );
  return rows.map((r) => r.agent_id);
}

/** The history of every policy one of the agents ever serviced (its changes in business order), keyed `subsidiary/policyNo` like an orphan plan. */
export async function servicingHistories(manager: EntityManager, agentIds: string[]): Promise<ServicingHistory[]> {
  const rows: Array<{ key: string; terms: ServicingHistory['terms']; statusChanges: ServicingHistory['statusChanges']; changes: ServicingHistory['changes'] }> = await manager.query(
    `SELECT h.subsidiary || '/' || h.policy_no AS key, ${TERMS_SQL} AS terms, ${STATUS_CHANGES_SQL} AS "statusChanges",
            json_agg(json_build_object('agentId', h.agent_id, 'effectiveDate', to_char(h.effective_date, 'YYYY-MM-DD'), 'fromAgentId', h.from_agent_id)
                     ORDER BY ${servicingOrderSql()}) AS changes
       FROM coordination.credit_servicing_history h
       JOIN coordination.policies p ON p.subsidiary = h.subsidiary AND p.policy_no = h.policy_no
      WHERE ${COUNTED} AND (h.subsidiary, h.policy_no) IN (SELECT subsidiary, policy_no FROM coordination.credit_servicing_history WHERE agent_id = ANY($1::text[]))
      GROUP BY h.subsidiary, h.policy_no, p.subsidiary, p.policy_no`,
    [agentIds],
  );
  return rows.map((r) => ({ policyNo: r.key, terms: r.terms, statusChanges: r.statusChanges, changes: r.changes }));
}

/** Who services the policy by the history's business dates (the row follows it: see OrphanService.reassign). */
export async function currentServicing(manager: EntityManager, policy: { subsidiary: string; policyNo: string })
  : Promise<{ agentId: string; effectiveDate: string; rule: string | null } | undefined> {
  const rows = await manager.query(
    `SELECT c.* FROM coordination.policies p
       CROSS JOIN LATERAL ${latestChange(`h.agent_id AS "agentId", to_char(h.effective_date, 'YYYY-MM-DD') AS "effectiveDate", h.rule`)} c
      WHERE p.subsidiary = $1 AND p.policy_no = $2`,
    [policy.subsidiary, policy.policyNo],
  );
  return rows[0];
}

/**
 * A leaver's book on their termination date: the policies in force that day by their status history
 * (`inBookOn`, whatever order the changes arrived in: a cancellation dated after it reported before the
 * termination does not take a policy out, nor does a reinstatement dated after it put one in) that the history
 * has them servicing then (a renewal dated after it that names another agent does not take a policy out of it),
 * and those the portfolio row has them servicing. With `beforeCoordinator` (every rule but the coordinator's,
 * whose book waits for the coordinator's reassignments) a coordinator's reassignment from the leaver dated
 * that day or later does not take a policy out of it either: in business order the day's terminations
 * come first, so it came after the termination handed the book on (and no longer stands: `supersededRows`).
 */
export async function bookOn(manager: EntityManager, agentId: string, date: string, beforeCoordinator = false): Promise<PolicyKey[]> {
  const rows: Array<PolicyKey & PolicyLife> = await manager.query(
    `SELECT p.subsidiary, p.policy_no AS "policyNo", p.party_id AS "partyId", ${TERM_DATES_SQL} AS terms, ${STATUS_CHANGES_SQL} AS "statusChanges"
       FROM coordination.policies p
      WHERE (p.subsidiary, p.policy_no) IN (
        SELECT p.subsidiary, p.policy_no FROM coordination.policies p WHERE p.servicing_agent_id = $1
        UNION
        SELECT p.subsidiary, p.policy_no FROM coordination.policies p
         WHERE (p.subsidiary, p.policy_no) IN (SELECT subsidiary, policy_no FROM coordination.credit_servicing_history WHERE agent_id = $1)
           AND ${latestChange('h.agent_id', '$2::date', beforeCoordinator ? '$1' : undefined)} = $1)
      ORDER BY 1, 2`,
    [agentId, date],
  );
  return rows.filter((r) => inBookOn(r, date)).map(({ subsidiary, policyNo, partyId }) => ({ subsidiary, policyNo, partyId }));
}

/**
 * Renewals recorded naming the agent from `date` on, whose policy the portfolio row still has with
 * them: once their termination dated `date` is known, those renewals do not count.
 */
export async function renewalsFrom(manager: EntityManager, agentId: string, date: string): Promise<Array<PolicyKey & { effectiveDate: string }>> {
  return manager.query(
    `SELECT DISTINCT ON (p.subsidiary, p.policy_no) p.subsidiary, p.policy_no AS "policyNo", p.party_id AS "partyId",
            to_char(h.effective_date, 'YYYY-MM-DD') AS "effectiveDate"
       FROM coordination.credit_servicing_history h
       JOIN coordination.policies p ON p.subsidiary = h.subsidiary AND p.policy_no = h.policy_no
      WHERE h.agent_id = $1 AND h.rule = 'renewal' AND NOT h.superseded AND h.effective_date >= $2 AND p.servicing_agent_id = $1
      ORDER BY p.subsidiary, p.policy_no, h.effective_date DESC`,
    [agentId, date],
  );
}

/**
 * The policies a leaver's termination handed on by its rule (least-loaded-in-branch or team-leader), and
 * whom it last handed each to (it may have judged again): its standing hand-outs, whatever was handed on
 * since by others (a coordinator, the new agent's own termination), which judging it again redoes.
 */
export async function handedOnBy(manager: EntityManager, agentId: string, date: string, rule: string): Promise<Array<PolicyKey & { handedTo: string }>> {
  return manager.query(
    `SELECT DISTINCT ON (p.subsidiary, p.policy_no) p.subsidiary, p.policy_no AS "policyNo", p.party_id AS "partyId", h.agent_id AS "handedTo"
       FROM coordination.credit_servicing_history h
       JOIN coordination.policies p ON p.subsidiary = h.subsidiary AND p.policy_no = h.policy_no
      WHERE h.from_agent_id = $1 AND h.effective_date = $2 AND h.rule = $3 AND NOT h.superseded
      ORDER BY p.subsidiary, p.policy_no, h.seq DESC`,
    [agentId, date, rule],
  );
}

/** The policy's standing history rows (counted, not superseded) in the order they were recorded. */
export async function standingRows(manager: EntityManager, policy: { subsidiary: string; policyNo: string }): Promise<HistoryRow[]> {
  const rows: Array<Omit<HistoryRow, 'seq' | 'bookId' | 'madeAfterSeq'> & { seq: string; bookId: string | null; madeAfterSeq: string | null }> = await manager.query(
    `SELECT h.seq, to_char(h.effective_date, 'YYYY-MM-DD') AS "effectiveDate", h.agent_id AS "agentId", h.from_agent_id AS "fromAgentId", h.rule,
            h.book_reassignment_id AS "bookId", h.made_after_seq AS "madeAfterSeq"
       FROM coordination.credit_servicing_history h WHERE h.subsidiary = $1 AND h.policy_no = $2 AND ${COUNTED} ORDER BY h.seq`,
    [policy.subsidiary, policy.policyNo],
  );
  const id = (value: string | null) => (value === null ? null : Number(value));
  return rows.map((r) => ({ ...r, seq: Number(r.seq), bookId: id(r.bookId), madeAfterSeq: id(r.madeAfterSeq) }));
}

/**
 * Supersedes the renewal rows naming a leaver from their termination date on: recorded before the termination
 * arrived, they gave the leaver nothing (no reader counted them), and a renewal arriving after it records none.
 */
export async function supersedeRenewalsNaming(manager: EntityManager, agentId: string, date: string): Promise<void> {
  await manager.query(
    `UPDATE coordination.credit_servicing_history SET superseded = true WHERE agent_id = $1 AND rule = 'renewal' AND effective_date >= $2 AND NOT superseded`,
    [agentId, date],
  );
}

/** Marks rows superseded (a hand-out judged again invalidated them): no reader counts them any more. */
export async function markSuperseded(manager: EntityManager, seqs: readonly number[]): Promise<void> {
  if (seqs.length === 0) return;
  await manager.query('UPDATE coordination.credit_servicing_history SET superseded = true WHERE seq = ANY($1::bigint[])', [seqs]);
}

/** Renewal rows as business order has them (`renewalsRegiven`): each names the agent before it as its giver. */
export async function regiveRenewals(manager: EntityManager, regiven: readonly RenewalRegiven[]): Promise<void> {
  for (const { row, fromAgentId } of regiven) {
    await manager.query('UPDATE coordination.credit_servicing_history SET from_agent_id = $2 WHERE seq = $1', [row.seq, fromAgentId]);
  }
}

/** A handled termination whose hand-out a fact dated on or before it can change. */
export interface Termination {
  agentId: string;
  date: string;
}

/** Terminations to take besides those in the agents' branches: of agents last placed in `branchIds`, or whose last leader is one of `leaderIds`. */
export interface AlsoTerminations {
  readonly branchIds?: readonly string[];
  readonly leaderIds?: readonly string[];
}

/**
 * Recorded terminations, between `$2` and `$3` (inclusive; open ended when null), of agents whose last placement was in a
 * branch one of the agents `agents` selects (from agent_history) ever stood in, or in one of `$4` (a leaver's placement at
 * termination is their last), or that `led` (a condition on the leaver `a`) takes: the terminated agents are scanned once.
 */
const terminationsSql = (agents: string, led = 'false') => `SELECT a.agent_id AS "agentId", to_char(a.terminated_at, 'YYYY-MM-DD') AS date
       FROM coordination.agents a
      WHERE a.status = 'terminated' AND a.terminated_at >= $2 AND ($3::date IS NULL OR a.terminated_at <= $3::date)
        AND (a.branch_id IN (SELECT branch_id FROM coordination.agent_history WHERE ${agents}) OR a.branch_id = ANY($4::text[]) OR ${led})
      ORDER BY a.terminated_at, a.agent_id`;

/**
 * Terminations already recorded between `from` and `to` (inclusive; open ended without `to`), of
 * agents whose last placement was in one of the branches the given agents ever stood in, or as `also`
 * says (a leaver's placement at termination is their last), in one statement whatever `also` asks.
 */
export async function terminationsInBranchesOf(
  manager: EntityManager, agentIds: string[], from: string, to: string | null, also: AlsoTerminations = {},
): Promise<Termination[]> {
  const sql = terminationsSql('agent_id = ANY($1::text[])', 'a.leader_id = ANY($5::text[])');
  return manager.query(sql, [agentIds, from, to, also.branchIds ?? [], also.leaderIds ?? []]);
}

/** The terminations recorded since `from` in the branches of every agent who ever serviced the policy (servicersEver's), in one statement. */
export async function terminationsInServicersBranches(manager: EntityManager, policy: { subsidiary: string; policyNo: string }, from: string): Promise<Termination[]> {
  const servicers = 'agent_id IN (SELECT agent_id FROM coordination.credit_servicing_history WHERE subsidiary = $1 AND policy_no = $5)';
  return manager.query(terminationsSql(servicers), [policy.subsidiary, from, null, [], policy.policyNo]);
}
