import type { PoolClient } from 'pg';
import { types as pgTypes } from 'pg';
import type { DataSource } from 'typeorm';
import type { EventMetadata, ReadAllOptions, ReadAllResult, ReadStreamOptions, RecordedEvent } from '../event-store.port';
import { InvalidArgumentError } from '../errors';
import { decodePosition, encodePosition, maxPosition, START_POSITION } from '../position';
import { EVENT_COLUMNS, type EventRow, type Queryable, toRecordedEvent } from './pg-rows';

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
 * later. When the page is not full, the cursor jumps to the horizon itself, which is why
 * it comes from the same statement (one snapshot) as the rows: the LEFT JOIN yields one
 * row carrying it even when the page is empty.
 *
 * Plain rows rather than one JSON document per page: PostgreSQL streams them while it turns
 * jsonb into text and Node parses the rows already received, and it spends half the CPU it
 * needed to build the JSON. SQL does not promise the lateral's order through the join, so
 * the page is sorted here (linear on input that is already in order) rather than by a
 * second sort on the server. A named statement skips planning on every page; its generic
 * plan keeps both bounds as index conditions because the upper one is always given (the
 * largest position when the caller has none), never `$3 IS NULL OR ...`.
 */
const READ_ALL_SQL = `
  WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
  SELECT h.horizon, p.tx_id, p.global_position, p.event_id, p.stream_id, p.stream_revision, p.type, p.schema_version,
         p.data, p.metadata, p.recorded_at
    FROM h LEFT JOIN LATERAL (
      SELECT e.tx_id, e.global_position, e.event_id, e.stream_id, e.stream_revision, e.type, e.schema_version,
             e.data, e.metadata, floor(extract(epoch FROM e.recorded_at) * 1000)::bigint AS recorded_at
        FROM event_store.events e
       WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint) AND e.tx_id < h.horizon
         AND (e.tx_id, e.global_position) <= ($3::xid8, $4::bigint)
         AND ($5::text[] IS NULL OR e.type = ANY ($5::text[]))
         AND ($6::text IS NULL OR starts_with(e.stream_id, $6::text))
         AND ($7::timestamptz IS NULL OR e.recorded_at < $7::timestamptz)
       ORDER BY e.tx_id, e.global_position
       LIMIT $8) p ON true`;

/** horizon, then the event; recorded_at in epoch milliseconds (what a Date holds), cheaper to parse than text. */
type ReadAllRow = [string, string | null, string, string, string, string, string, number, unknown, EventMetadata, string];

/** Beyond every position: the largest xid8 and bigint. */
const LAST = { major: (1n << 64n) - 1n, minor: (1n << 63n) - 1n };

const JSONB = pgTypes.builtins.JSONB;
const INT4 = pgTypes.builtins.INT4;
const asText = (value: string): string => value;

/** 64-bit columns (xid8, bigint) stay digit strings: no precision lost on the way. */
const ROW_TYPES = {
  getTypeParser: (oid: number) => (oid === JSONB || oid === INT4 ? pgTypes.getTypeParser(oid) : asText),
};

/** A page of $all on a pooled connection of `dataSource`, as plain rows in array mode. */
export async function readAllRows(dataSource: DataSource, opts: ReadAllOptions): Promise<ReadAllResult> {
  const from = opts.fromPosition ?? START_POSITION;
  const after = decodePosition(from);
  const to = opts.toPosition === undefined ? LAST : decodePosition(opts.toPosition);
  const maxCount = checkCount(opts.maxCount) ?? DEFAULT_PAGE;
  const values = [
    after.major.toString(), after.minor.toString(), to.major.toString(), to.minor.toString(),
    opts.types ?? null, opts.streamPrefix ?? null, opts.recordedBefore ?? null, maxCount,
  ];
  const rows = await queryRows(dataSource, values);
  const events: RecordedEvent[] = [];
  for (const row of rows) if (row[1] !== null) events.push(toEvent(row));
  events.sort(byPosition);
  const isEnd = events.length < maxCount;
  const last = events.length > 0 ? events[events.length - 1].globalPosition : from;
  const reached = isEnd ? capAt(encodePosition(rows[0][0], 0n), opts.toPosition) : last;
  return { events, nextPosition: maxPosition(from, last, reached), isEnd };
}

async function queryRows(dataSource: DataSource, values: unknown[]): Promise<ReadAllRow[]> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    const result = await client.query<ReadAllRow>({ name: 'event_store.read_all.1', text: READ_ALL_SQL, values, rowMode: 'array', types: ROW_TYPES });
    return result.rows;
  } finally {
    await runner.release();
  }
}

function toEvent([, txId, position, eventId, streamId, revision, type, schemaVersion, data, metadata, recordedAt]: ReadAllRow): RecordedEvent {
  return {
    eventId,
    type,
    schemaVersion,
    data,
    metadata,
    streamId,
    streamRevision: BigInt(revision),
    globalPosition: encodePosition(txId!, position),
    recordedAt: new Date(Number(recordedAt)),
  };
}

function byPosition(a: RecordedEvent, b: RecordedEvent): number {
  return a.globalPosition < b.globalPosition ? -1 : a.globalPosition > b.globalPosition ? 1 : 0;
}

function capAt(position: string, bound: string | undefined): string {
  return bound !== undefined && bound < position ? bound : position;
}

function checkCount(maxCount: number | undefined): number | null {
  if (maxCount === undefined) return null;
  if (!Number.isInteger(maxCount) || maxCount < 1) throw new InvalidArgumentError(`maxCount must be a positive integer, got ${maxCount}`);
  return maxCount;
}
