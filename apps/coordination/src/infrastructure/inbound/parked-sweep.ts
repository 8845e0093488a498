import { isPoison, recordDeadLetter, type DeadLetterPolicy, type MessagingLog } from '@lib/messaging';
import type { DataSource } from 'typeorm';
import { COORDINATION_SCHEMA } from '../tokens';
import type { InboundRouter } from './inbound-router';
import { takeDueParked } from './inbound.store';

export interface SweepOutcome {
  /** Parked events whose retry was due and were dispatched again. */
  retried: number;
  /** Of those, the ones a poison error sent to the dead letters. */
  deadLettered: number;
}

export interface ParkedSweepOptions {
  dataSource: DataSource;
  router: InboundRouter;
  groupId: string;
  dlq: DeadLetterPolicy;
  batchSize?: number;
  log: MessagingLog;
}

/**
 * Retries parked events whose `retry_at` has come. The event that provides a key normally
 * replays what waits for it, but with partitions handled concurrently it can commit while
 * the waiting event is still being parked in another transaction (neither sees the other):
 * the sweep completes those. An event still missing its fact is parked again with the next
 * backoff; a poison one is dead-lettered like any message; a transient error rolls the sweep
 * back and its rows wait for the next tick. Several instances share the work (SKIP LOCKED).
 */
export async function sweepParked(options: ParkedSweepOptions): Promise<SweepOutcome> {
  const { dataSource, router, groupId, dlq } = options;
  return dataSource.transaction(async (manager) => {
    const outcome: SweepOutcome = { retried: 0, deadLettered: 0 };
    for (const { event, source, attempts } of await takeDueParked(manager, options.batchSize ?? 200)) {
      outcome.retried += 1;
      try {
        await router.dispatch(event, source, manager, 0, attempts + 1);
      } catch (error) {
        if (!isPoison(error)) throw error;
        outcome.deadLettered += 1;
        const message = {
          topic: source.topic, partition: source.partition, offset: source.offset, key: null,
          value: JSON.stringify(event), headers: {}, timestamp: String(Date.parse(event.occurredAt) || Date.now()),
        };
        await recordDeadLetter(manager, COORDINATION_SCHEMA, { groupId, message, reason: error.reason, code: error.code, sourceSchema: null }, dlq);
        options.log('warn', 'parked event dead-lettered on retry', { eventId: event.eventId, code: error.code });
      }
    }
    return outcome;
  });
}

/** Runs sweepParked every `intervalMs` until stopped; a failed sweep is logged and retried next tick. */
export function startParkedSweep(options: ParkedSweepOptions & { intervalMs: number }): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const tick = () => {
    running = sweepParked(options)
      .then((o) => o.retried > 0 && options.log('debug', 'parked-event sweep', { ...o }))
      .catch((error) => options.log('warn', 'parked-event sweep failed; retrying next tick', { error: (error as Error).message }))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs);
      });
  };
  timer = setTimeout(tick, options.intervalMs);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}
