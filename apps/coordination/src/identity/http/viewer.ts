import { correlationIdOf } from '@lib/platform';
import type { Principal } from '@lib/platform/auth';
import type { IncomingMessage } from 'node:http';
import type { Actor } from '../commands/identity-admin.service';
import type { Viewer } from './client-view.reader';

export type RequestWithCorrelation = IncomingMessage & { correlationId?: string };

/** The logger middleware sets the correlation id; without it (tests, bare apps) the header or a new one. */
export const correlationOf = (req: RequestWithCorrelation): string => req.correlationId ?? correlationIdOf(req);

export const viewerOf = (principal: Principal, req: RequestWithCorrelation): Viewer => ({ principal, correlationId: correlationOf(req) });
export const actorOf = (principal: Principal, req: RequestWithCorrelation): Actor => ({ id: principal.id, correlationId: correlationOf(req) });
