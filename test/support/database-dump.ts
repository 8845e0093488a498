/*
 * Every row of every table of a database's own schemas (coordination, sub_*, event_store,
 * auth...) as JSON text, for scans such as "no identity number in clear anywhere".
 */
import { withPg } from './coordination-state';

export interface TableDump {
  table: string;
  rows: string[];
}

export async function dumpDatabase(url: string): Promise<TableDump[]> {
  return withPg(url, async (client) => {
    const { rows: tables } = await client.query<{ s: string; t: string }>(
      `SELECT table_schema AS s, table_name AS t FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    const out: TableDump[] = [];
    for (const { s, t } of tables) {
      const { rows } = await client.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM "${s}"."${t}" x`);
      out.push({ table: `${s}.${t}`, rows: rows.map((r) => r.j) });
    }
    return out;
  });
}
