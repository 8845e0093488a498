import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { pino, type DestinationStream, type Logger } from 'pino';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Paths pino removes from every log line. Identity numbers never reach logs in clear:
 * request bodies are not logged at all, and these catch them if a caller logs an object.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.identity.number',
  '*.identityNumber',
  'identity.number',
  'body',
  'req.body',
];

/** A caller's correlation id when it is sane, otherwise a fresh one. */
export function correlationIdOf(req: Pick<IncomingMessage, 'headers'>): string {
  const given = req.headers[CORRELATION_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value && /^[\w.:-]{1,128}$/.test(value) ? value : randomUUID();
}

/** The service's one pino logger (stdout by default): Nest's own logs and the access log both write through it. */
export function createLogger(service: string, level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * nestjs-pino carries Nest's logs (and `new Logger(...)` in features) to the service's
 * logger. Its per-request middleware (a pino-http child logger and an async context per
 * request) is not mounted: the access log is one line written by the HTTP server's
 * response hook (`accessLog`), and logs that need the request's correlation id say so.
 */
export function loggerParams(logger: Logger): Params {
  return { pinoHttp: { logger }, forRoutes: [] };
}

/** Readiness probes and metric scrapes would drown the access log. */
const UNLOGGED = new Set(['/health', '/metrics']);

export type AccessLog = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * The access log: one line per answered request, without query string, headers or body.
 * The line holds only the fields written here, so it skips the logger's redaction, which
 * costs several times the line itself (it copies the object to censor it).
 */
export function accessLog(logger: Logger): AccessLog {
  const lines = logger.child({}, { redact: { paths: [] } });
  return (request, reply) => {
    const path = request.url.split('?')[0];
    if (UNLOGGED.has(path) || !lines.isLevelEnabled('info')) return;
    const statusCode = reply.statusCode;
    lines.info(
      { correlationId: request.id, req: { method: request.method, url: path }, res: { statusCode }, responseTime: Math.round(reply.elapsedTime) },
      statusCode >= 500 ? 'request errored' : 'request completed',
    );
  };
}
