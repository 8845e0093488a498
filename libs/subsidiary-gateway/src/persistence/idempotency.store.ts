import { createHmac } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** The 202 body of an accepted request; a replay returns it unchanged. */
export interface AcceptedAnswer {
  eventId: string;
  type: string;
  status: 'accepted';
  location: string;
  /** Clients: the identity document as the group will show it, masked. */
  identity?: { type: string; masked: string };
}

export interface StoredAnswer {
  statusCode: number;
  body: AcceptedAnswer;
}

export interface KeyClaim {
  scope: string;
  key: string;
  fingerprint: string;
  operation: string;
  principalId: string;
  answer: StoredAnswer;
}

export interface PriorUse {
  fingerprint: string;
  answer: StoredAnswer;
}

/**
 * Claims an Idempotency-Key inside the request's transaction, answer included (the
 * answer is known before the work: the event id derives from the key). A concurrent
 * duplicate blocks on the primary key until this transaction ends: on commit it finds
 * the row and replays it, on rollback it claims the key itself. So two requests with
 * one key never both write, and a failed request leaves the key free for a retry.
 * Returns null when claimed, otherwise the earlier use.
 */
export async function claimIdempotencyKey(manager: EntityManager, schema: string, claim: KeyClaim): Promise<PriorUse | null> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO "${schema}".idempotency_keys (scope, key, fingerprint, operation, status_code, response, event_id, principal_id)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8) ON CONFLICT (scope, key) DO NOTHING RETURNING key`,
    [claim.scope, claim.key, claim.fingerprint, claim.operation, claim.answer.statusCode, JSON.stringify(claim.answer.body), claim.answer.body.eventId, claim.principalId],
  );
  if (inserted.length > 0) return null;
  const rows: Array<{ fingerprint: string; status_code: number; response: AcceptedAnswer }> = await manager.query(
    `SELECT fingerprint, status_code, response FROM "${schema}".idempotency_keys WHERE scope = $1 AND key = $2`,
    [claim.scope, claim.key],
  );
  // The row that made our insert conflict is committed, so a fresh statement sees it.
  if (!rows[0]) throw new Error('idempotency key conflicted but no row is visible');
  return { fingerprint: rows[0].fingerprint, answer: { statusCode: rows[0].status_code, body: rows[0].response } };
}

/**
 * What "the same request" means: operation, path parameter and body, compared as
 * canonical JSON (key order does not matter). Keyed, because bodies carry identity
 * numbers and a plain hash of a low-entropy number could be reversed by guessing.
 */
export function requestFingerprint(hmacKey: string, operation: string, target: string | null, body: unknown): string {
  return createHmac('sha256', hmacKey).update(canonicalJson({ operation, target, body })).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
