import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import type { EventMetadata } from '@lib/event-store';
import type { Principal } from '@lib/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction } from '../../infrastructure/unit-of-work';

/** What one admin or agent request writes with: its metadata and ids unique per request. */
export interface CommandWrite {
  requestId: string;
  metadata: EventMetadata;
  eventId(...qualifiers: string[]): string;
}

/** A request's events share one random request id, qualified per event; the acting user is recorded. */
export function commandWrite(principal: Principal, correlationId: string | undefined, at: Date): CommandWrite {
  const requestId = randomUUID();
  return {
    requestId,
    metadata: { correlationId: correlationId ?? requestId, causationId: null, actor: principal.id, occurredAt: at.toISOString(), source: { kind: 'admin' } },
    eventId: (...qualifiers) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, requestId, ...qualifiers),
  };
}

/** One request = one transaction, re-run from the top (re-read, re-decide) when a concurrent writer got in the way. */
@Injectable()
export class CreditingUnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return inTransaction(this.dataSource, work);
  }
}
