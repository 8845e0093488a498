import { ConcurrentAppendError, type EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { dailyStream } from '../audit/access/access-events';
import { CLOCK, EVENT_STORE, type Clock } from '../infrastructure/tokens';

/** Admin actions go to one stream per UTC day: `admin-actions-<yyyy-mm-dd>`. */
export const ADMIN_ACTIONS_STREAM_PREFIX = 'admin-actions-';

/** What an admin did; `by` and `at` are added when it is recorded. Never a secret (no API key). */
export type AdminAction =
  | { type: 'ApiKeyCreated'; data: { id: string; name: string; role: string; subsidiary: string | null } }
  | { type: 'ApiKeyRevoked'; data: { id: string; name: string; role: string } }
  | { type: 'DeadLetterRetried'; data: DeadLetterRef }
  | { type: 'DeadLetterDiscarded'; data: DeadLetterRef & { reason: string } }
  | { type: 'ProjectionRebuilt'; data: ProjectionOutcome }
  | { type: 'ProjectionSwapped'; data: ProjectionOutcome };

export interface DeadLetterRef {
  id: string;
  topic: string;
  partition: number;
  offset: string;
}

export interface ProjectionOutcome {
  projection: string;
  position: string;
  equal: boolean;
  liveChecksum: string;
  rebuiltChecksum: string;
}

/** Who acts: the principal's id, and the request's correlation id for the metadata. */
export interface Actor {
  id: string;
  correlationId?: string;
}

/**
 * Records admin actions as events in the caller's transaction, so the change and its
 * record commit together or not at all.
 */
@Injectable()
export class AdminActionRecorder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async record(manager: EntityManager, actor: Actor, action: AdminAction): Promise<void> {
    const at = this.clock.now();
    await this.store.append(
      dailyStream(ADMIN_ACTIONS_STREAM_PREFIX, at),
      [{
        eventId: randomUUID(),
        type: action.type,
        data: { ...action.data, by: actor.id, at: at.toISOString() },
        metadata: { actor: actor.id, correlationId: actor.correlationId },
      }],
      'any',
      { manager },
    );
  }
}

/**
 * Runs `work` in a transaction, retried when the append meets a concurrent writer of the
 * same daily stream (the event store asks the older transaction to start over).
 */
export async function inActionTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (!(error instanceof ConcurrentAppendError) || attempt >= attempts) throw error;
    }
  }
}
