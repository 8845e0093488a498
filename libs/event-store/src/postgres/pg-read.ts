import type { ReadAllOptions, ReadAllResult, ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { InvalidArgumentError } from '../errors';
import { decodePosition, encodePosition, maxPosition, START_POSITION } from '../position';
import { EVENT_COLUMNS, type EventRow, type EventTuple, fromTuple, type Queryable, toRecordedEvent, TUPLE_COLUMNS } from './pg-rows';

const DEFAULT_PAGE = 1000;

export async function readStreamRows(q: Queryable, streamId: string, opts: ReadStreamOptions): Promise<RecordedEvent[]> {
  const backwards = opts.direction === 'backwards';
  const rows = await q.query<EventRow[]>(
    `SELECT ${EVENT_COLUMNS} FROM event_store.events e
      WHERE e.stream_id = $1 AND ($2::bigint IS NULL OR e.stream_revision ${backwards ? '<=' : '>='} $2::bigint)
      ORDER BY e.stream_revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
    [streamId, opts.from?.toString() ?? null, checkCount(opts.maxCount)],
  );
  return rows.map(toRecordedEvent);
}

/** Whole streams in one statement (the (stream_id, stream_revision) key), grouped by stream in revision order. */
export async function readStreamsRows(q: Queryable, streamIds: string[]): Promise<Map<string, RecordedEvent[]>> {
  const byStream = new Map<string, RecordedEvent[]>(streamIds.map((id) => [id, []]));
  if (streamIds.length === 0) return byStream;
  const rows = await q.query<EventRow[]>(
    `SELECT ${EVENT_COLUMNS} FROM event_store.events e
      WHERE e.stream_id = ANY($1::text[]) ORDER BY e.stream_id, e.stream_revision`,
    [[...byStream.keys()]],
  );
  for (const row of rows) byStream.get(row.stream_id)!.push(toRecordedEvent(row));
  return byStream;
}

/**
 * $all in commit-safe order: (tx_id, global_position), and only rows whose transaction
 * id is below the oldest transaction still running (the horizon). Those rows are final:
 * no transaction can still add one, so a cursor never passes an event that commits
 * later. When the page is not full, the cursor jumps to the horizon itself.
 *
 * The page comes back as one JSON array built by PostgreSQL: one field to decode instead
 * of a thousand rows, about four times faster through node-postgres.
 */
export async function readAllRows(q: Queryable, opts: ReadAllOptions): Promise<ReadAllResult> {
  const from = opts.fromPosition ?? START_POSITION;
  const after = decodePosition(from);
  const to = opts.toPosition === undefined ? null : decodePosition(opts.toPosition);
  const maxCount = checkCount(opts.maxCount) ?? DEFAULT_PAGE;
  const [page] = await q.query<Array<{ horizon: string; events: string | null }>>(
    `WITH h AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon),
     page AS (
       SELECT e.* FROM event_store.events e, h
        WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint) AND e.tx_id < h.horizon
          AND ($3::xid8 IS NULL OR (e.tx_id, e.global_position) <= ($3::xid8, $4::bigint))
          AND ($5::text[] IS NULL OR e.type = ANY ($5::text[]))
          AND ($6::text IS NULL OR starts_with(e.stream_id, $6::text))
          AND ($7::timestamptz IS NULL OR e.recorded_at < $7::timestamptz)
        ORDER BY e.tx_id, e.global_position LIMIT $8)
     SELECT (SELECT horizon::text FROM h) AS horizon,
            (SELECT json_agg(json_build_array(${TUPLE_COLUMNS}) ORDER BY p.tx_id, p.global_position) FROM page p)::text AS events`,
    [
      after.major.toString(), after.minor.toString(), to?.major.toString() ?? null, to?.minor.toString() ?? null,
      opts.types ?? null, opts.streamPrefix ?? null, opts.recordedBefore ?? null, maxCount,
    ],
  );
  const events = page.events === null ? [] : (JSON.parse(page.events) as EventTuple[]).map(fromTuple);
  const isEnd = events.length < maxCount;
  const last = events.length > 0 ? events[events.length - 1].globalPosition : from;
  const reached = isEnd ? capAt(encodePosition(page.horizon, 0n), opts.toPosition) : last;
  return { events, nextPosition: maxPosition(from, last, reached), isEnd };
}

function capAt(position: string, bound: string | undefined): string {
  return bound !== undefined && bound < position ? bound : position;
}

function checkCount(maxCount: number | undefined): number | null {
  if (maxCount === undefined) return null;
  if (!Number.isInteger(maxCount) || maxCount < 1) throw new InvalidArgumentError(`maxCount must be a positive integer, got ${maxCount}`);
  return maxCount;
}
