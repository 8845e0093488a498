import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/infra/postgres';
import { dataSourceOptions } from './database';
import { toProblem } from './errors';
import { isTransientDatabaseError } from './transient';

interface PooledClient {
  query(sql: string): Promise<{ rows: Array<Record<string, unknown>> }>;
  listenerCount(event: string): number;
  release(err?: Error | boolean): void;
}

let db: TestDatabase;
let dataSource: DataSource;
let admin: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('platform_db');
  dataSource = await new DataSource(dataSourceOptions({ url: db.url, service: 'pool-test', migrations: [], poolSize: 3 })).initialize();
  admin = await new DataSource({ type: 'postgres', url: db.url, extra: { max: 1 } }).initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await admin?.destroy();
  await db?.drop();
});

const pool = () => (dataSource.driver as unknown as { master: { connect(): Promise<PooledClient> } }).master;
const terminate = (pid: number) => admin.query('SELECT pg_terminate_backend($1)', [pid]);

describe('database pool', () => {
  it('given a client checked out of the pool, when the server terminates its connection, then the process survives and the failure is transient', async () => {
    const client = await pool().connect();
    // pg-pool drops its idle listener on checkout; ours must still be there.
    expect(client.listenerCount('error')).toBeGreaterThan(0);
    const [{ pid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows as Array<{ pid: number }>;

    await terminate(pid);
    // The FATAL arrives as an 'error' event on the idle, checked-out client; with no listener
    // it would be an uncaught exception here. Give the socket time to deliver it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const failure = await client.query('SELECT 1').then(() => null, (error: unknown) => error);
    client.release(true);

    expect(failure).not.toBeNull();
    expect(isTransientDatabaseError(failure)).toBe(true);
  });

  it('given connections terminated under a query runner, when the request fails, then it maps to 503 with a retry hint and the pool reconnects by itself', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
    const failure = await Promise.all([runner.query('SELECT pg_sleep(5)'), terminate(pid)]).then(() => null, (error: unknown) => error);
    await runner.release().catch(() => undefined);

    expect(isTransientDatabaseError(failure)).toBe(true);
    expect(toProblem(failure)).toMatchObject({ status: 503, code: 'TEMPORARILY_UNAVAILABLE', retryAfter: 1 });
    // The socket's end reaches the pool a moment after the failed query; then it discards the client.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [{ ok }] = await dataSource.query('SELECT 1 AS ok');
    expect(ok).toBe(1);
  });

  it('given an error that is not transient (a constraint violation), then it is not classified as transient', async () => {
    const failure = await dataSource.query('SELECT 1/0').then(() => null, (error: unknown) => error);
    expect(isTransientDatabaseError(failure)).toBe(false);
    expect(toProblem(failure)).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
  });
});

describe('prepared statements', () => {
  const prepared = async (runner: { query(sql: string): Promise<Array<{ name: string; statement: string }>> }) =>
    runner.query("SELECT name, statement FROM pg_prepared_statements WHERE name LIKE 'x\\_%'");

  it('given a parameterised statement run twice on a connection, then it is prepared once under its digest name and answers as before', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      const text = 'SELECT $1::int + $2::int AS sum, $3::text AS label';
      expect(await runner.query(text, [1, 2, 'a'])).toEqual([{ sum: 3, label: 'a' }]);
      expect(await runner.query(text, [40, 2, 'b'])).toEqual([{ sum: 42, label: 'b' }]);
      await runner.query('SELECT 1 AS unnamed');
      const statements = await prepared(runner);
      expect(statements.filter((s) => s.statement === text)).toHaveLength(1);
      expect(statements[0].name).toMatch(/^x_[0-9a-f]{24}$/);
      expect(statements.some((s) => s.statement.includes('unnamed'))).toBe(false);
    } finally {
      await runner.release();
    }
  });

  it('given a prepared statement that fails inside a transaction, then the error is the same, the rollback is clean and the statement runs again', async () => {
    await dataSource.query('CREATE TABLE IF NOT EXISTS prepared_probe (id int PRIMARY KEY)');
    const insert = 'INSERT INTO prepared_probe (id) VALUES ($1)';
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query(insert, [1]);
      await runner.startTransaction();
      await runner.query(insert, [2]);
      const failure = await runner.query(insert, [1]).then(() => null, (error: { code?: string }) => error);
      expect(failure?.code).toBe('23505');
      await runner.rollbackTransaction();
      await runner.query(insert, [3]);
      expect(await runner.query('SELECT id FROM prepared_probe ORDER BY id')).toEqual([{ id: 1 }, { id: 3 }]);
    } finally {
      await runner.release();
      await dataSource.query('DROP TABLE prepared_probe');
    }
  });

  it('given DATABASE_PREPARED_STATEMENTS off, then nothing is prepared', async () => {
    const plain = await new DataSource(dataSourceOptions({ url: db.url, service: 'plain-test', migrations: [], poolSize: 1, preparedStatements: false })).initialize();
    try {
      await plain.query('SELECT $1::int AS one', [1]);
      await plain.query('SELECT $1::int AS one', [1]);
      expect(await prepared(plain)).toEqual([]);
    } finally {
      await plain.destroy();
    }
  });
});

describe('pipelined connections', () => {
  it('given the default options, then pooled connections are pipelined, and with DATABASE_PIPELINE off they are not', async () => {
    const client = await pool().connect();
    const pipelined = (client as unknown as { pipeline: boolean }).pipeline;
    client.release();
    const plain = await new DataSource(dataSourceOptions({ url: db.url, service: 'unpiped-test', migrations: [], poolSize: 1, pipeline: false })).initialize();
    try {
      const other = await (plain.driver as unknown as { master: { connect(): Promise<PooledClient & { pipeline: boolean }> } }).master.connect();
      expect([pipelined, other.pipeline]).toEqual([true, false]);
      other.release();
    } finally {
      await plain.destroy();
    }
  });

  it('given independent statements issued together in a transaction, then each gets its own result, in the order sent, and a later one sees an earlier one\'s write', async () => {
    await dataSource.query('CREATE TABLE pipe_probe (id int PRIMARY KEY)');
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      const [, inserted, seen, sum] = await Promise.all([
        runner.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['pipe']),
        runner.query('INSERT INTO pipe_probe (id) VALUES ($1), ($2) RETURNING id', [1, 2]),
        runner.query('SELECT count(*)::int AS n FROM pipe_probe'),
        runner.query('SELECT $1::int + $2::int AS s', [40, 2]),
      ]);
      await runner.commitTransaction();
      expect(inserted).toEqual([{ id: 1 }, { id: 2 }]);
      expect(seen).toEqual([{ n: 2 }]);
      expect(sum).toEqual([{ s: 42 }]);
    } finally {
      await runner.release();
      await dataSource.query('DROP TABLE pipe_probe');
    }
  });

  it('given a failing statement among statements issued together, then the failure surfaces first, the rest fail with the aborted transaction, and a rollback to savepoint undoes them all and the connection goes on', async () => {
    await dataSource.query('CREATE TABLE pipe_fail (id int PRIMARY KEY)');
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('INSERT INTO pipe_fail (id) VALUES (1)');
      await runner.query('SAVEPOINT s');
      const failures: Array<{ code?: string }> = [];
      const first = await Promise.all([
        runner.query('INSERT INTO pipe_fail (id) VALUES ($1)', [2]).catch((e: { code?: string }) => { failures.push(e); throw e; }),
        runner.query('INSERT INTO pipe_fail (id) VALUES ($1)', [1]).catch((e: { code?: string }) => { failures.push(e); throw e; }),
        runner.query('INSERT INTO pipe_fail (id) VALUES ($1)', [3]).catch((e: { code?: string }) => { failures.push(e); throw e; }),
      ]).then(() => null, (error: { code?: string }) => error);
      await runner.query('ROLLBACK TO SAVEPOINT s');
      await runner.query('INSERT INTO pipe_fail (id) VALUES ($1)', [4]);
      await runner.commitTransaction();
      expect(first?.code).toBe('23505');
      expect(failures.map((f) => f.code)).toEqual(['23505', '25P02']);
      expect(await dataSource.query('SELECT id FROM pipe_fail ORDER BY id')).toEqual([{ id: 1 }, { id: 4 }]);
    } finally {
      await runner.release();
      await dataSource.query('DROP TABLE pipe_fail');
    }
  });
});
