import { SUBSIDIARIES, type Subsidiary } from '@lib/contracts';
import { ApiKeyStore, ROLES, type Role } from '@lib/platform';
import { createSubsidiaryApp } from '@lib/subsidiary-gateway';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '../infra/postgres';
import { assertEveryRouteIsGuarded, listRoutes } from './route-guard';

/**
 * Every route of each subsidiary service, read from its router: no credentials 401, a role
 * the route does not list 403, and another subsidiary's key 403 (a life key cannot write P&C data).
 */
jest.setTimeout(180_000);

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('subroutes');
});
afterAll(async () => db?.drop());

describe.each(SUBSIDIARIES.map((s) => [s]))('every route of the %s service', (sub: Subsidiary) => {
  let app: NestFastifyApplication;
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    const env = { DATABASE_URL: db.url, LOG_LEVEL: 'silent', NODE_ENV: 'test' };
    app = (await createSubsidiaryApp(sub, { env, cataloguePath: join(__dirname, '..', '..', 'apps', sub, 'catalogue.json'), logger: false })).app;
    await app.init();
    for (const role of ROLES) {
      const subsidiary = role.startsWith('subsidiary:') ? (role.slice('subsidiary:'.length) as Subsidiary) : undefined;
      keys[role] = (await app.get(ApiKeyStore).create({ name: `routes ${role}`, role, subsidiary, createdBy: 'routes-e2e' })).key;
    }
  });
  afterAll(async () => app?.close());

  it('is checked against a non-empty route list', () => {
    expect(listRoutes(app).routes.filter((r) => r.path.startsWith('/v1/')).length).toBeGreaterThanOrEqual(15);
  });

  it('answers 401 without credentials and 403 to every role but its own subsidiary', async () => {
    const others = SUBSIDIARIES.filter((s) => s !== sub).map((s) => `subsidiary:${s}` as Role);
    await assertEveryRouteIsGuarded(app, keys, { handlerRefusedRoles: others });
  });

  it("refuses another subsidiary's key on every write route, before reading the body", async () => {
    const writes = listRoutes(app).routes.filter((r) => r.path.startsWith('/v1/') && !['GET', 'HEAD'].includes(r.method));
    const url = (await app.listen(0, '127.0.0.1'), await app.getUrl()).replace('[::1]', '127.0.0.1');
    for (const other of SUBSIDIARIES.filter((s) => s !== sub)) {
      for (const route of writes) {
        const path = route.path.replace(/:(\w+)/g, 'X-1');
        const response = await fetch(`${url}${path}`, {
          method: route.method,
          headers: { 'X-Api-Key': keys[`subsidiary:${other}` as Role], 'Content-Type': 'application/json', 'Idempotency-Key': `k-${other}-${path}` },
          body: '{}',
        });
        expect({ route: `${route.method} ${route.path}`, as: other, status: response.status }).toEqual({ route: `${route.method} ${route.path}`, as: other, status: 403 });
      }
    }
  });
});
