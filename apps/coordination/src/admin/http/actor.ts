import type { Principal } from '@lib/platform';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../admin-actions';

export type CorrelatedRequest = FastifyRequest;

export const actorOf = (principal: Principal, req: CorrelatedRequest): Actor => ({ id: principal.id, correlationId: req.correlationId });
