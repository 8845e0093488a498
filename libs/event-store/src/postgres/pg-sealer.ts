import type { DataSource } from 'typeorm';
import { GENESIS, sealEventsInSlices, type ChainHead } from '../integrity/hash-chain';
import { SEALABLE_COLUMNS, type Queryable, type SealableRow, toSealable } from './pg-rows';

/**
 * One advisory lock per database: any number of instances may call seal(), one works at
 * a time. The two-integer form cannot collide with the per-stream (bigint) locks.
 */
const SEALER_LOCK = [0x65730001, 1] as const;

export interface SealedHead extends ChainHead {
  txId: string;
  globalPosition: string;
}

const START_HEAD: SealedHead = { ...GENESIS, txId: '0', globalPosition: '0' };

export async function readSealedHead(q: Queryable): Promise<SealedHead> {
  const rows = await q.query<Array<{ audit_seq: string; tx_id: string; global_position: string; chain_hash: string }>>(
    `SELECT s.audit_seq::text AS audit_seq, s.tx_id::text AS tx_id, s.global_position::text AS global_position, s.chain_hash
       FROM event_store.seals s ORDER BY s.audit_seq DESC LIMIT 1`,
  );
  const r = rows[0];
  return r ? { auditSeq: BigInt(r.audit_seq), chainHash: r.chain_hash, txId: r.tx_id, globalPosition: r.global_position } : START_HEAD;
}

/**
 * Seals up to `maxEvents` committed events after the head, in global order and only below
 * the commit horizon (so no event can later appear before a sealed one). Answers how many
 * it sealed; 0 when another instance holds the sealer lock.
 */
export function sealBatch(dataSource: DataSource, maxEvents: number): Promise<number> {
  return dataSource.transaction(async (em) => {
    const [{ locked }] = await em.query<Array<{ locked: boolean }>>(`SELECT pg_try_advisory_xact_lock($1::integer, $2::integer) AS locked`, [...SEALER_LOCK]);
    if (!locked) return 0;
    const head = await readSealedHead(em);
    const rows = await em.query<SealableRow[]>(
      `SELECT ${SEALABLE_COLUMNS} FROM event_store.events e
        WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint) AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY e.tx_id, e.global_position LIMIT $3`,
      [head.txId, head.globalPosition, maxEvents],
    );
    if (rows.length === 0) return 0;
    const seals = await sealEventsInSlices(head, rows.map(toSealable));
    await em.query(
      `INSERT INTO event_store.seals (audit_seq, global_position, tx_id, content_hash, chain_hash)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::xid8[], $4::text[], $5::text[])`,
      [seals.map((s) => s.auditSeq), seals.map((s) => s.globalPosition), seals.map((s) => s.txId), seals.map((s) => s.contentHash), seals.map((s) => s.chainHash)],
    );
    return rows.length;
  });
}

/** Seals until nothing below the horizon is left; answers the total. */
export async function sealAll(dataSource: DataSource, batchSize = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await sealBatch(dataSource, batchSize);
    total += sealed;
    if (sealed < batchSize) return total;
  }
}
