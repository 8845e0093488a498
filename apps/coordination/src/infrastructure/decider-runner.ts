import type { EventMetadata, EventStore, RecordedEvent } from '@lib/event-store';
import type { EntityManager } from 'typeorm';

export interface DomainEvent {
  type: string;
  data: unknown;
}

export interface Decider<C, E extends DomainEvent, S> {
  decide(command: C, state: S): readonly E[];
  evolve(state: S, event: E): S;
  initialState(): S;
}

export interface ExecuteOptions<E extends DomainEvent> {
  manager: EntityManager;
  metadata: EventMetadata;
  /** Deterministic event id for the i-th event the command produced. */
  eventId: (event: E, index: number) => string;
  /**
   * The stream cannot exist yet (its id was just derived from the event being handled, which
   * is handled once): decide from the initial state without reading it. The append still
   * expects no stream, so a wrong claim fails instead of forking the stream.
   */
  newStream?: boolean;
}

/** Folds a stream's recorded events into state. */
export function fold<E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'evolve' | 'initialState'>, events: RecordedEvent[]): S {
  return events.reduce((state, e) => decider.evolve(state, { type: e.type, data: e.data } as E), decider.initialState());
}

/**
 * One command against one stream: read, fold, decide, append with the revision read.
 * Runs in the caller's transaction, so a concurrent writer's conflict aborts the whole
 * unit of work and it is retried from the top (the inbound batch, or the admin request).
 */
export async function execute<C, E extends DomainEvent, S>(
  store: EventStore,
  streamId: string,
  decider: Decider<C, E, S>,
  command: C,
  options: ExecuteOptions<E>,
): Promise<{ events: readonly E[]; state: S }> {
  const recorded = options.newStream ? [] : await store.readStream(streamId, { manager: options.manager });
  const state = fold(decider, recorded);
  const events = decider.decide(command, state);
  if (events.length === 0) return { events, state };
  const expected = recorded.length === 0 ? 'no_stream' : recorded[recorded.length - 1].streamRevision;
  await store.append(
    streamId,
    events.map((event, index) => ({ eventId: options.eventId(event, index), type: event.type, data: event.data, metadata: options.metadata })),
    expected,
    { manager: options.manager },
  );
  return { events, state: events.reduce(decider.evolve, state) };
}
