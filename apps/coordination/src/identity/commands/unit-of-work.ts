import type { DataSource, EntityManager } from 'typeorm';
import { inTransaction } from '../../infrastructure/unit-of-work';
import { toHttpError } from '../http/identity-http.errors';

/** One admin command = one transaction, retried when a concurrent writer touched either party stream. */
export async function inUnitOfWork<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await inTransaction(dataSource, work, 3);
  } catch (error) {
    throw toHttpError(error);
  }
}
