import { EventStoreError } from '@lib/event-store';
import type { DataSource, EntityManager } from 'typeorm';

/** Deadlock and serialization failure: a fresh transaction resolves both. */
const RETRYABLE_SQLSTATES = new Set(['40P01', '40001']);

export function isRetryable(error: unknown): boolean {
  if (error instanceof EventStoreError) return error.retryable;
  if ((error as { retryable?: unknown })?.retryable === true) return true;
  const code = (error as { driverError?: { code?: string }; code?: string })?.driverError?.code ?? (error as { code?: string })?.code;
  return typeof code === 'string' && RETRYABLE_SQLSTATES.has(code);
}

/**
 * One command = one transaction, re-run from the top (re-read, re-decide) when a concurrent
 * writer got in the way; after a few attempts the conflict reaches the caller (409).
 */
export async function inTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      if (!isRetryable(error) || attempt >= attempts) throw error;
    }
  }
}
