import { START_POSITION } from '@lib/event-store';
import type { EntityManager } from 'typeorm';
import { splitTable } from '../scratch/scratch-tables';

/** The live checkpoint's position, START when the projection has never run. */
export async function readCheckpoint(manager: EntityManager, name: string): Promise<string> {
  const rows = await manager.query<Array<{ position: string }>>(`SELECT position FROM event_store.checkpoints WHERE name = $1`, [name]);
  return rows[0]?.position ?? START_POSITION;
}

/**
 * Locks the checkpoint row until commit. A missing row is created first (at START) so
 * that there is a row to lock: a runner starting at that moment then finds its
 * insert-if-absent beaten and resynchronises instead of racing the swap.
 */
export async function lockCheckpoint(manager: EntityManager, name: string): Promise<string> {
  await manager.query(`INSERT INTO event_store.checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, [name, START_POSITION]);
  const rows = await manager.query<Array<{ position: string }>>(`SELECT position FROM event_store.checkpoints WHERE name = $1 FOR UPDATE`, [name]);
  return rows[0].position;
}

export async function setCheckpoint(manager: EntityManager, name: string, position: string): Promise<void> {
  await manager.query(`UPDATE event_store.checkpoints SET position = $2, updated_at = statement_timestamp() WHERE name = $1`, [name, position]);
}

interface IndexRow {
  name: string;
  def: string;
}

const indexesOf = (manager: EntityManager, table: string): Promise<IndexRow[]> =>
  manager.query<IndexRow[]>(
    `SELECT c.relname AS name, pg_get_indexdef(c.oid) AS def FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
      WHERE x.indrelid = $1::regclass ORDER BY c.relname`,
    [table],
  );

/** An index definition without its own and its table's name: what a LIKE copy has in common with the original. */
export const indexShape = (def: string): string => def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON (ONLY )?\S+ /, '$1');

/** GRANTs on `live` (other than the owner's) repeated on `shadow`: the app role must keep its access after a swap. */
async function copyGrants(manager: EntityManager, live: string, shadow: string): Promise<void> {
  const grants = await manager.query<Array<{ privilege: string; grantee: string; grantable: boolean }>>(
    `SELECT a.privilege_type AS privilege, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee,
            a.is_grantable AS grantable
       FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
      WHERE c.oid = $1::regclass AND a.grantee <> c.relowner`,
    [live],
  );
  for (const g of grants) {
    await manager.query(`GRANT ${g.privilege} ON ${shadow} TO ${g.grantee}${g.grantable ? ' WITH GRANT OPTION' : ''}`);
  }
}

/**
 * Replaces each live table by its shadow inside the caller's transaction (which holds
 * ACCESS EXCLUSIVE locks on the live tables): grants copied, live dropped, shadow renamed,
 * and the shadow's indexes given the live indexes' names so later migrations find them.
 */
export async function swapTables(manager: EntityManager, pairs: Array<[string, string]>): Promise<void> {
  for (const [live, shadow] of pairs) {
    const liveIndexes = await indexesOf(manager, live);
    const shadowIndexes = await indexesOf(manager, shadow);
    await copyGrants(manager, live, shadow);
    await manager.query(`DROP TABLE ${live}`);
    await manager.query(`ALTER TABLE ${shadow} RENAME TO ${splitTable(live).table}`);
    const { schema } = splitTable(live);
    const unclaimed = [...liveIndexes];
    for (const index of shadowIndexes) {
      const at = unclaimed.findIndex((l) => indexShape(l.def) === indexShape(index.def));
      if (at < 0) continue;
      const [original] = unclaimed.splice(at, 1);
      if (original.name !== index.name) await manager.query(`ALTER INDEX ${schema}."${index.name}" RENAME TO "${original.name}"`);
    }
  }
}
