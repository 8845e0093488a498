import type { Principal } from '@lib/platform';
import type { Request } from 'express';
import type { Actor } from '../admin-actions';

export type CorrelatedRequest = Request & { correlationId?: string };

export const actorOf = (principal: Principal, req: CorrelatedRequest): Actor => ({ id: principal.id, correlationId: req.correlationId });
