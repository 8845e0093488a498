import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { keyColumns } from './scratch-tables';

export interface TableChecksum {
  rows: number;
  checksum: string;
}

export interface DifferingKey {
  key: Record<string, string | null>;
  inLive: boolean;
  inRebuilt: boolean;
}

/**
 * Row count and an md5 over every row's text in primary-key order. Each row is hashed
 * first and the digests are aggregated, so the aggregate stays 32 bytes a row instead of
 * the whole table's text (string_agg of raw rows hits PostgreSQL's 1 GB value limit).
 */
export async function tableChecksum(manager: EntityManager, table: string, primaryKey: string): Promise<TableChecksum> {
  const order = keyColumns(primaryKey).map((c) => `t.${c}`).join(', ');
  const [row] = await manager.query<Array<{ n: string; checksum: string }>>(
    `SELECT count(*)::text AS n, md5(coalesce(string_agg(md5(t::text), '' ORDER BY ${order}), '')) AS checksum FROM ${table} t`,
  );
  return { rows: Number(row.n), checksum: row.checksum };
}

/** Up to `limit` primary keys whose rows differ (or exist on one side only): where an auditor looks first. */
export async function differingKeys(
  manager: EntityManager,
  live: string,
  rebuilt: string,
  primaryKey: string,
  limit = 10,
): Promise<DifferingKey[]> {
  const columns = keyColumns(primaryKey);
  const keyList = columns.join(', ');
  const rows = await manager.query<Array<Record<string, string | null> & { in_live: boolean; in_rebuilt: boolean }>>(
    `SELECT ${columns.map((c) => `${c}::text AS ${c}`).join(', ')}, l.h IS NOT NULL AS in_live, r.h IS NOT NULL AS in_rebuilt
       FROM (SELECT ${keyList}, md5(t::text) AS h FROM ${live} t) l
       FULL JOIN (SELECT ${keyList}, md5(t::text) AS h FROM ${rebuilt} t) r USING (${keyList})
      WHERE l.h IS DISTINCT FROM r.h
      ORDER BY ${keyList} LIMIT ${Number(limit)}`,
  );
  return rows.map((r) => ({
    key: Object.fromEntries(columns.map((c) => [c, r[c]])),
    inLive: r.in_live,
    inRebuilt: r.in_rebuilt,
  }));
}

/** One checksum for a projection's tables: the sum of rows and an md5 over the tables' checksums in order. */
export function combineChecksums(parts: TableChecksum[]): TableChecksum {
  const digest = createHash('md5');
  for (const part of parts) digest.update(`${part.rows}:${part.checksum}\n`);
  return { rows: parts.reduce((sum, p) => sum + p.rows, 0), checksum: digest.digest('hex') };
}
