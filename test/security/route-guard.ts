import { IS_PUBLIC_KEY, isReadMethod, ROLES, ROLES_KEY, servedRoutes, type Role, type ServiceApp } from '@lib/platform';
import { RequestMethod, type INestApplication, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import request from 'supertest';

/**
 * Proves every HTTP route of a Nest app is closed: no credentials 401, every role the
 * route does not list 403, auditors 403 on every write, each listed role let through.
 * The route list is every route the HTTP server registered (Fastify's onRoute hook, installed
 * before the first route) and is matched against the controllers' metadata, so a route added
 * anywhere (a controller, RouterModule, a raw Fastify route) is either checked or fails the
 * test: none can escape.
 */
export interface RouteInfo {
  method: string;
  path: string;
  roles: Role[];
  isPublic: boolean;
  handler: string;
}

export interface GuardCheckOptions {
  /** Routes served without credentials on purpose (Nest @Public() or raw routes, e.g. Swagger's /docs). */
  publicPaths?: Array<string | RegExp>;
  /** A value for each path parameter; unnamed ones get a UUID (a 404 or 400 is a pass). */
  pathParams?: Record<string, string>;
  /** Roles known to be refused by the handler despite the metadata (e.g. a subsidiary role on another subsidiary's service). */
  handlerRefusedRoles?: Role[];
}

export interface GuardCheckResult {
  routes: RouteInfo[];
  requests: number;
  failures: string[];
}

export const DEFAULT_PUBLIC_PATHS: Array<string | RegExp> = ['/health', '/health/live', /^\/docs(\/|$|-json|-yaml)/];
const PLACEHOLDER = '00000000-0000-4000-8000-000000000000';

const normalise = (path: string): string => `/${path}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
const asList = (value: string | string[] | undefined): string[] => (Array.isArray(value) ? value : [value ?? '']);

/** Every route as the server serves it: method, path, and the metadata of the Nest handler behind it. */
export function listRoutes(app: ServiceApp): { routes: RouteInfo[]; unmatched: Array<{ method: string; path: string }> } {
  const handlers = nestHandlers(app);
  const routes: RouteInfo[] = [];
  const unmatched: Array<{ method: string; path: string }> = [];
  for (const { method, path } of serverRoutes(app)) {
    const handler = handlers.find((h) => h.method === method && h.path === path);
    if (handler) routes.push(handler);
    else unmatched.push({ method, path });
  }
  return { routes, unmatched };
}

/** HEAD routes Fastify adds beside each GET are the GET's; a route for every method is Nest's @All(). */
function serverRoutes(app: ServiceApp): Array<{ method: string; path: string }> {
  const served = servedRoutes(app).map((r) => ({ method: r.method, path: normalise(r.path) }));
  const gets = new Set(served.filter((r) => r.method === 'GET').map((r) => r.path));
  const byPath = new Map<string, Set<string>>();
  for (const r of served) if (!(r.method === 'HEAD' && gets.has(r.path))) byPath.set(r.path, (byPath.get(r.path) ?? new Set()).add(r.method));
  return [...byPath].flatMap(([path, methods]) => (methods.size >= ALL_METHODS ? [{ method: 'ALL', path }] : [...methods].map((method) => ({ method, path }))));
}

/** Fastify's `all()` registers this many methods or more. */
const ALL_METHODS = 7;

function nestHandlers(app: INestApplication): RouteInfo[] {
  const scanner = new MetadataScanner();
  const routes: RouteInfo[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown> | undefined;
      if (!controller) continue;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        routes.push(...routesOf(controller, name));
      }
    }
  }
  return routes;
}

function routesOf(controller: Type<unknown>, name: string): RouteInfo[] {
  const fn = controller.prototype[name] as object;
  const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
  if (method === undefined || Reflect.getMetadata(PATH_METADATA, fn) === undefined) return [];
  const roles = (Reflect.getMetadata(ROLES_KEY, fn) ?? Reflect.getMetadata(ROLES_KEY, controller) ?? []) as Role[];
  const isPublic = Boolean(Reflect.getMetadata(IS_PUBLIC_KEY, fn) ?? Reflect.getMetadata(IS_PUBLIC_KEY, controller));
  const prefixes = asList(Reflect.getMetadata(PATH_METADATA, controller));
  const paths = asList(Reflect.getMetadata(PATH_METADATA, fn));
  return prefixes.flatMap((prefix) =>
    paths.map((path) => ({ method: RequestMethod[method], path: normalise(`${prefix}/${path}`), roles, isPublic, handler: `${controller.name}.${name}` })),
  );
}

const concrete = (path: string, params: Record<string, string>): string =>
  path.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? PLACEHOLDER)).replace(/\*(\w+)|\{\*(\w+)\}/g, 'x');

const matchesAny = (path: string, patterns: Array<string | RegExp>): boolean => patterns.some((p) => (typeof p === 'string' ? p === path : p.test(path)));

/** Checks every route; answers the findings so a caller can print them, and throws when there is any. */
export async function assertEveryRouteIsGuarded(
  app: ServiceApp,
  keysByRole: Partial<Record<Role, string>>,
  options: GuardCheckOptions = {},
): Promise<GuardCheckResult> {
  const result = await checkRoutes(app, keysByRole, options);
  if (result.failures.length > 0) {
    throw new Error(`${result.failures.length} route guard failure(s) over ${result.routes.length} routes:\n  ${result.failures.join('\n  ')}`);
  }
  return result;
}

/** `/*`, `/{*path}`, `/*path`: a route matching every path. */
const isCatchAll = (path: string): boolean => /^\/(\*|\{\/?\*\w+\}|\*\w+)$/.test(path);

/**
 * A catch-all route may only pass requests on: a path no controller serves must still be
 * a 404, with or without credentials, whatever the method.
 */
async function probeCatchAll(app: INestApplication): Promise<string[]> {
  const url = `/__route_guard_probe__/${PLACEHOLDER}`;
  const failures: string[] = [];
  for (const method of ['get', 'post', 'put', 'patch', 'delete'] as const) {
    const status = (await request(app.getHttpServer())[method](url).set('Content-Type', 'application/json')).status;
    if (status !== 404) failures.push(`${method.toUpperCase()} ${url}: a catch-all route answered ${status}, expected 404`);
  }
  return failures;
}

export async function checkRoutes(app: ServiceApp, keysByRole: Partial<Record<Role, string>>, options: GuardCheckOptions = {}): Promise<GuardCheckResult> {
  const publicPaths = options.publicPaths ?? DEFAULT_PUBLIC_PATHS;
  const { routes, unmatched } = listRoutes(app);
  const failures = unmatched
    .filter((r) => !isCatchAll(r.path) && !matchesAny(r.path, publicPaths))
    .map((r) => `${r.method} ${r.path}: served by no Nest handler the check can see`);
  if (unmatched.some((r) => isCatchAll(r.path))) failures.push(...(await probeCatchAll(app)));
  let requests = 0;
  for (const route of routes) {
    const outcome = await checkRoute(app, route, keysByRole, publicPaths, options);
    requests += outcome.requests;
    failures.push(...outcome.failures);
  }
  return { routes, requests, failures };
}

async function checkRoute(
  app: INestApplication,
  route: RouteInfo,
  keysByRole: Partial<Record<Role, string>>,
  publicPaths: Array<string | RegExp>,
  options: GuardCheckOptions,
): Promise<{ requests: number; failures: string[] }> {
  const label = `${route.method} ${route.path} (${route.handler})`;
  if (route.isPublic) {
    return { requests: 0, failures: matchesAny(route.path, publicPaths) ? [] : [`${label}: @Public() but not in the list of public paths`] };
  }
  if (route.roles.length === 0) return { requests: 0, failures: [`${label}: declares no @Roles, so no one can call it`] };
  const failures: string[] = [];
  const send = sender(app, route, options.pathParams ?? {});
  const anonymous = await send(undefined);
  if (anonymous !== 401) failures.push(`${label}: without credentials answered ${anonymous}, expected 401`);
  let requests = 1;
  for (const role of ROLES) {
    const key = keysByRole[role];
    if (!key) continue;
    const status = await send(key);
    requests += 1;
    failures.push(...judge(label, route, role, status, options.handlerRefusedRoles ?? []));
  }
  return { requests, failures };
}

function judge(label: string, route: RouteInfo, role: Role, status: number, handlerRefused: Role[]): string[] {
  const write = !isReadMethod(route.method);
  const admitted = route.roles.includes(role) && !(role === 'auditor' && write);
  if (!admitted) return status === 403 ? [] : [`${label}: role ${role} answered ${status}, expected 403${role === 'auditor' && write ? ' (auditors never write)' : ''}`];
  if (status === 401 || (status === 403 && !handlerRefused.includes(role))) return [`${label}: role ${role} is listed but answered ${status}`];
  return status >= 500 ? [`${label}: role ${role} answered ${status} (a server error on a placeholder request)`] : [];
}

function sender(app: INestApplication, route: RouteInfo, params: Record<string, string>) {
  const url = concrete(route.path, params);
  return async (key: string | undefined): Promise<number> => {
    const agent = request(app.getHttpServer());
    // An @All() route is probed as a write: the stricter case.
    const method = (route.method === 'ALL' ? 'post' : route.method.toLowerCase()) as 'get' | 'post' | 'put' | 'patch' | 'delete' | 'head' | 'options';
    let req = agent[method](url).set('Accept', 'application/json');
    if (key) req = req.set('X-Api-Key', key);
    if (['post', 'put', 'patch'].includes(method)) req = req.set('Content-Type', 'application/json').send('{}');
    return (await req).status;
  };
}
