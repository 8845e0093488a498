/**
 * Writes docs/openapi/<service>.json for the four services, exactly as each serves it at
 * /docs/openapi.json (built by openApiDocument in @lib/platform's createService), with the
 * apiKey and bearer security schemes.
 *
 *   npm run docs:openapi            # (re)write the files
 *   npm run docs:openapi -- --check # exit 1 if a committed file is stale (CI)
 *
 * Each app is built but never listens and starts no transport (no KAFKA_BROKERS, inbound,
 * projections and scheduler off); building one runs its migrations, so it needs a
 * database: DATABASE_URL, else a throwaway embedded PostgreSQL.
 */
import 'reflect-metadata';
import { createService, type ServiceApp } from '@lib/platform';
import { createSubsidiaryApp } from '@lib/subsidiary-gateway';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CoordinationAppModule } from '../apps/coordination/src/app.module';
import { loadCoordinationConfig } from '../apps/coordination/src/config';
import { startEmbeddedPostgres } from './lib/embedded-postgres';

const ROOT = resolve(__dirname, '..', '..'); // dist/scripts -> repository root
const SERVICES = ['coordination', 'life', 'pnc', 'group'] as const;
type Service = (typeof SERVICES)[number];
const DOCUMENT_PATH = '/docs/openapi.json';

function quietEnv(databaseUrl: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' };
  delete env.KAFKA_BROKERS;
  Object.assign(process.env, { INBOUND_DISABLED: '1', PROJECTIONS_DISABLED: '1', SCHEDULER_DISABLED: '1' });
  delete process.env.KAFKA_BROKERS;
  return env;
}

async function build(service: Service, env: NodeJS.ProcessEnv): Promise<ServiceApp> {
  if (service === 'coordination') {
    return createService(CoordinationAppModule.forRoot(loadCoordinationConfig(env)), {
      title: 'Group coordination service',
      description: 'Unified 360° client view, dual-side KPI credit, channel-conflict resolution, admin and audit APIs.',
      logger: false,
    });
  }
  return (await createSubsidiaryApp(service, { cataloguePath: join(ROOT, 'apps', service, 'catalogue.json'), env, logger: false })).app;
}

/**
 * The document the app serves, asked of its own HTTP server in-process (Fastify's inject,
 * no socket): the same bytes a client of /docs/openapi.json gets.
 */
async function servedDocument(app: ServiceApp): Promise<unknown> {
  const res = await app.inject({ method: 'GET', url: DOCUMENT_PATH });
  if (res.statusCode !== 200) throw new Error(`${DOCUMENT_PATH} answered ${res.statusCode}: was the app built with createService?`);
  return res.json();
}

async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return work(process.env.DATABASE_URL);
  const pg = await startEmbeddedPostgres({ dataDir: join(mkdtempSync(join(tmpdir(), 'xsell-openapi-')), 'data'), port: await freePort(), persistent: false });
  try {
    return await work(pg.url);
  } finally {
    await pg.stop();
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const stale: string[] = [];
  await withDatabase(async (url) => {
    const env = quietEnv(url);
    for (const service of SERVICES) {
      const app = await build(service, env);
      try {
        const text = `${JSON.stringify(await servedDocument(app), null, 2)}\n`;
        const target = join(ROOT, 'docs', 'openapi', `${service}.json`);
        if (check) {
          if (!existsSync(target) || readFileSync(target, 'utf8') !== text) stale.push(target);
        } else {
          mkdirSync(join(ROOT, 'docs', 'openapi'), { recursive: true });
          writeFileSync(target, text);
          process.stdout.write(`wrote ${target} (${Buffer.byteLength(text)} bytes)\n`);
        }
      } finally {
        await app.close();
      }
    }
  });
  if (stale.length > 0) process.stderr.write(`out of date, run npm run docs:openapi:\n  ${stale.join('\n  ')}\n`);
  return stale.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`docs:openapi failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
