import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../../infrastructure/unit-of-work';
import type { WriteContext } from '../conflicts.ports';

/** Who asked, for the metadata of the events an admin or subsidiary request appends. */
export interface Actor {
  id: string;
  correlationId: string;
}

/** A request's write context: its events share one random request id, qualified per event. */
export function requestContext(manager: EntityManager, actor: Actor, at: string): WriteContext {
  const requestId = randomUUID();
  return {
    manager,
    metadata: { correlationId: actor.correlationId, causationId: null, actor: actor.id, occurredAt: at },
    eventId: (...qualifiers) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, requestId, ...qualifiers),
  };
}

/**
 * One request = one transaction, re-run from the top (re-read, re-decide) when a concurrent
 * writer got in the way; after a few attempts the revision conflict reaches the caller (409).
 */
@Injectable()
export class UnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work, 3);
  }
}
