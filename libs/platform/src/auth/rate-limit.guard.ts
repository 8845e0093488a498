import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { RateLimitError } from './auth.errors';
import { Authenticator } from './authenticator';

/**
 * Rate limit per principal across all routes (per client IP when unauthenticated).
 * Counters live in this instance's memory, so with N instances a principal gets up to N
 * times the limit; pass a shared ThrottlerStorage to AuthModule for an exact group-wide cap.
 */
@Injectable()
export class PrincipalThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected override async getTracker(req: Record<string, any>): Promise<string> {
    try {
      const authentication = await this.authenticator.authenticate(req as never);
      if (authentication.status === 'authenticated') return `${authentication.principal.kind}:${authentication.principal.id}`;
    } catch {
      // The auth guard reports the failure; the limiter falls back to the address.
    }
    return `ip:${await super.getTracker(req)}`;
  }

  /** One budget per principal, not one per route as the base class keys it. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return createHash('sha256').update(`${throttlerName}-${tracker}`).digest('hex');
  }

  /** The base class sets Retry-After only when headers are on; a 429 must always carry it. */
  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfter = Math.max(1, detail.timeToBlockExpire);
    this.setResponseHeader(this.getRequestResponse(context).res, 'Retry-After', retryAfter);
    throw new RateLimitError(retryAfter);
  }
}
