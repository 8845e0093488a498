/**
 * SQL over identity's inline tables. Every function takes the caller's EntityManager:
 * these rows change in the transaction that appends the party events they mirror.
 */
import { BatchYield } from '@lib/messaging';
import type { EntityManager } from 'typeorm';
import { blockingKeys, SourceClientRecord } from '../domain';
import type { IdentityKey } from '../inbound/client-record.mapping';

const MAX_REDIRECT_HOPS = 16;

/** A subsidiary's client id (loosely typed: other features pass what their payloads carry). */
export interface ClientRef {
  subsidiary: string;
  localId: string;
}

/** The party a merged party lives on in (itself when never merged). */
export async function followRedirects(manager: EntityManager, partyId: string): Promise<string> {
  return (await followAllRedirects(manager, [partyId])).get(partyId) ?? partyId;
}

/** followRedirects for many parties in one statement: each id to the party it lives on in. */
export async function followAllRedirects(manager: EntityManager, partyIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(partyIds)];
  if (unique.length === 0) return new Map();
  const rows: Array<{ origin: string; party_id: string }> = await manager.query(
    `WITH RECURSIVE chain(origin, party_id, hops) AS (
       SELECT o, o, 0 FROM unnest($1::uuid[]) AS o
       UNION ALL
       SELECT c.origin, r.to_party_id, c.hops + 1 FROM coordination.party_redirects r JOIN chain c ON r.from_party_id = c.party_id
        WHERE c.hops < ${MAX_REDIRECT_HOPS})
     SELECT DISTINCT ON (origin) origin::text AS origin, party_id::text AS party_id FROM chain ORDER BY origin, hops DESC`,
    [unique],
  );
  return new Map(rows.map((r) => [r.origin, r.party_id]));
}

/** linkedParty, then followRedirects, in one statement: the surviving party of a client id, or null. */
export async function linkedSurvivor(manager: EntityManager, ref: ClientRef): Promise<string | null> {
  const rows: Array<{ party_id: string }> = await manager.query(
    `WITH RECURSIVE chain(party_id, hops) AS (
       SELECT l.party_id, 0 FROM coordination.party_links l WHERE l.subsidiary = $1 AND l.local_id = $2
       UNION ALL
       SELECT r.to_party_id, c.hops + 1 FROM coordination.party_redirects r JOIN chain c ON r.from_party_id = c.party_id
        WHERE c.hops < ${MAX_REDIRECT_HOPS})
     SELECT party_id FROM chain ORDER BY hops DESC LIMIT 1`,
    [ref.subsidiary, ref.localId],
  );
  return rows[0]?.party_id ?? null;
}

export async function linkedParty(manager: EntityManager, ref: ClientRef): Promise<string | null> {
  const rows: Array<{ party_id: string }> = await manager.query(
    'SELECT party_id FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2',
    [ref.subsidiary, ref.localId],
  );
  return rows[0]?.party_id ?? null;
}


/**
 * CTEs ending in `owner`: the surviving party (merges followed) holding one of the keys ($1 kinds,
 * $2 values), or no row. Each key is looked up on its own (a LATERAL subquery with a LIMIT is never
 * flattened into a join): a prepared statement's generic plan, made while `identity_keys` was small,
 * cannot then turn into a hash join over a full scan of the table that outlives its growth.
 */
const OWNER_CTES = `held AS (
       SELECT k.party_id FROM unnest($1::text[], $2::text[]) AS w(kind, value)
         CROSS JOIN LATERAL (SELECT i.party_id FROM coordination.identity_keys i
                              WHERE i.kind = w.kind AND i.value = w.value LIMIT 1) k
        ORDER BY w.kind LIMIT 1),
     chain(party_id, hops) AS (
       SELECT party_id, 0 FROM held
       UNION ALL
       SELECT r.to_party_id, c.hops + 1 FROM coordination.party_redirects r JOIN chain c ON r.from_party_id = c.party_id
        WHERE c.hops < ${MAX_REDIRECT_HOPS}),
     owner AS (SELECT party_id FROM chain ORDER BY hops DESC LIMIT 1)`;

/** The surviving party (merges followed) that holds one of the keys, in one statement; null when none does. */
export async function identityKeyOwner(manager: EntityManager, keys: IdentityKey[]): Promise<string | null> {
  if (keys.length === 0) return null;
  const rows: Array<{ party_id: string }> = await manager.query(
    `WITH RECURSIVE ${OWNER_CTES} SELECT party_id FROM owner`,
    [keys.map((k) => k.kind), keys.map((k) => k.value)],
  );
  return rows[0]?.party_id ?? null;
}

/**
 * Claims a key for the party; answers the party that owns it afterwards. A concurrent
 * claimer blocks on the primary key until the first commits, then sees its row.
 */
export async function claimIdentityKey(manager: EntityManager, key: IdentityKey, partyId: string): Promise<string> {
  const inserted: unknown[] = await manager.query(
    `INSERT INTO coordination.identity_keys (kind, value, party_id) VALUES ($1, $2, $3)
     ON CONFLICT (kind, value) DO NOTHING RETURNING party_id`,
    [key.kind, key.value, partyId],
  );
  if (inserted.length === 1) return partyId;
  const owner = await identityKeyOwner(manager, [key]);
  return owner ?? partyId;
}

/**
 * lockResolution, then linkedParty, in one round trip: the locks are taken first (ORDER BY in
 * the locking subquery), and the link is read in the same statement, as it was read before the
 * locks when they were two (a registration of a known client id takes no decision under them).
 */
export async function lockAndFindLink(manager: EntityManager, names: string[], ref: ClientRef, opts: { wait?: boolean } = {}): Promise<string | null> {
  if (opts.wait === false) return tryLockAndFindLink(manager, names, ref);
  const rows: Array<{ party_id: string | null }> = await manager.query(
    `SELECT (SELECT count(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended('identity:' || n, 0))
               FROM unnest($1::text[]) WITH ORDINALITY AS x(n, i) ORDER BY i) locks) AS locks,
            (SELECT party_id FROM coordination.party_links WHERE subsidiary = $2 AND local_id = $3) AS party_id`,
    [names, ref.subsidiary, ref.localId],
  );
  return rows[0]?.party_id ?? null;
}

/**
 * lockAndFindLink without waiting: a name another transaction holds throws BatchYield (the locks
 * this one got go with the message's savepoint when it is undone).
 */
async function tryLockAndFindLink(manager: EntityManager, names: string[], ref: ClientRef): Promise<string | null> {
  const rows: Array<{ locked: boolean; party_id: string | null }> = await manager.query(
    `SELECT (SELECT coalesce(bool_and(got), true) FROM (SELECT pg_try_advisory_xact_lock(hashtextextended('identity:' || n, 0)) AS got
               FROM unnest($1::text[]) WITH ORDINALITY AS x(n, i) ORDER BY i) locks) AS locked,
            (SELECT party_id FROM coordination.party_links WHERE subsidiary = $2 AND local_id = $3) AS party_id`,
    [names, ref.subsidiary, ref.localId],
  );
  if (!rows[0]?.locked) throw new BatchYield(`client ${ref.subsidiary}/${ref.localId}: another consumer is resolving the same identity`);
  return rows[0].party_id ?? null;
}

/**
 * identityKeyOwner and, when no key is owned, the blocked candidates, in one round trip (read
 * after the resolution locks are held). Candidates' parties still need followAllRedirects.
 * The candidates are found by blocking key first (the primary key's leading column), then
 * ordered: left to itself the planner may walk the (subsidiary, local_id) index in order and
 * filter every row of the table for the keys, a cost that grows with the number of clients.
 */
export async function ownerOrCandidates(manager: EntityManager, keys: IdentityKey[], blocking: string[], limit = 200): Promise<
  { owner: string; candidates: null } | { owner: null; candidates: Array<{ partyId: string; record: SourceClientRecord }> }
> {
  const rows: Array<{ owner: string | null; party_id: string | null; record: SourceClientRecord | null }> = await manager.query(
    `WITH RECURSIVE ${OWNER_CTES},
     found AS MATERIALIZED (
       SELECT subsidiary, local_id, party_id, record FROM coordination.match_candidates
        WHERE blocking_key = ANY($3::text[]) AND NOT EXISTS (SELECT 1 FROM owner)),
     candidates AS (SELECT DISTINCT ON (subsidiary, local_id) party_id, record FROM found ORDER BY subsidiary, local_id LIMIT $4)
     SELECT party_id AS owner, NULL::uuid AS party_id, NULL::jsonb AS record FROM owner
     UNION ALL
     SELECT NULL, party_id, record FROM candidates`,
    [keys.map((k) => k.kind), keys.map((k) => k.value), blocking, limit],
  );
  const owner = rows.find((r) => r.owner !== null)?.owner;
  if (owner) return { owner, candidates: null };
  const survivors = await followAllRedirects(manager, rows.map((r) => r.party_id!));
  return { owner: null, candidates: rows.map((r) => ({ partyId: survivors.get(r.party_id!) ?? r.party_id!, record: r.record! })) };
}

/**
 * The record as the matcher will see it next time (only hash and mask of any identity
 * number), under exactly its current blocking keys. With `link`, the writes that follow a
 * resolution ride along: the identity keys are claimed for the party and the client id is
 * linked to it. One statement: the CTEs touch disjoint rows (stale keys are deleted, current
 * ones upserted). Answers the keys it could not claim (already held: by this party, or by
 * another, which the caller must check).
 */
export async function replaceCandidate(manager: EntityManager, record: SourceClientRecord, partyId: string,
  opts: { link?: { keys: IdentityKey[] } } = {}): Promise<IdentityKey[]> {
  const keys = opts.link?.keys ?? [];
  const rows: Array<{ kind: string; value: string }> = await manager.query(
    `WITH ${opts.link ? `claimed AS (
       INSERT INTO coordination.identity_keys (kind, value, party_id)
       SELECT kind, value, $4 FROM unnest($6::text[], $7::text[]) AS w(kind, value)
       ON CONFLICT (kind, value) DO NOTHING RETURNING kind, value),
     link AS (
       INSERT INTO coordination.party_links (subsidiary, local_id, party_id) VALUES ($2, $3, $4)
       ON CONFLICT (subsidiary, local_id) DO UPDATE SET party_id = EXCLUDED.party_id),` : ''}
     stale AS (
       DELETE FROM coordination.match_candidates WHERE subsidiary = $2 AND local_id = $3 AND blocking_key <> ALL ($1::text[])),
     candidate AS (
       INSERT INTO coordination.match_candidates (blocking_key, subsidiary, local_id, party_id, record)
       SELECT k, $2, $3, $4, $5::jsonb FROM unnest($1::text[]) AS k
       ON CONFLICT (blocking_key, subsidiary, local_id) DO UPDATE SET party_id = EXCLUDED.party_id, record = EXCLUDED.record)
     ${opts.link ? 'SELECT kind, value FROM claimed' : 'SELECT NULL AS kind, NULL AS value WHERE false'}`,
    [[...new Set(blockingKeys(record))], record.subsidiary, record.localId, partyId, JSON.stringify(record),
      ...(opts.link ? [keys.map((k) => k.kind), keys.map((k) => k.value)] : [])],
  );
  const claimed = new Set(rows.map((r) => `${r.kind}\u0000${r.value}`));
  return keys.filter((k) => !claimed.has(`${k.kind}\u0000${k.value}`));
}

/** Every stored record of the given parties (one row per record, whatever its blocking keys). */
export async function partyRecords(manager: EntityManager, partyIds: string[]): Promise<Array<{ partyId: string; record: SourceClientRecord }>> {
  const rows: Array<{ party_id: string; record: SourceClientRecord }> = await manager.query(
    `SELECT DISTINCT ON (subsidiary, local_id) party_id, record FROM coordination.match_candidates
      WHERE party_id = ANY($1::uuid[]) ORDER BY subsidiary, local_id`,
    [partyIds],
  );
  return rows.map((r) => ({ partyId: r.party_id, record: r.record }));
}
