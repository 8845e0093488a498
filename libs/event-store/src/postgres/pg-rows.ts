import type { EventMetadata, RecordedEvent } from '../event-store.port';
import type { SealableEvent } from '../integrity/hash-chain';
import { encodePosition } from '../position';

/** Both TypeORM's DataSource and EntityManager; raw SQL only. */
export interface Queryable {
  query<T = unknown>(sql: string, parameters?: unknown[]): Promise<T>;
}

/** 64-bit columns travel as text so no precision is lost on the way to JavaScript. */
export const EVENT_COLUMNS = `
  e.global_position::text AS global_position, e.tx_id::text AS tx_id, e.event_id, e.stream_id,
  e.stream_revision::text AS stream_revision, e.type, e.schema_version, e.data, e.metadata, e.recorded_at`;

/** The exact stored timestamp (microseconds, UTC) for hashing, as well as the Date for reading. */
export const SEALABLE_COLUMNS = `${EVENT_COLUMNS},
  to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS recorded_at_exact`;

export interface EventRow {
  global_position: string;
  tx_id: string;
  event_id: string;
  stream_id: string;
  stream_revision: string;
  type: string;
  schema_version: number;
  data: unknown;
  metadata: EventMetadata;
  recorded_at: Date;
}

export interface SealableRow extends EventRow {
  recorded_at_exact: string;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    eventId: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamRevision: BigInt(row.stream_revision),
    globalPosition: encodePosition(row.tx_id, row.global_position),
    recordedAt: row.recorded_at,
  };
}

export function toSealable(row: SealableRow): SealableEvent {
  return {
    globalPosition: row.global_position,
    txId: row.tx_id,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamRevision: row.stream_revision,
    type: row.type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at_exact,
  };
}
