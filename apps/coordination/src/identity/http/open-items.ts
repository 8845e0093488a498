/**
 * Open referrals and conflicts belong to the conflicts feature's read models. They are
 * overlaid when a view is served, not folded into the client-view projection, so that
 * projection stays rebuildable from its own events alone. Absent tables mean none.
 */
import type { EntityManager } from 'typeorm';

interface Source {
  table: string;
  idColumn: string;
  openStatuses: string[];
}

const REFERRALS: Source = { table: 'referral_view', idColumn: 'referral_id', openStatuses: ['registered', 'accepted', 'quoted'] };
const CONFLICTS: Source = { table: 'conflict_view', idColumn: 'conflict_id', openStatuses: ['detected', 'queued'] };

async function hasColumns(manager: EntityManager, source: Source): Promise<boolean> {
  const rows: Array<{ n: string }> = await manager.query(
    `SELECT count(*)::text AS n FROM information_schema.columns
      WHERE table_schema = 'coordination' AND table_name = $1 AND column_name = ANY($2::text[])`,
    [source.table, [source.idColumn, 'party_id', 'status']],
  );
  return rows[0]?.n === '3';
}

async function openIds(manager: EntityManager, source: Source, partyIds: string[]): Promise<string[]> {
  if (!(await hasColumns(manager, source))) return [];
  const rows: Array<{ id: string }> = await manager.query(
    `SELECT DISTINCT ${source.idColumn}::text AS id FROM coordination.${source.table}
      WHERE party_id::text = ANY($1::text[]) AND status = ANY($2::text[]) ORDER BY 1`,
    [partyIds, source.openStatuses],
  );
  return rows.map((r) => r.id);
}

/** The party and every party merged into it (their referrals were filed under the old id). */
export async function openItemsOf(manager: EntityManager, partyId: string): Promise<{ referralIds: string[]; conflictIds: string[] }> {
  const merged: Array<{ id: string }> = await manager.query(
    `WITH RECURSIVE absorbed(id) AS (
       SELECT $1::uuid UNION SELECT r.from_party_id FROM coordination.party_redirects r JOIN absorbed a ON r.to_party_id = a.id)
     SELECT id::text AS id FROM absorbed`,
    [partyId],
  );
  const ids = merged.map((m) => m.id);
  return { referralIds: await openIds(manager, REFERRALS, ids), conflictIds: await openIds(manager, CONFLICTS, ids) };
}
