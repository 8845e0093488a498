/**
 * Tops the 360° view table up to the size the read benchmark needs when loading every party
 * through the pipeline would not fit the time budget: copies of views the pipeline really
 * built, each under a new party id (and that id inside the view). Only `client_view` grows;
 * the event store, look-ups and identity tables keep what the pipeline wrote. The report
 * says how many parties came from where.
 */
import type { Pool } from 'pg';

export interface FillResult {
  fromPipeline: number;
  cloned: number;
  seconds: number;
}

export async function cloneViews(pool: Pool, target: number, chunk = 20_000): Promise<FillResult> {
  const t0 = Date.now();
  const client = await pool.connect();
  try {
    const { rows: [{ n }] } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM coordination.client_view');
    if (n === 0) throw new Error('no views to copy: the pipeline built none');
    const missing = Math.max(0, target - n);
    for (let done = 0; done < missing; done += chunk) {
      await client.query(
        `INSERT INTO coordination.client_view (party_id, view, tier, updated_at, updated_position)
         SELECT c.id, jsonb_set(v.view, '{partyId}', to_jsonb(c.id::text)), v.tier, v.updated_at, v.updated_position
           FROM (SELECT gen_random_uuid() AS id, (g % $1) + 1 AS k FROM generate_series(1, $2) g) c
           JOIN (SELECT row_number() OVER (ORDER BY party_id) AS k, * FROM coordination.client_view LIMIT $1) v USING (k)`,
        [n, Math.min(chunk, missing - done)],
      );
    }
    await client.query('ANALYZE coordination.client_view');
    // These inserts must not show up in the next phase's per-event table statistics.
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT 1');
    return { fromPipeline: n, cloned: missing, seconds: Math.round((Date.now() - t0) / 100) / 10 };
  } finally {
    client.release();
  }
}
