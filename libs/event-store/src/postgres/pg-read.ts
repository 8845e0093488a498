import type { PoolClient, QueryConfig } from 'pg';
import { Query, types as pgTypes } from 'pg';
import type { DataSource } from 'typeorm';
import type { EventMetadata, ReadAllOptions, ReadAllResult, ReadStreamOptions, RecordedEvent, StreamHead } from '../event-store.port';
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

/** The newest event's id and revision by the (stream_id, stream_revision) key; its data is not read. */
export async function readStreamHead(q: Queryable, streamId: string): Promise<StreamHead | null> {
  const [row] = await q.query<Array<{ event_id: string; stream_revision: string }>>(
    `SELECT e.event_id, e.stream_revision::text AS stream_revision FROM event_store.events e
      WHERE e.stream_id = $1 ORDER BY e.stream_revision DESC LIMIT 1`,
    [streamId],
  );
  return row ? { eventId: row.event_id, streamRevision: BigInt(row.stream_revision) } : null;
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
 * it comes from the same statement (one snapshot) as the rows: one extra row carries it
 * (tx_id NULL), so it is neither repeated on every event row nor lost on an empty page.
 *
 * Plain rows rather than one JSON document per page: PostgreSQL streams them while it turns
 * jsonb into text, and each row becomes its event as it arrives (a `row` listener, no
 * result array kept), so the client's work overlaps the server's and only the events
 * outlive the page. SQL does not promise the order of UNION ALL branches, so the order is
 * checked here as the rows arrive and the page sorted only if one came out of order, rather
 * than by a second sort on the server. A named statement skips planning on every page; its generic plan keeps both
 * bounds and the horizon as index conditions because the upper bound is always given (the
 * largest position when the caller has none), never `$3 IS NULL OR ...`.
 */
const READ_ALL_SQL = `
  WITH h AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
  SELECT NULL::text, h.horizon::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::jsonb, NULL::jsonb, NULL::bigint
    FROM h
  UNION ALL
  (SELECT e.tx_id::text, e.global_position::text, e.event_id, e.stream_id, e.stream_revision::text, e.type, e.schema_version,
          e.data, e.metadata, floor(extract(epoch FROM e.recorded_at) * 1000)::bigint
     FROM event_store.events e
    WHERE (e.tx_id, e.global_position) > ($1::xid8, $2::bigint) AND e.tx_id < (SELECT h.horizon FROM h)
      AND (e.tx_id, e.global_position) <= ($3::xid8, $4::bigint)
      AND ($5::text[] IS NULL OR e.type = ANY ($5::text[]))
      AND ($6::text IS NULL OR starts_with(e.stream_id, $6::text))
      AND ($7::timestamptz IS NULL OR e.recorded_at < $7::timestamptz)
    ORDER BY e.tx_id, e.global_position
    LIMIT $8)`;

/**
 * An event row: tx_id, global_position, event_id, stream_id, stream_revision, type, schema_version,
 * data, metadata, recorded_at in epoch milliseconds (what a Date holds, cheaper to parse than text).
 * The horizon row has tx_id NULL and the horizon in the second column. (Padding the position
 * on the server instead costs it about what it saves here, and the server is the shared one.)
 */
type ReadAllRow = [string | null, string, string, string, string, string, number, unknown, EventMetadata, string];

/** Beyond every position: the largest xid8 and bigint. */
const LAST = { major: (1n << 64n) - 1n, minor: (1n << 63n) - 1n };

const JSONB = pgTypes.builtins.JSONB;
const INT4 = pgTypes.builtins.INT4;
const asText = (value: string): string => value;

/** 64-bit columns (xid8, bigint) stay digit strings: no precision lost on the way. */
const ROW_TYPES = {
  getTypeParser: (oid: number) => (oid === JSONB || oid === INT4 ? pgTypes.getTypeParser(oid) : asText),
};

/** A page of $all on a pooled connection of `dataSource`. */
export async function readAllRows(dataSource: DataSource, opts: ReadAllOptions): Promise<ReadAllResult> {
  const from = opts.fromPosition ?? START_POSITION;
  const after = decodePosition(from);
  const to = opts.toPosition === undefined ? LAST : decodePosition(opts.toPosition);
  const maxCount = checkCount(opts.maxCount) ?? DEFAULT_PAGE;
  const values = [
    after.major.toString(), after.minor.toString(), to.major.toString(), to.minor.toString(),
    opts.types ?? null, opts.streamPrefix ?? null, opts.recordedBefore ?? null, maxCount,
  ];
  const { events, horizon, ordered } = await queryPage(dataSource, values);
  if (!ordered) events.sort(byPosition);
  const isEnd = events.length < maxCount;
  const last = events.length > 0 ? events[events.length - 1].globalPosition : from;
  const reached = isEnd ? capAt(encodePosition(horizon, 0n), opts.toPosition) : last;
  return { events, nextPosition: maxPosition(from, last, reached), isEnd };
}

interface Page {
  events: RecordedEvent[];
  horizon: string;
  /** The rows came in position order (they do in practice): no sort needed. */
  ordered: boolean;
}

async function queryPage(dataSource: DataSource, values: unknown[]): Promise<Page> {
  const runner = dataSource.createQueryRunner();
  try {
    const client = (await runner.connect()) as PoolClient;
    return await new Promise<Page>((resolve, reject) => {
      const events: RecordedEvent[] = [];
      let horizon: string | undefined;
      let ordered = true;
      let previous = '';
      let failed: unknown;
      const query = new Query<ReadAllRow>({ name: 'event_store.read_all.2', text: READ_ALL_SQL, values, rowMode: 'array', types: ROW_TYPES } as QueryConfig);
      // Without a callback pg keeps no rows: each becomes its event here, as it arrives.
      query.on('row', (row: ReadAllRow) => {
        try {
          if (row[0] === null) {
            horizon = row[1];
          } else {
            const event = toEvent(row);
            if (event.globalPosition <= previous) ordered = false;
            previous = event.globalPosition;
            events.push(event);
          }
        } catch (error) {
          failed ??= error;
        }
      });
      query.on('error', reject);
      query.on('end', () => {
        if (failed !== undefined) reject(failed);
        else if (horizon === undefined) reject(new Error('readAll: the horizon row is missing'));
        else resolve({ events, horizon, ordered });
      });
      void client.query(query);
    });
  } finally {
    await runner.release();
  }
}

function toEvent(row: ReadAllRow): RecordedEvent {
  return {
    eventId: row[2],
    type: row[5],
    schemaVersion: row[6],
    data: row[7],
    metadata: row[8],
    streamId: row[3],
    streamRevision: BigInt(row[4]),
    globalPosition: encodePosition(row[0]!, row[1]),
    recordedAt: new Date(Number(row[9])),
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
