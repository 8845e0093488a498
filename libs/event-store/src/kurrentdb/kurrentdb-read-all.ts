import { FORWARDS, START, eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { ReadAllOptions, ReadAllResult, RecordedEvent } from '../event-store.port';
import { decodePosition, START_POSITION } from '../position';
import { escapeRegex, fromKurrentEvent, isUserEvent, type KurrentRecorded } from './kurrentdb-mapping';

const DEFAULT_PAGE = 1000;

/**
 * A page of $all with the port's semantics: `fromPosition` is exclusive (KurrentDB's is
 * inclusive), system and adapter-internal events are hidden, and filters the server
 * cannot combine are applied here. KurrentDB's log is already gap-free in commit order.
 */
export async function readAllPage(client: KurrentDBClient, opts: ReadAllOptions): Promise<ReadAllResult> {
  const from = opts.fromPosition ?? START_POSITION;
  const maxCount = opts.maxCount ?? DEFAULT_PAGE;
  const events: RecordedEvent[] = [];
  let cursor = from;
  for (;;) {
    const scanned = await scan(client, cursor, maxCount, opts);
    for (const event of scanned.events) if (events.length < maxCount && matches(event, opts)) events.push(event);
    const last = events.length === maxCount ? events[events.length - 1].globalPosition : scanned.last;
    const ended = scanned.count < maxCount || passed(scanned.last, opts.toPosition);
    if (events.length === maxCount || ended) return { events, nextPosition: cap(last ?? cursor, opts.toPosition), isEnd: ended && events.length < maxCount };
    cursor = scanned.last ?? cursor;
  }
}

interface Scan {
  events: RecordedEvent[];
  count: number;
  last: string | undefined;
}

async function scan(client: KurrentDBClient, after: string, maxCount: number, opts: ReadAllOptions): Promise<Scan> {
  const { major, minor } = decodePosition(after);
  const fromPosition = after === START_POSITION ? START : { commit: major, prepare: minor };
  // One more than asked: an inclusive start returns the event at `after` again.
  const read = client.readAll({ direction: FORWARDS, fromPosition, maxCount: maxCount + 1, filter: serverFilter(opts) });
  const events: RecordedEvent[] = [];
  let count = 0;
  let last: string | undefined;
  for await (const resolved of read) {
    if (!resolved.event) continue;
    const event = fromKurrentEvent(resolved.event as KurrentRecorded);
    if (event.globalPosition <= after) continue;
    count += 1;
    last = event.globalPosition;
    if (isUserEvent(event)) events.push(event);
  }
  return { events, count, last };
}

function serverFilter(opts: ReadAllOptions): Filter {
  if (opts.types?.length) return eventTypeFilter({ regex: `^(?:${opts.types.map(escapeRegex).join('|')})$` });
  if (opts.streamPrefix) return streamNameFilter({ prefixes: [opts.streamPrefix] });
  return excludeSystemEvents();
}

function matches(event: RecordedEvent, opts: ReadAllOptions): boolean {
  if (opts.types?.length && !opts.types.includes(event.type)) return false;
  if (opts.streamPrefix && !event.streamId.startsWith(opts.streamPrefix)) return false;
  if (opts.toPosition !== undefined && event.globalPosition > opts.toPosition) return false;
  return !(opts.recordedBefore && event.recordedAt >= opts.recordedBefore);
}

function passed(position: string | undefined, bound: string | undefined): boolean {
  return position !== undefined && bound !== undefined && position > bound;
}

function cap(position: string, bound: string | undefined): string {
  return bound !== undefined && position > bound ? bound : position;
}
