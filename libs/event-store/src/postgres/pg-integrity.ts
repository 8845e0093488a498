import type { IntegrityProblem, IntegrityReport } from '../event-store.port';
import { GENESIS, verifySealedRows, type ChainHead, type SealedRow } from '../integrity/hash-chain';
import { decodePosition, encodePosition } from '../position';
import { SEALABLE_COLUMNS, type Queryable, type SealableRow, toSealable } from './pg-rows';
import { readSealedHead, type SealedHead } from './pg-sealer';

const PAGE = 1000n;
const MAX_PROBLEMS = 1000;

interface SealJoinRow extends SealableRow {
  s_audit_seq: string;
  s_global_position: string;
  s_tx_id: string;
  s_content_hash: string;
  s_chain_hash: string;
}

interface Bounds {
  from: [string, string];
  to: [string, string];
}

/**
 * Recomputes the chain over the sealed events between two positions (inclusive) and
 * looks for rows that were slipped into the sealed range. Reads only: any role with
 * SELECT can audit.
 */
export async function verifyIntegrity(q: Queryable, from?: string, to?: string): Promise<IntegrityReport> {
  const head = await readSealedHead(q);
  const bounds = boundsOf(from, to);
  const range = await seqRange(q, bounds);
  const problems: IntegrityProblem[] = [];
  let checkedCount = 0;
  if (range) {
    let chain = await anchor(q, range.first, problems);
    // Fixed sequence windows rather than ORDER BY ... LIMIT: the plan stays a short range scan
    // even before the tables have statistics (right after a bulk load).
    for (let after = range.first - 1n; after < range.last && problems.length < MAX_PROBLEMS; after += PAGE) {
      const rows = await sealedPage(q, after, after + PAGE < range.last ? after + PAGE : range.last);
      const check = verifySealedRows(chain, rows);
      problems.push(...check.problems);
      chain = check.head;
      checkedCount += rows.length;
    }
  }
  problems.push(...(await insertedRows(q, head, bounds)));
  return {
    ok: problems.length === 0,
    checkedFrom: range ? range.first.toString() : null,
    checkedTo: range ? range.last.toString() : null,
    checkedCount,
    head: head.auditSeq === 0n ? null : { auditSeq: head.auditSeq.toString(), position: encodePosition(head.txId, head.globalPosition), hash: head.chainHash! },
    unsealedCount: await unsealedCount(q, head),
    problems: problems.slice(0, MAX_PROBLEMS),
  };
}

function boundsOf(from?: string, to?: string): Bounds {
  const f = from ? decodePosition(from) : { major: 0n, minor: 0n };
  const t = to ? decodePosition(to) : { major: (1n << 63n) - 1n, minor: (1n << 63n) - 1n };
  return { from: [f.major.toString(), f.minor.toString()], to: [t.major.toString(), t.minor.toString()] };
}

async function seqRange(q: Queryable, b: Bounds): Promise<{ first: bigint; last: bigint } | null> {
  const [r] = await q.query<Array<{ first: string | null; last: string | null }>>(
    `SELECT min(audit_seq)::text AS first, max(audit_seq)::text AS last FROM event_store.seals
      WHERE (tx_id, global_position) >= ($1::xid8, $2::bigint) AND (tx_id, global_position) <= ($3::xid8, $4::bigint)`,
    [...b.from, ...b.to],
  );
  return r.first === null || r.last === null ? null : { first: BigInt(r.first), last: BigInt(r.last) };
}

/** The chain hash just before the range; a missing predecessor is itself a finding. */
async function anchor(q: Queryable, first: bigint, problems: IntegrityProblem[]): Promise<ChainHead> {
  if (first === 1n) return GENESIS;
  const rows = await q.query<Array<{ chain_hash: string }>>(`SELECT chain_hash FROM event_store.seals WHERE audit_seq = $1`, [(first - 1n).toString()]);
  if (rows[0]) return { auditSeq: first - 1n, chainHash: rows[0].chain_hash };
  problems.push({ kind: 'SEAL_MISSING', auditSeq: (first - 1n).toString(), detail: `audit sequence ${first - 1n} is missing (seal rows deleted)` });
  return { auditSeq: first - 1n, chainHash: null };
}

async function sealedPage(q: Queryable, after: bigint, upTo: bigint): Promise<SealedRow[]> {
  const rows = await q.query<SealJoinRow[]>(
    `SELECT s.audit_seq::text AS s_audit_seq, s.global_position::text AS s_global_position, s.tx_id::text AS s_tx_id,
            s.content_hash AS s_content_hash, s.chain_hash AS s_chain_hash, ${SEALABLE_COLUMNS}
       FROM event_store.seals s
       -- A lateral probe per seal keeps the plan an index lookup even before the tables have statistics.
       LEFT JOIN LATERAL (SELECT * FROM event_store.events x WHERE x.global_position = s.global_position LIMIT 1) e ON true
      WHERE s.audit_seq > $1 AND s.audit_seq <= $2 ORDER BY s.audit_seq`,
    [after.toString(), upTo.toString()],
  );
  return rows.map((r) => ({
    seal: { auditSeq: r.s_audit_seq, globalPosition: r.s_global_position, txId: r.s_tx_id, contentHash: r.s_content_hash, chainHash: r.s_chain_hash },
    event: r.event_id === null ? null : toSealable(r),
  }));
}

/** Events inside the sealed part of the range that no seal covers: written around the append path. */
async function insertedRows(q: Queryable, head: SealedHead, b: Bounds): Promise<IntegrityProblem[]> {
  const rows = await q.query<SealableRow[]>(
    `SELECT ${SEALABLE_COLUMNS} FROM event_store.events e
      WHERE (e.tx_id, e.global_position) <= ($1::xid8, $2::bigint)
        AND (e.tx_id, e.global_position) >= ($3::xid8, $4::bigint) AND (e.tx_id, e.global_position) <= ($5::xid8, $6::bigint)
        AND NOT EXISTS (SELECT 1 FROM event_store.seals s WHERE s.global_position = e.global_position)
      ORDER BY e.tx_id, e.global_position LIMIT ${MAX_PROBLEMS}`,
    [head.txId, head.globalPosition, ...b.from, ...b.to],
  );
  return rows.map((r) => ({
    kind: 'EVENT_INSERTED' as const,
    globalPosition: encodePosition(r.tx_id, r.global_position),
    eventId: r.event_id,
    streamId: r.stream_id,
    streamRevision: r.stream_revision,
    detail: 'the event lies inside the sealed range but no seal covers it (written around the append path, or its seal was deleted)',
  }));
}

async function unsealedCount(q: Queryable, head: SealedHead): Promise<number> {
  const [r] = await q.query<Array<{ n: string }>>(
    `SELECT count(*)::text AS n FROM event_store.events e WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint)`,
    [head.txId, head.globalPosition],
  );
  return Number(r.n);
}
