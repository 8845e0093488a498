import type { DataSource } from 'typeorm';

/** A refusal as an audit of a ledger's history lists it: the rules' code and the transaction's kind and date. */
export interface RefusalRow { code: string; kind: string; date: string }

const REFUSALS_SQL = `SELECT r.data->>'code' AS code, r.data->'transaction'->>'kind' AS kind, r.data->'transaction'->>'effectiveDate' AS date
  FROM event_store.events r WHERE r.stream_id = $1 AND r.type = 'PolicyTransactionNotCredited'`;
/**
 * No credit of the same transaction recorded after the refusal (a reinstatement or a renewal of its term credits it again), nor
 * clawback (a reinstatement dated before a termination refused as a repeat puts it back).
 */
const STANDING = `AND NOT EXISTS (SELECT 1 FROM event_store.events c WHERE c.stream_id = r.stream_id
  AND c.type IN ('CreditLinesRecorded', 'CreditLinesReversed')
  AND c.stream_revision > r.stream_revision AND c.data->'transaction'->>'transactionId' = r.data->'transaction'->>'transactionId')`;

/**
 * The refusals a ledger stream records (`PolicyTransactionNotCredited`), in order; `standing`: only those
 * no later credit of the transaction lifted.
 */
export const ledgerRefusals = (ds: DataSource, streamId: string, { standing = false } = {}): Promise<RefusalRow[]> =>
  ds.query(`${REFUSALS_SQL} ${standing ? STANDING : ''} ORDER BY r.stream_revision`, [streamId]);
