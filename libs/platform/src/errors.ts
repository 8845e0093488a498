import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ZodError } from 'zod';
import { isTransientDatabaseError, TRANSIENT_RETRY_AFTER_SECONDS } from './transient';

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * The one error type features throw for expected failures. Each feature keeps its
 * codes in an enum; `status` maps them to HTTP once, here.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldProblem[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, errors: FieldProblem[] = []) => new AppError(400, code, message, errors);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, extra: Record<string, unknown> = {}) => new AppError(409, code, message, [], extra);
export const unprocessable = (code: string, message: string, errors: FieldProblem[] = []) => new AppError(422, code, message, errors);

export function fieldProblems(error: ZodError, prefix: string[] = []): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [...prefix, ...issue.path.map(String)].join('.') || '(body)',
    message: issue.message,
  }));
}

export function validationError(error: ZodError, prefix: string[] = []): AppError {
  const errors = fieldProblems(error, prefix);
  return new AppError(400, 'VALIDATION_FAILED', `Invalid request: ${errors.map((e) => e.field).join(', ')}`, errors);
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  correlationId?: string;
  instance?: string;
  errors?: FieldProblem[];
  [key: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

/** RFC 9457 problem details for every error; never a stack trace. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const response = http.getResponse<FastifyReply>();
    const problem = { ...toProblem(exception), correlationId: request.correlationId, instance: request.url.split('?')[0] };
    if (problem.code === 'TEMPORARILY_UNAVAILABLE') {
      this.logger.warn({ err: { message: (exception as Error).message, code: (exception as { code?: unknown }).code }, correlationId: problem.correlationId }, 'transient failure; client told to retry');
    } else if (problem.status >= 500) {
      this.logger.error({ err: exception, correlationId: problem.correlationId }, 'unhandled error');
    }
    const retryAfter = (problem as Record<string, unknown>).retryAfter;
    if ((problem.status === 429 || problem.status === 503) && retryAfter) response.header('Retry-After', String(retryAfter));
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }
}

export function toProblem(exception: unknown): Problem {
  if (exception instanceof AppError) return problem(exception.status, exception.code, exception.message, exception.errors, exception.extra);
  if (exception instanceof ZodError) {
    const e = validationError(exception);
    return problem(400, e.code, e.message, e.errors);
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (isTransientDatabaseError(exception)) {
    return problem(503, 'TEMPORARILY_UNAVAILABLE', 'A transient failure (the database connection) stopped this request; nothing was written. Retry it, with the same Idempotency-Key.', [], { retryAfter: TRANSIENT_RETRY_AFTER_SECONDS });
  }
  const coded = exception as { status?: unknown; code?: unknown; message?: unknown };
  if (typeof coded?.status === 'number' && typeof coded.code === 'string' && coded.status < 500) {
    return problem(coded.status, coded.code, String(coded.message ?? ''));
  }
  return problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred; quote the correlationId when reporting it.');
}

/** Fastify's own refusals of a request, before any handler runs (they arrive as an HttpException's cause). */
const FRAMEWORK_ERRORS: Record<string, [status: number, code: string, detail: string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'PAYLOAD_TOO_LARGE', 'The request body exceeds the size limit.'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'BAD_REQUEST_BODY', 'The request body could not be read.'],
};

function fromHttpException(exception: HttpException): Problem {
  const status = exception.getStatus();
  const body = exception.getResponse() as { message?: unknown } | string;
  const raw = typeof body === 'string' ? body : body?.message;
  const detail = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
  const framework = FRAMEWORK_ERRORS[(exception.cause as { code?: string } | undefined)?.code ?? ''];
  if (framework) return problem(...framework);
  if (status === HttpStatus.BAD_REQUEST && /JSON/.test(detail)) {
    return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  }
  const codes: Record<number, string> = { 404: 'ROUTE_NOT_FOUND', 413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'RATE_LIMITED' };
  // Terminus answers 503 with which dependency is down; keep that for the operator.
  const health = typeof body === 'object' && body && 'details' in body ? { health: (body as { details: unknown }).details } : {};
  if (status === 503 && 'health' in health) return problem(503, 'DEPENDENCY_DOWN', 'A dependency of this service is not available.', [], health);
  return problem(status, codes[status] ?? `HTTP_${status}`, detail);
}

function problem(status: number, code: string, detail: string, errors: FieldProblem[] = [], extra: Record<string, unknown> = {}): Problem {
  return {
    type: `https://errors.xsell.example/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors.length ? { errors } : {}),
    ...extra,
  };
}
