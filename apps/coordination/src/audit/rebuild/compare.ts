import type { EntityManager } from 'typeorm';
import type { Projection } from '../../infrastructure/projections/projection.types';
import { combineChecksums, differingKeys, tableChecksum } from '../scratch/checksum';
import type { ScratchTarget } from '../scratch/scratch-tables';
import type { RebuildReport, TableComparison } from './rebuild.types';

/** Every table of the projection, live against scratch, read in the caller's transaction (one snapshot). */
export async function compareTables(manager: EntityManager, projection: Projection, target: ScratchTarget): Promise<TableComparison[]> {
  const tables: TableComparison[] = [];
  for (const { name, primaryKey } of projection.tables) {
    const scratch = target.tableOf(name);
    const live = await tableChecksum(manager, name, primaryKey);
    const rebuilt = await tableChecksum(manager, scratch, primaryKey);
    const equal = live.rows === rebuilt.rows && live.checksum === rebuilt.checksum;
    tables.push({ table: name, live, rebuilt, equal, differingKeys: equal ? [] : await differingKeys(manager, name, scratch, primaryKey) });
  }
  return tables;
}

export function reportOf(
  projection: Projection,
  target: ScratchTarget,
  position: string,
  eventsReplayed: number,
  tables: TableComparison[],
): RebuildReport {
  return {
    projection: projection.name,
    position,
    live: combineChecksums(tables.map((t) => t.live)),
    rebuilt: combineChecksums(tables.map((t) => t.rebuilt)),
    equal: tables.every((t) => t.equal),
    swapped: false,
    target: target.kind,
    eventsReplayed,
    tables,
  };
}
