import { Controller, Get, Param, Post, type INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { createTestingService } from '@lib/platform/bootstrap';
import { ProblemDetailsFilter } from '@lib/platform/errors';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair } from 'jose';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/infra/postgres';
import { expectEventually } from '../../../../test/infra/expect-eventually';
import { assertSubsidiary } from './access-policy';
import { ApiKeyStore } from './api-key.store';
import type { AuthEnv } from './auth.config';
import { CurrentPrincipal, Public, Roles } from './auth.decorators';
import { authMigrations } from './auth.migrations';
import { AuthModule } from './auth.module';
import { signDevJwt } from './jwt.verifier';
import { SUBSIDIARIES, type Principal, type Role, type Subsidiary } from './roles';

@Controller('things')
@Roles('coordinator', 'auditor', 'admin')
class ThingsController {
  @Public()
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Get()
  list(@CurrentPrincipal() principal: Principal) {
    return { principal };
  }

  // Lists auditors on purpose: the guard must still refuse their writes.
  @Post()
  @Roles('coordinator', 'auditor')
  create() {
    return { created: true };
  }

  @Post('for/:subsidiary')
  @Roles('subsidiary:life', 'subsidiary:pnc', 'subsidiary:group')
  writeFor(@Param('subsidiary') subsidiary: Subsidiary, @CurrentPrincipal() principal: Principal) {
    assertSubsidiary(principal, subsidiary);
    return { written: subsidiary };
  }
}

@Controller('forgotten')
class ForgottenController {
  @Get()
  open() {
    return { reachable: true };
  }
}

const ISSUER = 'https://id.xsell.test';
const AUDIENCE = 'xsell-api';
const SECRET = 'dev-only-jwt-secret-0123456789abcdef';

jest.setTimeout(30_000);

let db: TestDatabase;
const apps: INestApplication[] = [];

async function startApp(env: AuthEnv): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      TypeOrmModule.forRootAsync({
        useFactory: () => ({
          type: 'postgres',
          url: db.url,
          migrations: authMigrations,
          migrationsRun: true,
          migrationsTransactionMode: 'each',
          migrationsTableName: 'test_migrations',
          retryAttempts: 0,
        }),
      }),
      AuthModule.forRoot({ env }),
    ],
    controllers: [ThingsController, ForgottenController],
    providers: [{ provide: APP_FILTER, useClass: ProblemDetailsFilter }],
  }).compile();
  const app = createTestingService(moduleRef, { title: 'auth test', description: 'auth test', logger: false });
  await app.init();
  // No PlatformModule here to make the server ready at init.
  await app.getHttpAdapter().getInstance().ready();
  apps.push(app);
  return app;
}

const newKey = (app: INestApplication, role: Role, subsidiary: Subsidiary | null = null) =>
  app.get(ApiKeyStore).create({ name: `test-${role}`, role, subsidiary, createdBy: 'test' });

beforeAll(async () => {
  db = await createTestDatabase('auth_http');
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await db?.drop();
});

describe('API keys over HTTP', () => {
  let app: INestApplication;
  const keys = {} as Record<'life' | 'coordinator' | 'auditor' | 'admin', string>;

  beforeAll(async () => {
    app = await startApp({ API_KEY_CACHE_TTL_MS: '1000' });
    keys.life = (await newKey(app, 'subsidiary:life')).key;
    keys.coordinator = (await newKey(app, 'coordinator')).key;
    keys.auditor = (await newKey(app, 'auditor')).key;
    keys.admin = (await newKey(app, 'admin')).key;
  });

  const http = () => request(app.getHttpServer());

  it('given no credentials, then a public route answers and a protected one is 401 UNAUTHENTICATED', async () => {
    await http().get('/things/health').expect(200, { status: 'ok' });
    const res = await http().get('/things').expect(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('given an invalid key, then 401; on a public route it is ignored', async () => {
    await http().get('/things').set('X-Api-Key', 'xsk_0000000000000000_' + 'a'.repeat(43)).expect(401);
    await http().get('/things').set('X-Api-Key', 'nonsense').expect(401);
    await http().get('/things/health').set('X-Api-Key', 'nonsense').expect(200);
  });

  it('given a key of a listed role, then 2xx and the handler sees the principal', async () => {
    const res = await http().get('/things').set('X-Api-Key', keys.coordinator).expect(200);
    expect(res.body.principal).toMatchObject({ kind: 'api-key', name: 'test-coordinator', roles: ['coordinator'], subsidiary: null });
    await http().post('/things').set('X-Api-Key', keys.coordinator).expect(201, { created: true });
  });

  it('given a key of an unlisted role, then 403 FORBIDDEN', async () => {
    const res = await http().get('/things').set('X-Api-Key', keys.life).expect(403);
    expect(res.body).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    await http().post('/things').set('X-Api-Key', keys.admin).expect(403);
  });

  it('given an auditor, then reads pass and a write to a route that lists auditors is 403', async () => {
    await http().get('/things').set('X-Api-Key', keys.auditor).expect(200);
    const res = await http().post('/things').set('X-Api-Key', keys.auditor).expect(403);
    expect(res.body.detail).toContain('read-only');
  });

  it('given a route without @Roles, then even admin is refused', async () => {
    await http().get('/forgotten').set('X-Api-Key', keys.admin).expect(403);
    await http().get('/forgotten').expect(401);
  });

  it('given a life key, then it writes for life and is refused for P&C and group', async () => {
    await http().post('/things/for/life').set('X-Api-Key', keys.life).expect(201, { written: 'life' });
    for (const other of SUBSIDIARIES.filter((s) => s !== 'life')) {
      const res = await http().post(`/things/for/${other}`).set('X-Api-Key', keys.life).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
  });

  it('given both an API key and a bearer token, then 401', async () => {
    await http().get('/things').set('X-Api-Key', keys.coordinator).set('Authorization', 'Bearer a.b.c').expect(401);
  });

  it('given a key revoked through this instance, then 401 at once', async () => {
    const created = await newKey(app, 'coordinator');
    await http().get('/things').set('X-Api-Key', created.key).expect(200);
    await app.get(ApiKeyStore).revoke(created.id, 'test');
    await http().get('/things').set('X-Api-Key', created.key).expect(401);
  });

  it('given a key revoked by another instance, then 401 within the cache period', async () => {
    const created = await newKey(app, 'coordinator');
    await http().get('/things').set('X-Api-Key', created.key).expect(200);
    const revokedAt = Date.now();
    await new ApiKeyStore(app.get(DataSource)).revoke(created.id, 'other-instance');
    await expectEventually(() => http().get('/things').set('X-Api-Key', created.key).expect(401), { timeoutMs: 5_000 });
    expect(Date.now() - revokedAt).toBeLessThan(3_000);
  });
});

describe('bearer tokens, HS256 secret', () => {
  let app: INestApplication;
  const http = () => request(app.getHttpServer());
  const token = (overrides: Partial<Parameters<typeof signDevJwt>[0]> = {}) =>
    signDevJwt({ sub: 'u-100', name: '李娜', roles: ['coordinator'], issuer: ISSUER, audience: AUDIENCE, secret: SECRET, ...overrides });

  beforeAll(async () => {
    app = await startApp({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_SECRET: SECRET });
  });

  it('given a token with the right issuer and audience, then 2xx as that person', async () => {
    const res = await http().get('/things').set('Authorization', `Bearer ${await token()}`).expect(200);
    expect(res.body.principal).toEqual({ id: 'u-100', kind: 'jwt', name: '李娜', roles: ['coordinator'], subsidiary: null });
  });

  it.each<[string, Partial<Parameters<typeof signDevJwt>[0]>]>([
    ['wrong issuer', { issuer: 'https://evil.test' }],
    ['wrong audience', { audience: 'another-api' }],
    ['wrong secret', { secret: 'another-secret-0123456789abcdef-xyz' }],
    ['expired', { expiresIn: Math.floor(Date.now() / 1000) - 120 }],
  ])('given a token with %s, then 401', async (_label, overrides) => {
    const res = await http().get('/things').set('Authorization', `Bearer ${await token(overrides)}`).expect(401);
    expect(res.body.code).toBe('UNAUTHENTICATED');
  });

  it('given an auditor token, then GET passes and POST is 403', async () => {
    const auditor = await token({ roles: ['auditor'] });
    await http().get('/things').set('Authorization', `Bearer ${auditor}`).expect(200);
    await http().post('/things').set('Authorization', `Bearer ${auditor}`).expect(403);
  });

  it('given a token for the life subsidiary, then it writes only for life', async () => {
    const life = await token({ roles: ['subsidiary:life'], subsidiary: 'life' });
    await http().post('/things/for/life').set('Authorization', `Bearer ${life}`).expect(201);
    await http().post('/things/for/pnc').set('Authorization', `Bearer ${life}`).expect(403);
  });
});

describe('bearer tokens, RS256', () => {
  it('given JWT_PUBLIC_KEY, then tokens signed by its private key pass and others are 401', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const app = await startApp({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_PUBLIC_KEY: pem });
    const http = () => request(app.getHttpServer());
    const base = { sub: 'u-200', roles: ['admin'] as Role[], issuer: ISSUER, audience: AUDIENCE };

    await http().get('/things').set('Authorization', `Bearer ${await signDevJwt({ ...base, privateKey, alg: 'RS256' })}`).expect(200);
    const stranger = await generateKeyPair('RS256');
    await http().get('/things').set('Authorization', `Bearer ${await signDevJwt({ ...base, privateKey: stranger.privateKey })}`).expect(401);
    await http().get('/things').set('Authorization', `Bearer ${await signDevJwt({ ...base, privateKey, audience: 'x' })}`).expect(401);
    await http().get('/things').set('Authorization', `Bearer ${await signDevJwt({ ...base, privateKey, issuer: 'x' })}`).expect(401);
    // Algorithm confusion: the public key used as an HS256 secret must not verify.
    await http().get('/things').set('Authorization', `Bearer ${await signDevJwt({ ...base, secret: pem })}`).expect(401);
  });

  it('given JWT_JWKS_URL, then tokens whose kid is in the set pass', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const jwks: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
      const app = await startApp({ JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, JWT_JWKS_URL: url });
      const base = { sub: 'u-300', roles: ['coordinator'] as Role[], issuer: ISSUER, audience: AUDIENCE, privateKey };
      await request(app.getHttpServer()).get('/things').set('Authorization', `Bearer ${await signDevJwt({ ...base, kid: 'k1' })}`).expect(200);
      await request(app.getHttpServer()).get('/things').set('Authorization', `Bearer ${await signDevJwt({ ...base, kid: 'k1', audience: 'x' })}`).expect(401);
    } finally {
      await new Promise((resolve) => jwks.close(resolve));
    }
  });
});

describe('rate limiting', () => {
  it('given a limit of 3 per minute, then the 4th request of a principal is 429 with Retry-After, across routes, and others are unaffected', async () => {
    const app = await startApp({ RATE_LIMIT_PER_MINUTE: '3' });
    const http = () => request(app.getHttpServer());
    const first = (await newKey(app, 'coordinator')).key;
    const second = (await newKey(app, 'coordinator')).key;

    await http().get('/things').set('X-Api-Key', first).expect(200);
    await http().post('/things').set('X-Api-Key', first).expect(201);
    await http().get('/things').set('X-Api-Key', first).expect(200);
    const limited = await http().get('/things').set('X-Api-Key', first).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });

    await http().get('/things').set('X-Api-Key', second).expect(200);
  });

  it('given no credentials, then the caller is limited by address, failed attempts included', async () => {
    const app = await startApp({ RATE_LIMIT_PER_MINUTE: '3' });
    const http = () => request(app.getHttpServer());
    await http().get('/things/health').expect(200);
    await http().get('/things').expect(401);
    await http().get('/things').set('X-Api-Key', 'nonsense').expect(401);
    const limited = await http().get('/things/health').expect(429);
    expect(limited.headers['retry-after']).toBeDefined();
  });
});
