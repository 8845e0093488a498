import type { EntityManager } from 'typeorm';
import type { TransactionOptions } from '../event-store.port';

/**
 * Where a subscription keeps its named checkpoints. A store backed by PostgreSQL offers
 * a transaction that the projection's read-model writes and the checkpoint share; a
 * store without one (a KurrentDB stream) passes `undefined` and the handler must be
 * idempotent (at-least-once).
 */
export interface CheckpointStore {
  get(name: string): Promise<string | null>;
  compareAndSet(name: string, expected: string | null, next: string, opts?: TransactionOptions): Promise<boolean>;
  inTransaction<T>(work: (manager: EntityManager | undefined) => Promise<T>): Promise<T>;
}
