import type { DataSource, QueryRunner } from 'typeorm';

/**
 * A PostgreSQL session advisory lock held on one dedicated connection. Whoever holds
 * it is the single active relay of an outbox; if the holder's process or connection
 * dies, PostgreSQL releases the lock and a standby instance takes over. All of the
 * holder's queries run on the same connection, so losing the connection is noticed
 * on the next query rather than by a clock.
 */
export class AdvisoryLease {
  private runner: QueryRunner | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly name: string,
  ) {}

  get held(): boolean {
    return this.runner !== null && !this.runner.isReleased;
  }

  /** Takes the lock if it is free; true while this instance holds it. */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    const runner = this.dataSource.createQueryRunner();
    try {
      const [row]: Array<{ ok: boolean }> = await runner.query(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS ok',
        [this.name],
      );
      if (row.ok) {
        this.runner = runner;
        return true;
      }
      await runner.release();
      return false;
    } catch (error) {
      await destroy(runner, error);
      throw error;
    }
  }

  /** Runs a statement on the lock's connection; a failure gives the lease up. */
  async query<T>(sql: string, params: unknown[] = []): Promise<T> {
    const runner = this.runner;
    if (!runner || runner.isReleased) throw new Error(`advisory lease "${this.name}" is not held`);
    try {
      return (await runner.query(sql, params)) as T;
    } catch (error) {
      this.runner = null;
      await destroy(runner, error);
      throw error;
    }
  }

  async release(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (!runner || runner.isReleased) return;
    try {
      await runner.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.name]);
      await runner.release();
    } catch (error) {
      await destroy(runner, error);
    }
  }
}

/**
 * Closes the connection instead of returning it to the pool: a pooled connection that
 * might still hold the session lock would block every other relay forever.
 */
async function destroy(runner: QueryRunner, error: unknown): Promise<void> {
  if (runner.isReleased) return;
  const pgRunner = runner as QueryRunner & { releasePostgresConnection?: (err?: unknown) => Promise<void> };
  const reason = error instanceof Error ? error : new Error(String(error));
  if (pgRunner.releasePostgresConnection) await pgRunner.releasePostgresConnection(reason);
  else await runner.release();
}
