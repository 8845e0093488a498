import { unauthenticated, type Principal } from '@lib/platform';
import type { EventStore } from '@lib/event-store';
import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Observable } from 'rxjs';
import { CLOCK, EVENT_STORE, type Clock } from '../../infrastructure/tokens';
import { AUDIT_ACCESS_STREAM_PREFIX, AUDIT_READ, dailyStream, type AuditReadData } from './access-events';

type AuditedRequest = FastifyRequest;

/**
 * Every call of the audit API is recorded (AuditRead) before it is served: if the record
 * cannot be written the read fails, so no auditor's read goes unrecorded. Runs after the
 * auth guard, which has set the principal.
 */
@Injectable()
export class AuditAccessInterceptor implements NestInterceptor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<AuditedRequest>();
    if (!request.principal) throw unauthenticated();
    await this.record(request.principal, request);
    return next.handle();
  }

  private async record(principal: Principal, request: AuditedRequest): Promise<void> {
    const at = this.clock.now();
    const data: AuditReadData = {
      principal: principal.id,
      roles: principal.roles,
      path: request.url.split('?')[0],
      query: { ...(request.query as Record<string, unknown>) },
      at: at.toISOString(),
    };
    await this.store.append(dailyStream(AUDIT_ACCESS_STREAM_PREFIX, at), [
      { eventId: randomUUID(), type: AUDIT_READ, data, metadata: { actor: principal.id, correlationId: request.correlationId } },
    ]);
  }
}
