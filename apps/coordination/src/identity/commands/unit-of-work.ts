import type { DataSource, EntityManager } from 'typeorm';
import { toHttpError } from '../http/identity-http.errors';

const ATTEMPTS = 3;

/**
 * One admin command = one transaction. A concurrent writer on either party stream makes
 * the append fail with a retryable error; the whole command then runs again from the read.
 */
export async function inUnitOfWork<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await dataSource.transaction(work);
    } catch (error) {
      const retryable = (error as { retryable?: unknown }).retryable === true;
      if (!retryable || attempt >= ATTEMPTS) throw toHttpError(error);
    }
  }
}
