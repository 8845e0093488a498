/**
 * Open referrals and conflicts belong to the conflicts feature's read models. They are
 * overlaid when a view is served, not folded into the client-view projection, so that
 * projection stays rebuildable from its own events alone. Absent tables mean none.
 */
import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type { ClientView } from '../domain';

interface Source {
  table: string;
  idColumn: string;
  openStatuses: string[];
}

const REFERRALS: Source = { table: 'referral_view', idColumn: 'referral_id', openStatuses: ['registered', 'accepted', 'quoted'] };
const CONFLICTS: Source = { table: 'conflict_view', idColumn: 'conflict_id', openStatuses: ['detected', 'queued'] };

/**
 * Whether the conflicts feature's tables are there. Checked once per process when they are
 * (tables are not dropped under a running service); while absent, asked again each time.
 */
const present = new Set<string>();

async function hasColumns(client: PoolClient, source: Source): Promise<boolean> {
  if (present.has(source.table)) return true;
  const { rows } = await client.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM pg_attribute
      WHERE attrelid = to_regclass($1) AND attname = ANY($2::text[]) AND attnum > 0 AND NOT attisdropped`,
    [`coordination.${source.table}`, [source.idColumn, 'party_id', 'status']],
  );
  if (rows[0]?.n !== '3') return false;
  present.add(source.table);
  return true;
}

/** Ids of the open items of a set of parties (`absorbed`, a CTE of uuids), as an array column; '{}' when the table is absent. */
function openIdsColumn(source: Source, available: boolean, statusParam: string): string {
  if (!available) return `ARRAY(SELECT x FROM unnest(${statusParam}::text[]) x WHERE false)`;
  return `ARRAY(SELECT DISTINCT s.${source.idColumn}::text FROM coordination.${source.table} s
     WHERE s.party_id = ANY(SELECT id::text FROM absorbed) AND s.status = ANY(${statusParam}::text[]) ORDER BY 1)`;
}

export interface ViewWithOpenItems {
  view: ClientView;
  referralIds: string[];
  conflictIds: string[];
}

/**
 * The party's stored view and the open items of the party and of every party merged into
 * it (their referrals were filed under the old id), in one statement; null when the party
 * has no view. A named statement (one per shape), so each connection plans it once: planning
 * cost several times what running it does.
 */
export async function viewWithOpenItems(dataSource: DataSource, partyId: string): Promise<ViewWithOpenItems | null> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const [referrals, conflicts] = [await hasColumns(client, REFERRALS), await hasColumns(client, CONFLICTS)];
    const { rows } = await client.query<{ view: ClientView; referral_ids: string[]; conflict_ids: string[] }>({
      name: `identity.client_view_read.${Number(referrals)}${Number(conflicts)}`,
      text: `WITH RECURSIVE absorbed(id) AS (
         SELECT $1::uuid UNION SELECT r.from_party_id FROM coordination.party_redirects r JOIN absorbed a ON r.to_party_id = a.id)
       SELECT v.view, ${openIdsColumn(REFERRALS, referrals, '$2')} AS referral_ids, ${openIdsColumn(CONFLICTS, conflicts, '$3')} AS conflict_ids
         FROM coordination.client_view v WHERE v.party_id = $1::uuid`,
      values: [partyId, REFERRALS.openStatuses, CONFLICTS.openStatuses],
    });
    const row = rows[0];
    return row ? { view: row.view, referralIds: row.referral_ids, conflictIds: row.conflict_ids } : null;
  } finally {
    await runner.release();
  }
}
