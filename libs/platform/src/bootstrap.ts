import { DynamicModule, INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { FastifyInstance } from 'fastify';
import { Logger } from 'nestjs-pino';
import type { Principal } from './auth/roles';
import { AppError } from './errors';
import { correlationIdOf, CORRELATION_HEADER } from './logging';

export type ServiceApp = NestFastifyApplication;

export interface ServiceOptions {
  title: string;
  description: string;
  /** Largest accepted body in bytes (413 beyond): the config's BODY_LIMIT. */
  bodyLimit?: number;
  /** false: Nest's own logger, errors only, instead of the PlatformModule's pino logger. */
  logger?: boolean;
}

/** What `Test.createTestingModule(...).compile()` answers, as far as a service needs it. */
export interface TestingModuleLike {
  createNestApplication<T extends INestApplication>(adapter: FastifyAdapter, options?: NestApplicationOptions): T;
}

/**
 * Creates a service with the house settings: JSON only, bounded bodies, problem+json,
 * correlation ids, OpenAPI at /docs. The HTTP server is Fastify (README, "HTTP server").
 */
export async function createService(module: Type<unknown> | DynamicModule, options: ServiceOptions): Promise<ServiceApp> {
  return configureService(await NestFactory.create<ServiceApp>(module, serviceAdapter(options), nestOptions(options)), options);
}

/** The same service from a testing module (a test that overrides providers): the same HTTP server as in production. */
export function createTestingService(moduleRef: TestingModuleLike, options: ServiceOptions): ServiceApp {
  return configureService(moduleRef.createNestApplication<ServiceApp>(serviceAdapter(options), nestOptions(options)), options);
}

function serviceAdapter(options: ServiceOptions): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // The request id is the correlation id: the caller's when it is sane, else a new one.
    genReqId: correlationIdOf,
    // As express did: `/v1/clients/` is `/v1/clients`.
    routerOptions: { ignoreTrailingSlash: true },
  });
}

function nestOptions(options: ServiceOptions): NestApplicationOptions {
  return { bodyParser: false, bufferLogs: true, ...(options.logger === false ? { logger: ['error'] } : {}) };
}

function configureService(app: ServiceApp, options: ServiceOptions): ServiceApp {
  if (options.logger !== false) app.useLogger(app.get(Logger));
  const server = app.getHttpAdapter().getInstance();
  recordRoutes(server);
  acceptJsonOnly(server);
  correlate(server);
  app.enableShutdownHooks();
  SwaggerModule.setup('docs', app, () => openApiDocument(app, options), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

export function openApiDocument(app: INestApplication, options: ServiceOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description)
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .addSecurityRequirements('apiKey')
    .addSecurityRequirements('bearer')
    .build();
  return SwaggerModule.createDocument(app, config);
}

export interface ServedRoute {
  method: string;
  path: string;
}

const ROUTES = new WeakMap<FastifyInstance, ServedRoute[]>();

/** Every route the HTTP server serves, however it was added (a controller, Swagger, a raw route): the route-guard test checks them all. */
export function servedRoutes(app: ServiceApp): readonly ServedRoute[] {
  return ROUTES.get(app.getHttpAdapter().getInstance()) ?? [];
}

function recordRoutes(server: FastifyInstance): void {
  const routes: ServedRoute[] = [];
  ROUTES.set(server, routes);
  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, path: route.url });
  });
}

/**
 * A body must be UTF-8 JSON: Fastify answers any other content type with a 415 before a
 * handler runs (the filter writes it as problem+json). An empty body parses as nothing,
 * for the handler's validation to refuse; keys that would reach an object's prototype
 * (`__proto__`, `constructor.prototype`) are refused like malformed JSON.
 */
function acceptJsonOnly(server: FastifyInstance): void {
  const parse = server.getDefaultJsonParser('error', 'error');
  server.removeAllContentTypeParsers();
  server.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(request.headers['content-type'] ?? '')?.[1].toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      return done(new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as UTF-8 JSON.'), undefined);
    }
    if (body === '') return done(null, undefined);
    parse(request, body as string, (error, value) => {
      if (error) return done(new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON.'), undefined);
      done(null, value);
    });
  });
}

/** Every answer carries the correlation id; handlers read it as `request.correlationId`. */
function correlate(server: FastifyInstance): void {
  server.decorateRequest('correlationId', '');
  server.decorateRequest('principal', undefined);
  server.addHook('onRequest', (request, reply, done) => {
    request.correlationId = request.id;
    reply.header(CORRELATION_HEADER, request.id);
    done();
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
    /** Set by the auth guard. */
    principal?: Principal;
  }
}
