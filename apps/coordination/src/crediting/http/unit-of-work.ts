import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import { EventStoreError, type EventMetadata } from '@lib/event-store';
import type { Principal } from '@lib/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';

const ATTEMPTS = 4;
/** Deadlock and serialization failure: a fresh transaction resolves both. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);

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

function retryable(error: unknown): boolean {
  if (error instanceof EventStoreError) return error.retryable;
  const code = (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

/** One request = one transaction, re-run from the top (re-read, re-decide) when a concurrent writer got in the way. */
@Injectable()
export class CreditingUnitOfWork {
  constructor(private readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (!retryable(error) || attempt >= ATTEMPTS) throw error;
      }
    }
  }
}
