import type { EntityManager } from 'typeorm';
import { inBookOn, servicerAsMade, type BookReassignment, type HistoryRow } from '../domain';
import type { PolicyKey } from '../inbound/policy-facts';
import { SERVICING_COUNTED_SQL, STATUS_CHANGES_SQL, TERM_DATES_SQL, type PolicyLife } from '../../portfolio/policy-status';

/** The whole-book reassignments a coordinator made of the books of the agents `agents` selects (from_agent_id). */
async function booksOf(manager: EntityManager, agents: string, values: unknown[]): Promise<BookReassignment[]> {
  const rows: Array<Omit<BookReassignment, 'id' | 'afterSeq'> & { id: string; afterSeq: string }> = await manager.query(
    `SELECT id, from_agent_id AS "fromAgentId", to_agent_id AS "toAgentId", to_char(effective_date, 'YYYY-MM-DD') AS "effectiveDate", reason, after_seq AS "afterSeq"
       FROM coordination.credit_book_reassignments WHERE ${agents} ORDER BY effective_date, id`,
    values,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id), afterSeq: Number(r.afterSeq) }));
}

/** The whole-book reassignments a coordinator made of any of these agents' books. */
export async function bookReassignmentsOf(manager: EntityManager, agentIds: readonly string[]): Promise<BookReassignment[]> {
  return booksOf(manager, 'from_agent_id = ANY($1::text[])', [agentIds]);
}

/** bookReassignmentsOf the agents the policy's standing servicing rows name (standingRows'), in one statement. */
export async function bookReassignmentsOfStanding(manager: EntityManager, policy: { subsidiary: string; policyNo: string }): Promise<BookReassignment[]> {
  const standing = `from_agent_id IN (SELECT h.agent_id FROM coordination.credit_servicing_history h
    WHERE h.subsidiary = $1 AND h.policy_no = $2 AND ${SERVICING_COUNTED_SQL})`;
  return booksOf(manager, standing, [policy.subsidiary, policy.policyNo]);
}

/**
 * The whole-book reassignments that take the policy (in force on their date by its status history: `inBookOn`),
 * made of these agents' books and, in turn, of their takers' (a chain of books), each once.
 */
export async function booksTaking(manager: EntityManager, policy: { subsidiary: string; policyNo: string }, agentIds: readonly string[]): Promise<BookReassignment[]> {
  const books: BookReassignment[] = [];
  const seen = new Set(agentIds);
  for (let next = [...seen]; next.length > 0;) {
    const found = await bookReassignmentsOf(manager, next);
    books.push(...found);
    next = [...new Set(found.map((book) => book.toAgentId))].filter((agentId) => !seen.has(agentId));
    for (const agentId of next) seen.add(agentId);
  }
  if (books.length === 0) return [];
  const life = await policyLife(manager, policy);
  return life ? books.filter((book) => inBookOn(life, book.effectiveDate)) : [];
}

/** Keeps a whole-book reassignment as it is made: after the servicing rows recorded so far. */
export async function recordBookReassignment(
  manager: EntityManager, book: Omit<BookReassignment, 'id' | 'afterSeq'> & { madeAt: Date },
): Promise<BookReassignment> {
  const [row]: Array<{ id: string; afterSeq: string }> = await manager.query(
    `INSERT INTO coordination.credit_book_reassignments (from_agent_id, to_agent_id, effective_date, reason, after_seq, made_at)
     VALUES ($1, $2, $3, $4, (SELECT COALESCE(max(seq), 0) FROM coordination.credit_servicing_history), $5)
     RETURNING id, after_seq AS "afterSeq"`,
    [book.fromAgentId, book.toAgentId, book.effectiveDate, book.reason, book.madeAt],
  );
  return { fromAgentId: book.fromAgentId, toAgentId: book.toAgentId, effectiveDate: book.effectiveDate, reason: book.reason, id: Number(row.id), afterSeq: Number(row.afterSeq) };
}

/**
 * An agent's book as a coordinator's reassignment made on `book.effectiveDate` takes it: the policies
 * in force that day by their status history (`inBookOn`, whatever order the changes arrived in) that the
 * portfolio row has with the agent, when no servicing row is dated after that day, else those the agent
 * services then by the standing history (`servicerAsMade`: a row dated later, such as a renewal naming
 * another agent next year or the agent's own termination next month, neither takes a policy out of the
 * book nor puts one in).
 */
export async function bookAsMade(manager: EntityManager, agentId: string, book: Pick<BookReassignment, 'effectiveDate' | 'afterSeq'>): Promise<PolicyKey[]> {
  type Row = PolicyKey & PolicyLife & { servicingAgentId: string; history: Array<Omit<HistoryRow, 'seq' | 'madeAfterSeq'> & { seq: string; madeAfterSeq: string | null }> | null };
  const rows: Row[] = await manager.query(
    `SELECT p.subsidiary, p.policy_no AS "policyNo", p.party_id AS "partyId", p.servicing_agent_id AS "servicingAgentId",
            ${TERM_DATES_SQL} AS terms, ${STATUS_CHANGES_SQL} AS "statusChanges",
            (SELECT json_agg(json_build_object('seq', h.seq, 'effectiveDate', to_char(h.effective_date, 'YYYY-MM-DD'), 'agentId', h.agent_id,
                                               'fromAgentId', h.from_agent_id, 'rule', h.rule, 'madeAfterSeq', h.made_after_seq) ORDER BY h.seq)
               FROM coordination.credit_servicing_history h WHERE h.subsidiary = p.subsidiary AND h.policy_no = p.policy_no AND ${SERVICING_COUNTED_SQL}) AS history
       FROM coordination.policies p
      WHERE p.servicing_agent_id = $1 OR (p.subsidiary, p.policy_no) IN (SELECT subsidiary, policy_no FROM coordination.credit_servicing_history WHERE agent_id = $1)
      ORDER BY p.subsidiary, p.policy_no`,
    [agentId],
  );
  return rows.filter((r) => {
    if (!inBookOn(r, book.effectiveDate)) return false;
    const history = (r.history ?? []).map((h) => ({ ...h, seq: Number(h.seq), madeAfterSeq: h.madeAfterSeq === null ? null : Number(h.madeAfterSeq) }));
    if (r.servicingAgentId === agentId && history.every((h) => h.effectiveDate <= book.effectiveDate)) return true;
    return history.length > 0 && servicerAsMade(history, book) === agentId;
  }).map(({ subsidiary, policyNo, partyId }) => ({ subsidiary, policyNo, partyId }));
}

/** The policy (with its party) and what says whether it was in force on a day: its terms and status changes. */
export async function policyLife(manager: EntityManager, policy: { subsidiary: string; policyNo: string }): Promise<(PolicyKey & PolicyLife) | undefined> {
  const rows: Array<PolicyKey & PolicyLife> = await manager.query(
    `SELECT p.subsidiary, p.policy_no AS "policyNo", p.party_id AS "partyId", ${TERM_DATES_SQL} AS terms, ${STATUS_CHANGES_SQL} AS "statusChanges"
       FROM coordination.policies p WHERE p.subsidiary = $1 AND p.policy_no = $2`,
    [policy.subsidiary, policy.policyNo],
  );
  return rows[0];
}

/** The terms and status changes of these policies (those the portfolio knows), by `subsidiary/policyNo`. */
export async function livesOf(manager: EntityManager, policies: ReadonlyArray<{ subsidiary: string; policyNo: string }>): Promise<Map<string, PolicyLife>> {
  if (policies.length === 0) return new Map();
  const rows: Array<{ subsidiary: string; policyNo: string } & PolicyLife> = await manager.query(
    `SELECT p.subsidiary, p.policy_no AS "policyNo", ${TERM_DATES_SQL} AS terms, ${STATUS_CHANGES_SQL} AS "statusChanges"
       FROM coordination.policies p JOIN unnest($1::text[], $2::text[]) AS k(subsidiary, policy_no) ON p.subsidiary = k.subsidiary AND p.policy_no = k.policy_no`,
    [policies.map((p) => p.subsidiary), policies.map((p) => p.policyNo)],
  );
  return new Map(rows.map((r) => [`${r.subsidiary}/${r.policyNo}`, r]));
}
