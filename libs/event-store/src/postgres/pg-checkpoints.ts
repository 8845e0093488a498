import type { DataSource, EntityManager } from 'typeorm';
import type { TransactionOptions } from '../event-store.port';
import { InvalidArgumentError } from '../errors';
import type { CheckpointStore } from '../subscription/checkpoint-store';

/**
 * Named checkpoints in event_store.checkpoints. compareAndSet is a single conditional
 * statement, so two instances of one projection cannot both advance from the same value;
 * run it with the projection's manager to commit read model and checkpoint together.
 */
export class PostgresCheckpointStore implements CheckpointStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(name: string): Promise<string | null> {
    const rows = await this.dataSource.query<Array<{ position: string }>>(
      `SELECT position FROM event_store.checkpoints WHERE name = $1`,
      [name],
    );
    return rows[0]?.position ?? null;
  }

  async compareAndSet(name: string, expected: string | null, next: string, opts?: TransactionOptions): Promise<boolean> {
    if (!name) throw new InvalidArgumentError('checkpoint name must not be empty');
    const q = opts?.manager ?? this.dataSource;
    const rows = await q.query<unknown[]>(
      expected === null
        ? `INSERT INTO event_store.checkpoints (name, position) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING name`
        : // TypeORM reshapes an UPDATE's result; wrapped in a SELECT it stays a row list.
          `WITH moved AS (UPDATE event_store.checkpoints SET position = $2, updated_at = statement_timestamp()
                           WHERE name = $1 AND position = $3 RETURNING name)
           SELECT name FROM moved`,
      expected === null ? [name, next] : [name, next, expected],
    );
    return rows.length === 1;
  }

  inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
