import type { Principal } from '@lib/platform/auth';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../commands/identity-admin.service';
import type { Viewer } from './client-view.reader';

export type RequestWithCorrelation = FastifyRequest;

export const correlationOf = (req: RequestWithCorrelation): string => req.correlationId;

export const viewerOf = (principal: Principal, req: RequestWithCorrelation): Viewer => ({ principal, correlationId: correlationOf(req) });
export const actorOf = (principal: Principal, req: RequestWithCorrelation): Actor => ({ id: principal.id, correlationId: correlationOf(req) });
