import type { RecordedEvent } from '@lib/event-store';

/** A recorded event as JSON: 64-bit numbers as strings, times as ISO-8601. */
export interface EventJson {
  position: string;
  streamId: string;
  streamRevision: string;
  eventId: string;
  type: string;
  schemaVersion: number;
  data: unknown;
  metadata: unknown;
  recordedAt: string;
}

export const eventJson = (e: RecordedEvent): EventJson => ({
  position: e.globalPosition,
  streamId: e.streamId,
  streamRevision: e.streamRevision.toString(),
  eventId: e.eventId,
  type: e.type,
  schemaVersion: e.schemaVersion,
  data: e.data,
  metadata: e.metadata,
  recordedAt: e.recordedAt.toISOString(),
});
