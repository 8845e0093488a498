import type { EntityManager } from 'typeorm';
import { ACCESS_LOG_TABLE } from './access-log.projection';

export interface AccessLogFilter {
  partyId?: string;
  principal?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export interface AccessLogEntry {
  eventId: string;
  kind: string;
  principal: string;
  roles: string[];
  partyId: string | null;
  path: string | null;
  query: unknown;
  at: string;
  position: string;
}

/** Newest first. Kept by a projection, so a read made a moment ago may not be listed yet. */
export async function readAccessLog(manager: EntityManager, f: AccessLogFilter): Promise<AccessLogEntry[]> {
  const rows = await manager.query<Array<Omit<AccessLogEntry, 'at'> & { at: Date }>>(
    `SELECT event_id AS "eventId", kind, principal, roles, party_id AS "partyId", path, query, at, position
       FROM ${ACCESS_LOG_TABLE}
      WHERE ($1::text IS NULL OR party_id = $1) AND ($2::text IS NULL OR principal = $2)
        AND ($3::timestamptz IS NULL OR at >= $3) AND ($4::timestamptz IS NULL OR at < $4)
      ORDER BY at DESC, event_id LIMIT $5`,
    [f.partyId ?? null, f.principal ?? null, f.from ?? null, f.to ?? null, f.limit],
  );
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}
