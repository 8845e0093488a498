import { createHmac, type KeyObject } from 'node:crypto';
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
 * `INSERT ... ON CONFLICT DO NOTHING` of the claims, without its RETURNING clause (a caller
 * may run it as a CTE next to reads of its own); appends its parameters to `params`.
 *
 * A key is claimed inside the request's transaction, answer included (the answer is known
 * before the work: the event id derives from the key). A concurrent duplicate blocks on the
 * primary key until this transaction ends: on commit it finds the row and replays it, on
 * rollback it claims the key itself. So two requests with one key never both write, and a
 * failed request leaves the key free for a retry. The keys of one claim must differ.
 */
export function claimStatement(schema: string, claims: KeyClaim[], params: unknown[]): string {
  if (new Set(claims.map(id)).size !== claims.length) throw new Error('one idempotency key twice in one claim');
  const rows = claims.map((c) => {
    const values = [c.scope, c.key, c.fingerprint, c.operation, c.answer.statusCode, JSON.stringify(c.answer.body), c.answer.body.eventId, c.principalId];
    return `(${values.map((v, i) => `$${params.push(v)}${i === 5 ? '::jsonb' : ''}`).join(', ')})`;
  });
  return `INSERT INTO "${schema}".idempotency_keys (scope, key, fingerprint, operation, status_code, response, event_id, principal_id)
     VALUES ${rows.join(', ')} ON CONFLICT (scope, key) DO NOTHING`;
}

/** Null for each claim `claimStatement` inserted (`inserted`: what it returned), otherwise the earlier use. */
export async function priorUsesOf(
  manager: EntityManager, schema: string, claims: KeyClaim[], inserted: Array<{ scope: string; key: string }>,
): Promise<Array<PriorUse | null>> {
  const claimed = new Set(inserted.map(id));
  const taken = claims.filter((c) => !claimed.has(id(c)));
  const prior = taken.length === 0 ? new Map<string, PriorUse>() : await priorUses(manager, schema, taken);
  return claims.map((c) => {
    if (claimed.has(id(c))) return null;
    // The row that made our insert conflict is committed, so a fresh statement sees it.
    const use = prior.get(id(c));
    if (!use) throw new Error('idempotency key conflicted but no row is visible');
    return use;
  });
}

const id = (c: { scope: string; key: string }) => `${c.scope}\u0000${c.key}`;

async function priorUses(manager: EntityManager, schema: string, claims: KeyClaim[]): Promise<Map<string, PriorUse>> {
  const rows: Array<{ scope: string; key: string; fingerprint: string; status_code: number; response: AcceptedAnswer }> = await manager.query(
    `SELECT k.scope, k.key, k.fingerprint, k.status_code, k.response FROM "${schema}".idempotency_keys k
       JOIN unnest($1::text[], $2::text[]) AS t(scope, key) ON k.scope = t.scope AND k.key = t.key`,
    [claims.map((c) => c.scope), claims.map((c) => c.key)],
  );
  return new Map(rows.map((r) => [id(r), { fingerprint: r.fingerprint, answer: { statusCode: r.status_code, body: r.response } }]));
}

/**
 * What "the same request" means: operation, path parameter and body, compared as
 * canonical JSON (key order does not matter). Keyed, because bodies carry identity
 * numbers and a plain hash of a low-entropy number could be reversed by guessing.
 * A KeyObject of the same bytes gives the same fingerprint, without re-importing the key per request.
 */
export function requestFingerprint(hmacKey: string | KeyObject, operation: string, target: string | null, body: unknown): string {
  return createHmac('sha256', hmacKey).update(canonicalJson({ operation, target, body })).digest('hex');
}

/** JSON with object keys sorted (by code unit) and undefined members left out; written by hand, it runs on every request. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalJson(record[key])}`;
  }
  return `${text}}`;
}

/** Frees keys claimed in this transaction by requests that were then refused (group commit). */
export async function releaseIdempotencyKeys(manager: EntityManager, schema: string, scope: string, keys: string[]): Promise<void> {
  await manager.query(`DELETE FROM "${schema}".idempotency_keys WHERE scope = $1 AND key = ANY($2::text[])`, [scope, keys]);
}
