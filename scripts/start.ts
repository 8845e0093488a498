import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { writeDevCredentialsFile } from './lib/dev-credentials';
import { startEmbeddedPostgres } from './lib/embedded-postgres';
import { serviceNodeArgs } from './lib/service-node-args';

/**
 * `npm start`: the whole system on one machine. Without DATABASE_URL it runs an embedded
 * PostgreSQL kept under .dev/pgdata (`--fresh` resets it); without KAFKA_BROKERS the
 * coordination service reads the subsidiaries' outboxes directly (embedded mode).
 */
const ROOT = resolve(__dirname, '..', '..'); // dist/scripts -> repository root
const SERVICES = [
  { name: 'life', port: 3001 },
  { name: 'pnc', port: 3002 },
  { name: 'group', port: 3003 },
  { name: 'coordination', port: 3000 },
] as const;

async function main(): Promise<void> {
  const fresh = process.argv.includes('--fresh');
  const stops: Array<() => Promise<void>> = [];
  const databaseUrl = process.env.DATABASE_URL ?? (await embeddedDatabase(fresh, stops));
  const children = SERVICES.map((s) => startService(s.name, s.port, databaseUrl));
  const shutdown = once(async () => {
    children.forEach((c) => c.kill('SIGTERM'));
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    process.exit(0);
  });
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  children.forEach((c) => c.once('exit', (code) => code && code !== 0 && (console.error(`a service exited with ${code}`), shutdown())));
  await Promise.all(SERVICES.map((s) => waitHealthy(s.port)));
  const credentials = await writeDevCredentials(databaseUrl);
  printBanner(databaseUrl, credentials);
}

async function embeddedDatabase(fresh: boolean, stops: Array<() => Promise<void>>): Promise<string> {
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const pg = await startEmbeddedPostgres({ dataDir: join(ROOT, '.dev', 'pgdata'), port, fresh });
  stops.push(pg.stop);
  await ensureDatabase(pg.url, 'xsell');
  return pg.url.replace(/\/postgres$/, '/xsell');
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
}

function startService(name: string, port: number, databaseUrl: string): ChildProcess {
  const env = { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, SERVICE_NAME: name };
  const child = spawn(process.execPath, [...serviceNodeArgs(), join(ROOT, 'dist', 'apps', name, 'src', 'main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  return child;
}

async function waitHealthy(port: number, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the service on port ${port} did not become healthy within ${timeoutMs / 1000} s`);
}

async function writeDevCredentials(databaseUrl: string): Promise<string | null> {
  try {
    return await writeDevCredentialsFile(databaseUrl, join(ROOT, '.dev', 'credentials.json'));
  } catch (error) {
    console.error(`could not write development credentials: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

function printBanner(databaseUrl: string, credentialsPath: string | null): void {
  const lines = [
    '',
    'Group cross-sell platform is running',
    ...SERVICES.map((s) => `  ${s.name.padEnd(13)} http://127.0.0.1:${s.port}   docs http://127.0.0.1:${s.port}/docs`),
    `  database      ${databaseUrl.replace(/:[^:@/]+@/, ':***@')}`,
    `  transport     ${process.env.KAFKA_BROKERS ? `Kafka ${process.env.KAFKA_BROKERS}` : 'embedded (PostgreSQL log, no broker)'}`,
    `  credentials   ${credentialsPath ?? '(not written)'}`,
    '  Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

function once(fn: () => Promise<void>): () => void {
  let called = false;
  return () => {
    if (!called) {
      called = true;
      void fn();
    }
  };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
