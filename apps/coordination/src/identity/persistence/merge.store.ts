/** Inline-table effects of merges and unmerges, in the transaction that appends both party streams. */
import type { EntityManager } from 'typeorm';
import type { PartyLink } from '../domain';
import { identityKeysOf } from '../inbound/client-record.mapping';

export async function applyMerge(manager: EntityManager, survivorId: string, absorbedId: string): Promise<void> {
  for (const table of ['party_links', 'identity_keys', 'match_candidates']) {
    await manager.query(`UPDATE coordination.${table} SET party_id = $1 WHERE party_id = $2`, [survivorId, absorbedId]);
  }
  await manager.query(
    `INSERT INTO coordination.party_redirects (from_party_id, to_party_id) VALUES ($1, $2)
     ON CONFLICT (from_party_id) DO UPDATE SET to_party_id = EXCLUDED.to_party_id`,
    [absorbedId, survivorId],
  );
}

/**
 * Gives the restored party back exactly the links the merge brought, and the identity
 * keys of those links unless a link the survivor keeps carries the same key.
 */
export async function applyUnmerge(manager: EntityManager, absorbedId: string, restored: PartyLink[], kept: PartyLink[]): Promise<void> {
  const subs = restored.map((l) => l.subsidiary);
  const ids = restored.map((l) => l.localId);
  for (const table of ['party_links', 'match_candidates']) {
    await manager.query(
      `UPDATE coordination.${table} t SET party_id = $1
         FROM unnest($2::text[], $3::text[]) AS r(subsidiary, local_id)
        WHERE t.subsidiary = r.subsidiary AND t.local_id = r.local_id`,
      [absorbedId, subs, ids],
    );
  }
  const keptKeys = new Set(kept.flatMap((l) => identityKeysOf(l.record)).map((k) => `${k.kind}:${k.value}`));
  const keys = restored.flatMap((l) => identityKeysOf(l.record)).filter((k) => !keptKeys.has(`${k.kind}:${k.value}`));
  if (keys.length > 0) {
    await manager.query(
      `UPDATE coordination.identity_keys k SET party_id = $1
         FROM unnest($2::text[], $3::text[]) AS w(kind, value) WHERE k.kind = w.kind AND k.value = w.value`,
      [absorbedId, keys.map((k) => k.kind), keys.map((k) => k.value)],
    );
  }
  await manager.query('DELETE FROM coordination.party_redirects WHERE from_party_id = $1', [absorbedId]);
}
