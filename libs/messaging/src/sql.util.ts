/**
 * Schema names are interpolated into SQL (PostgreSQL cannot bind identifiers), so they
 * are checked against a strict pattern first; anything else is a programming error.
 */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): string {
  if (!IDENTIFIER.test(schema)) {
    throw new Error(`invalid schema name "${schema}": expected lower-case letters, digits and underscores`);
  }
  return schema;
}

/** `"schema"."table"` for a validated schema and a table name chosen by this library. */
export function qualified(schema: string, table: string): string {
  return `"${assertSchemaName(schema)}"."${table}"`;
}

/**
 * Only rows written by transactions older than every transaction still running are
 * read. Reading in (tx_id, id) order under this filter is gap-free: anything that
 * becomes visible later has a tx_id at or above today's horizon, so it sorts after
 * everything already read. (Ordering by id alone is not: ids are taken before commit,
 * so a transaction that took id 5 may commit after one that took id 6.)
 */
export function visibleToReaders(alias: string): string {
  return `${alias}.tx_id < pg_snapshot_xmin(pg_current_snapshot())`;
}
