import { createHash } from 'node:crypto';
import type { EventMetadata, RecordedEvent } from '../event-store.port';
import type { SerializedEvent } from '../append-validation';
import { encodePosition } from '../position';

/** Our own bookkeeping inside KurrentDB metadata; stripped again on read. */
const META_KEY = '__es';
/** Streams the adapter writes for itself (checkpoints); never shown to readers of $all. */
export const INTERNAL_STREAM_PREFIX = '__es-';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** Namespace for ids that are not UUIDs already (KurrentDB event ids must be). */
const EVENT_ID_NAMESPACE = '6f0b7a3c-52a1-4c7e-9a55-2d6e4b1f8c10';

interface StoredMeta {
  schemaVersion: number;
  eventId?: string;
}

/** KurrentDB wants UUID event ids; other ids map deterministically (UUIDv5) so retries still deduplicate. */
export function kurrentEventId(eventId: string): string {
  return UUID.test(eventId) ? eventId.toLowerCase() : uuidV5(eventId, EVENT_ID_NAMESPACE);
}

export interface KurrentEventInput {
  id: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

export function toKurrentEvent(event: SerializedEvent): KurrentEventInput {
  const id = kurrentEventId(event.eventId);
  const metadata = JSON.parse(event.metadata) as EventMetadata;
  const own: StoredMeta = { schemaVersion: event.schemaVersion, ...(id !== event.eventId && { eventId: event.eventId }) };
  return {
    id,
    type: event.type,
    data: JSON.parse(event.data),
    // $correlationId/$causationId feed KurrentDB's own by-correlation projections.
    metadata: {
      ...metadata,
      ...(metadata.correlationId !== undefined && { $correlationId: metadata.correlationId }),
      ...(metadata.causationId != null && { $causationId: metadata.causationId }),
      [META_KEY]: own,
    },
  };
}

export interface KurrentRecorded {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: { commit: bigint; prepare: bigint };
}

export function fromKurrentEvent(event: KurrentRecorded): RecordedEvent {
  const { [META_KEY]: own, $correlationId: _c, $causationId: _k, ...metadata } = (event.metadata ?? {}) as Record<string, unknown>;
  const meta = (own ?? { schemaVersion: 1 }) as StoredMeta;
  return {
    eventId: meta.eventId ?? event.id,
    type: event.type,
    schemaVersion: meta.schemaVersion,
    data: event.data,
    metadata: metadata as EventMetadata,
    streamId: event.streamId,
    streamRevision: event.revision,
    globalPosition: event.position ? encodePosition(event.position.commit, event.position.prepare) : '',
    recordedAt: event.created,
  };
}

export function isUserEvent(event: { streamId: string; type: string }): boolean {
  return !event.type.startsWith('$') && !event.streamId.startsWith('$') && !event.streamId.startsWith(INTERNAL_STREAM_PREFIX);
}

/** RFC 4122 name-based UUID (SHA-1), so the adapter needs no ESM-only dependency. */
export function uuidV5(name: string, namespace: string): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
