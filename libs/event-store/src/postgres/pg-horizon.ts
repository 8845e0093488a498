import type { Queryable } from './pg-rows';

export interface HorizonStatus {
  /** Oldest transaction id still running in the cluster: readers see only events written below it. */
  horizon: string;
  /** Committed events that readers cannot see yet because an older transaction is still open. */
  heldBackEvents: number;
  /** Age of the oldest such event, in seconds; 0 when none. */
  heldBackSeconds: number;
  /**
   * Age of the oldest transaction holding a transaction id (any database of the cluster,
   * prepared transactions included), in seconds; 0 when none. Needs pg_read_all_stats
   * (or pg_monitor) to see other roles' sessions; without it this underestimates.
   */
  oldestInFlightTxAgeSeconds: number;
}

/**
 * How far subscribers are held back by in-flight transactions. Cheap enough to feed a
 * metric on every scrape (see README, "Commit horizon").
 */
export async function readHorizonStatus(q: Queryable): Promise<HorizonStatus> {
  const [r] = await q.query<Array<{ horizon: string; held: string; held_s: number | null; oldest_s: number | null }>>(
    `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x),
          held AS (SELECT count(*) AS n, min(e.recorded_at) AS oldest FROM event_store.events e, h WHERE e.tx_id >= h.x),
          open AS (
            SELECT min(a.xact_start) AS started FROM pg_stat_activity a WHERE a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
            UNION ALL SELECT min(p.prepared) FROM pg_prepared_xacts p)
     SELECT h.x::text AS horizon, held.n::text AS held,
            extract(epoch FROM clock_timestamp() - held.oldest)::float8 AS held_s,
            extract(epoch FROM clock_timestamp() - (SELECT min(started) FROM open))::float8 AS oldest_s
       FROM h, held`,
  );
  return {
    horizon: r.horizon,
    heldBackEvents: Number(r.held),
    heldBackSeconds: Math.max(0, r.held_s ?? 0),
    oldestInFlightTxAgeSeconds: Math.max(0, r.oldest_s ?? 0),
  };
}
