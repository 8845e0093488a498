import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { Logger } from 'nestjs-pino';
import { AppError, toProblem } from './errors';

export interface ServiceOptions {
  title: string;
  description: string;
  bodyLimit?: string;
  logger?: boolean;
}

/** Creates a service with the house settings: JSON only, bounded bodies, problem+json, OpenAPI at /docs. */
export async function createService(module: Type<unknown> | DynamicModule, options: ServiceOptions): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bodyParser: false,
    bufferLogs: true,
    ...(options.logger === false ? { logger: ['error'] as const } : {}),
  });
  if (options.logger !== false) app.useLogger(app.get(Logger));
  app.use(requireJson);
  app.useBodyParser('json', { limit: options.bodyLimit ?? '256kb' });
  app.use(bodyParserErrors);
  app.enableShutdownHooks();
  app.getHttpAdapter().getInstance().disable('x-powered-by');
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

/** A write must say it is JSON: anything else is a 415, before any handler runs. */
function requireJson(req: Request, res: Response, next: NextFunction): void {
  const hasBody = ['POST', 'PUT', 'PATCH'].includes(req.method) && req.headers['content-length'] !== '0';
  if (hasBody && !req.is('application/json') && (req.headers['content-type'] || Number(req.headers['content-length'] ?? 0) > 0)) {
    return sendProblem(res, new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'));
  }
  next();
}

/** body-parser fails before Nest's filters run; answer in the same problem+json shape. */
function bodyParserErrors(error: { type?: string; status?: number } | undefined, _req: Request, res: Response, next: NextFunction): void {
  if (!error) return next();
  if (error.type === 'entity.too.large') return sendProblem(res, new AppError(413, 'PAYLOAD_TOO_LARGE', 'The request body exceeds the size limit.'));
  if (error.type === 'entity.parse.failed') return sendProblem(res, new AppError(400, 'MALFORMED_JSON', 'The request body is not valid JSON.'));
  return sendProblem(res, new AppError(error.status ?? 400, 'BAD_REQUEST_BODY', 'The request body could not be read.'));
}

function sendProblem(res: Response, error: AppError): void {
  const problem = toProblem(error);
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
