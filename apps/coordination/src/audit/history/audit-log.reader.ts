import type { ReadAllResult, RecordedEvent } from '@lib/event-store';
import { decodePosition, encodePosition, maxPosition, START_POSITION } from '@lib/event-store/position';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from '@lib/event-store/postgres/pg-rows';
import type { DataSource } from 'typeorm';

export interface AuditLogFilter {
  /** Exclusive cursor, as returned in nextPosition. */
  fromPosition?: string;
  types?: string[];
  streamPrefix?: string;
  /** recorded_at >= from */
  from?: Date;
  /** recorded_at < to */
  to?: Date;
  correlationId?: string;
  maxCount: number;
}

/**
 * The global log with the filters the port's readAll lacks (a lower time bound and the
 * correlation id, which is in the metadata), in SQL against event_store.events, with
 * readAll's cursor semantics: commit order, only below the commit horizon, so paging with
 * nextPosition never skips an event that commits late. Events are shown as stored
 * (their original schemaVersion, not upcast): that is the record an auditor checks.
 */
export async function readAuditLogPage(dataSource: DataSource, f: AuditLogFilter): Promise<ReadAllResult> {
  const from = f.fromPosition ?? START_POSITION;
  const after = decodePosition(from);
  const rows = await dataSource.query<Array<EventRow & { horizon: string }>>(
    `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
     SELECT h.horizon::text AS horizon, page.* FROM h LEFT JOIN LATERAL (
       SELECT ${EVENT_COLUMNS} FROM event_store.events e
        WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint) AND e.tx_id < h.horizon
          AND ($3::text[] IS NULL OR e.type = ANY ($3::text[]))
          AND ($4::text IS NULL OR starts_with(e.stream_id, $4::text))
          AND ($5::timestamptz IS NULL OR e.recorded_at >= $5::timestamptz)
          AND ($6::timestamptz IS NULL OR e.recorded_at < $6::timestamptz)
          AND ($7::text IS NULL OR e.metadata->>'correlationId' = $7::text)
        ORDER BY e.tx_id, e.global_position LIMIT $8
     ) page ON true`,
    [after.major.toString(), after.minor.toString(), f.types ?? null, f.streamPrefix ?? null, f.from ?? null, f.to ?? null, f.correlationId ?? null, f.maxCount],
  );
  const events: RecordedEvent[] = rows.filter((r) => r.event_id !== null).map(toRecordedEvent);
  const isEnd = events.length < f.maxCount;
  const last = events.length > 0 ? events[events.length - 1].globalPosition : from;
  const reached = isEnd ? encodePosition(rows[0].horizon, 0n) : last;
  return { events, nextPosition: maxPosition(from, last, reached), isEnd };
}

/** Pages of the filtered log from the cursor to the horizon, one at a time (for streaming exports). */
export async function* auditLogPages(dataSource: DataSource, f: AuditLogFilter): AsyncGenerator<RecordedEvent[]> {
  let cursor = f.fromPosition;
  for (;;) {
    const page = await readAuditLogPage(dataSource, { ...f, fromPosition: cursor });
    if (page.events.length > 0) yield page.events;
    if (page.isEnd) return;
    cursor = page.nextPosition;
  }
}
