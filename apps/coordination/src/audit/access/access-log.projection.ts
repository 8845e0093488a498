import type { RecordedEvent } from '@lib/event-store';
import { Injectable } from '@nestjs/common';
import type { Projection, ProjectionContext } from '../../infrastructure/projections/projection.types';
import { AUDIT_READ, CLIENT_VIEW_READ, partyIdOfAccessStream, partyIdOfAuditPath } from './access-events';

export const ACCESS_LOG_TABLE = 'coordination.audit_access_log';

interface AccessRow {
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

const text = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** One row per read, whichever way it was recorded; the fallbacks keep a malformed event from stopping the projection. */
export function accessRowOf(event: RecordedEvent): AccessRow {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const at = text(data.at) ?? event.recordedAt.toISOString();
  const base = { eventId: event.eventId, kind: event.type, at, position: event.globalPosition };
  if (event.type === CLIENT_VIEW_READ) {
    const principal = text(data.viewer) ?? text(event.metadata.actor) ?? 'unknown';
    const partyId = partyIdOfAccessStream(event.streamId) ?? text(data.partyId);
    return { ...base, principal, roles: text(data.role) ? [data.role as string] : [], partyId, path: null, query: null };
  }
  const path = text(data.path);
  const roles = Array.isArray(data.roles) ? data.roles.filter((r): r is string => typeof r === 'string') : [];
  const principal = text(data.principal) ?? text(event.metadata.actor) ?? 'unknown';
  return { ...base, principal, roles, partyId: path ? partyIdOfAuditPath(path) : null, path, query: data.query ?? null };
}

/**
 * Who read which client's data when: identity's 360° reads (ClientViewRead in
 * `party-access-*`) and every audit API call (AuditRead), in one table for the
 * access-log endpoint. Rebuildable from the events like every read model.
 */
@Injectable()
export class AccessLogProjection implements Projection {
  readonly name = 'audit-access-log';
  readonly tables = [{ name: ACCESS_LOG_TABLE, primaryKey: 'event_id' }];
  readonly types = [CLIENT_VIEW_READ, AUDIT_READ];

  async apply(events: RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const rows = events.map(accessRowOf);
    await ctx.manager.query(
      `INSERT INTO ${ctx.table(ACCESS_LOG_TABLE)} (event_id, kind, principal, roles, party_id, path, query, at, position)
       SELECT r.event_id, r.kind, r.principal, ARRAY(SELECT jsonb_array_elements_text(r.roles)), r.party_id, r.path, r.query, r.at, r.position
         FROM jsonb_to_recordset($1::jsonb) AS r(event_id text, kind text, principal text, roles jsonb, party_id text, path text,
                                                 query jsonb, at timestamptz, position text)
       ON CONFLICT (event_id) DO NOTHING`,
      [JSON.stringify(rows.map((r) => ({ event_id: r.eventId, kind: r.kind, principal: r.principal, roles: r.roles, party_id: r.partyId, path: r.path, query: r.query, at: r.at, position: r.position })))],
    );
  }
}
