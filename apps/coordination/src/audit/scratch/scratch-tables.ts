import type { Projection } from '../../infrastructure/projections/projection.types';

/**
 * Where a replay writes instead of the live read model.
 * - `temp`: the session's temporary tables (pg_temp), invisible to every other session
 *   and gone with it; as-of reads and auditors' comparisons use these.
 * - `shadow`: `<table>_rebuild` next to the live table, kept after the run so it can be
 *   inspected, and the only kind that can be swapped in.
 */
export type ScratchKind = 'temp' | 'shadow';

export interface ScratchTarget {
  kind: ScratchKind;
  /** Live table -> scratch table, for exactly the projection's declared tables. */
  tableOf(live: string): string;
  /** [live, scratch] for every declared table, in declaration order. */
  pairs: Array<[string, string]>;
}

const QUALIFIED = /^([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)$/;
const COLUMN = /^[a-z_][a-z0-9_]*$/;
const MAX_IDENTIFIER = 63;

/** `schema.table` split and checked: names are interpolated into SQL, so only plain identifiers pass. */
export function splitTable(qualified: string): { schema: string; table: string } {
  const match = QUALIFIED.exec(qualified);
  if (!match) throw new Error(`projection table "${qualified}" must be schema-qualified lower-case identifiers`);
  return { schema: match[1], table: match[2] };
}

/** The primary key's columns, checked the same way. */
export function keyColumns(primaryKey: string): string[] {
  const columns = primaryKey.split(',').map((c) => c.trim());
  if (columns.length === 0 || columns.some((c) => !COLUMN.test(c))) {
    throw new Error(`primary key "${primaryKey}" must be a comma-separated list of lower-case column names`);
  }
  return columns;
}

export function scratchNameOf(kind: ScratchKind, live: string): string {
  const { schema, table } = splitTable(live);
  const name = kind === 'shadow' ? `${table}_rebuild` : `scratch_${schema}__${table}`;
  if (name.length > MAX_IDENTIFIER) throw new Error(`scratch table name ${name} exceeds PostgreSQL's ${MAX_IDENTIFIER} characters`);
  return kind === 'shadow' ? `${schema}.${name}` : `pg_temp.${name}`;
}

/**
 * A replay must never write a live table, so a projection asking for a table it did not
 * declare gets an error rather than the live name.
 */
export function scratchTarget(kind: ScratchKind, projection: Pick<Projection, 'name' | 'tables'>): ScratchTarget {
  const pairs = projection.tables.map(({ name }): [string, string] => [name, scratchNameOf(kind, name)]);
  const byLive = new Map(pairs);
  return {
    kind,
    pairs,
    tableOf: (live) => {
      const scratch = byLive.get(live);
      if (!scratch) throw new Error(`projection ${projection.name} used table ${live}, which it does not declare in tables`);
      return scratch;
    },
  };
}

/** Statements that (re)create the scratch tables with the live tables' columns, defaults, constraints and indexes. */
export function createScratchSql(target: ScratchTarget): string[] {
  return target.pairs.flatMap(([live, scratch]) => [
    `DROP TABLE IF EXISTS ${scratch}`,
    target.kind === 'temp'
      ? `CREATE TEMP TABLE ${scratch.slice('pg_temp.'.length)} (LIKE ${live} INCLUDING ALL)`
      : `CREATE TABLE ${scratch} (LIKE ${live} INCLUDING ALL)`,
  ]);
}
