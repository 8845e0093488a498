import type { EventStore, ReadAllOptions, RecordedEvent } from '../event-store.port';
import { START_POSITION } from '../position';

/**
 * Pages through $all until `count` events matched or the deadline passes. readAll only
 * shows events below the commit horizon, and any open transaction in the cluster holds
 * the horizon back, so tests poll instead of expecting an append to be readable at once.
 */
export async function readAllUntil(store: EventStore, opts: ReadAllOptions, count: number, timeoutMs = 90_000): Promise<RecordedEvent[]> {
  const deadline = Date.now() + timeoutMs;
  const events: RecordedEvent[] = [];
  let position = opts.fromPosition ?? START_POSITION;
  while (events.length < count) {
    const page = await store.readAll({ ...opts, fromPosition: position });
    events.push(...page.events);
    position = page.nextPosition;
    if (page.isEnd && events.length < count) {
      if (Date.now() > deadline) throw new Error(`readAll found ${events.length} of ${count} events within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return events;
}
