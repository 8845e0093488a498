import { ApiKeyStore, authMigrations, AuthModule, createService, ProblemDetailsFilter, Public, Roles, ROLES, type Role } from '@lib/platform';
import { Controller, Get, Module, Post } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import supertest from 'supertest';
import { CoordinationAppModule } from '../../apps/coordination/src/app.module';
import { loadCoordinationConfig } from '../../apps/coordination/src/config';
import { createTestDatabase, type TestDatabase } from '../infra/postgres';
import { assertEveryRouteIsGuarded, checkRoutes, listRoutes } from './route-guard';

/**
 * Every route of the coordination service as composed for production, checked against
 * every role: no credentials 401, roles a route does not list 403, auditors 403 on every
 * write, listed roles let through. The route list is read from the HTTP router, so a new
 * route is checked the day it is added. The subsidiary services can run the same check:
 * `assertEveryRouteIsGuarded(app, keysOfOwnSubsidiaryAndGroupRoles)`.
 */
jest.setTimeout(180_000);

let db: TestDatabase;
let app: NestFastifyApplication;
const keys = {} as Record<Role, string>;

beforeAll(async () => {
  db = await createTestDatabase('routes');
  // Routes only: no consumers, no projections, no scheduled tasks.
  process.env.INBOUND_DISABLED = '1';
  process.env.PROJECTIONS_DISABLED = '1';
  process.env.SCHEDULER_DISABLED = '1';
  const config = loadCoordinationConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' });
  app = await createService(CoordinationAppModule.forRoot(config), { title: 'coordination', description: 'route guard check' });
  await app.init();
  for (const role of ROLES) keys[role] = (await app.get(ApiKeyStore).create({ name: `routes ${role}`, role, createdBy: 'routes-e2e' })).key;
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('every route of the coordination service', () => {
  it('given the router, then the check sees the service routes (an empty list would prove nothing)', () => {
    const { routes } = listRoutes(app);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /health', 'GET /metrics']));
  });

  it('given each route and each role, then it is closed to strangers and to roles it does not list, and open to those it lists', async () => {
    const result = await assertEveryRouteIsGuarded(app, keys);
    expect(result.requests).toBeGreaterThanOrEqual(result.routes.filter((r) => !r.isPublic).length * (ROLES.length + 1));
  });

  it('given an auditor, then no write route of the service accepts it', async () => {
    const writes = listRoutes(app).routes.filter((r) => !['GET', 'HEAD'].includes(r.method));
    for (const route of writes) {
      const url = route.path.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
      const status = await send(route.method, url, keys.auditor);
      expect({ route: `${route.method} ${route.path}`, status }).toEqual({ route: `${route.method} ${route.path}`, status: 403 });
    }
  });
});

async function send(method: string, url: string, key: string): Promise<number> {
  const verb = (method === 'ALL' ? 'post' : method.toLowerCase()) as 'post' | 'put' | 'patch' | 'delete';
  return (await supertest(app.getHttpServer())[verb](url).set('X-Api-Key', key).set('Content-Type', 'application/json').send('{}')).status;
}

describe('the check itself', () => {
  @Controller('v1/leaky')
  class LeakyController {
    @Public()
    @Get('open')
    open() {
      return { leaked: true };
    }

    @Get('forgotten')
    forgotten() {
      return { nobody: true };
    }

    @Post('write')
    @Roles('auditor', 'admin')
    write() {
      return { written: true };
    }
  }

  @Module({})
  class LeakyModule {}

  it('given a public route nobody listed, a route without roles, a raw Fastify route, then each is reported', async () => {
    const leaky = await createService(
      {
        module: LeakyModule,
        imports: [
          TypeOrmModule.forRoot({ type: 'postgres', url: db.url, migrations: authMigrations, migrationsRun: true, migrationsTableName: 'leaky_migrations' }),
          AuthModule.forRoot({ env: {} }),
        ],
        controllers: [LeakyController],
        providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
      },
      { title: 'leaky', description: 'leaky', logger: false },
    );
    leaky.getHttpAdapter().getInstance().get('/v1/raw', (_req, reply) => reply.send({ raw: true }));
    await leaky.init();
    // No PlatformModule here to make the server ready at init.
    await leaky.getHttpAdapter().getInstance().ready();
    try {
      const adminKey = (await leaky.get(ApiKeyStore).create({ name: 'leaky admin', role: 'admin', createdBy: 'routes-e2e' })).key;
      const { failures } = await checkRoutes(leaky, { admin: adminKey });
      expect(failures).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^GET \/v1\/raw: served by no Nest handler/),
          expect.stringMatching(/^GET \/v1\/leaky\/open .*@Public\(\) but not in the list/),
          expect.stringMatching(/^GET \/v1\/leaky\/forgotten .*declares no @Roles/),
        ]),
      );
      expect(failures.filter((f) => f.startsWith('POST /v1/leaky/write'))).toEqual([]);
    } finally {
      await leaky.close();
    }
  });
});
