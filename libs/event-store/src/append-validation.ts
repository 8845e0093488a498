import type { ExpectedRevision, NewEvent, StreamAppend } from './event-store.port';
import { InvalidAppendError } from './errors';
import { isValidExpected } from './expected-revision';

const MAX_ID_LENGTH = 200;

/** An event as an adapter writes it: defaults applied, data and metadata serialised once. */
export interface SerializedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

/** Checks a whole batch before any I/O, so a bad request never reaches the database. */
export function prepareBatch(batch: StreamAppend[]): SerializedEvent[][] {
  if (batch.length === 0) throw new InvalidAppendError('appendMany needs at least one stream');
  const seen = new Set<string>();
  return batch.map(({ streamId, events, expected }) => prepareAppend(streamId, events, expected ?? 'any', seen));
}

export function prepareAppend(streamId: string, events: NewEvent[], expected: ExpectedRevision, seen = new Set<string>()): SerializedEvent[] {
  checkId('streamId', streamId);
  if (!isValidExpected(expected)) throw new InvalidAppendError(`stream "${streamId}": invalid expected revision ${String(expected)}`);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppendError(`stream "${streamId}": nothing to append`);
  return events.map((event) => {
    checkId('eventId', event.eventId);
    if (seen.has(event.eventId)) throw new InvalidAppendError(`eventId "${event.eventId}" appears twice in one append`);
    seen.add(event.eventId);
    return serialize(event);
  });
}

function serialize(event: NewEvent): SerializedEvent {
  checkId('type', event.type);
  const schemaVersion = event.schemaVersion ?? 1;
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > 32767) {
    throw new InvalidAppendError(`event "${event.eventId}": schemaVersion must be an integer from 1, got ${schemaVersion}`);
  }
  return { eventId: event.eventId, type: event.type, schemaVersion, data: json(event, 'data', event.data), metadata: json(event, 'metadata', event.metadata ?? {}) };
}

function json(event: NewEvent, field: string, value: unknown): string {
  const text = value === undefined ? undefined : JSON.stringify(value);
  if (text === undefined) throw new InvalidAppendError(`event "${event.eventId}": ${field} has no JSON representation`);
  // PostgreSQL jsonb cannot hold U+0000; refuse it on every adapter so the contract is one.
  if (text.includes('\\u0000')) throw new InvalidAppendError(`event "${event.eventId}": ${field} contains the character U+0000`);
  if (field === 'metadata' && !text.startsWith('{')) throw new InvalidAppendError(`event "${event.eventId}": metadata must be an object`);
  return text;
}

function checkId(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH || value.includes('\u0000')) {
    throw new InvalidAppendError(`${field} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
}
