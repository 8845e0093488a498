import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authorize } from './access-policy';
import { forbidden, unauthenticated } from './auth.errors';
import { IS_PUBLIC_KEY, ROLES_KEY, type RequestWithPrincipal } from './auth.decorators';
import { Authenticator, type AuthenticatableRequest } from './authenticator';
import type { Role } from './roles';

type GuardedRequest = AuthenticatableRequest & RequestWithPrincipal & { method: string };

/**
 * The global guard: deny by default. A route is reachable without credentials only when
 * marked @Public(); otherwise the caller must authenticate (401) and hold one of the
 * route's @Roles (403). Auditors are refused every write here, whatever the route lists.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: Authenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets)) return true;
    // Only HTTP is served through Nest here (Kafka uses kafkajs directly); anything else is refused.
    if (context.getType() !== 'http') throw forbidden('Only HTTP routes are authorised by this guard.');
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const authentication = await this.authenticator.authenticate(request);
    if (authentication.status === 'anonymous') throw unauthenticated();
    if (authentication.status === 'rejected') throw unauthenticated(authentication.reason);
    request.principal = authentication.principal;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const decision = authorize(authentication.principal, required, request.method);
    if (!decision.allowed) throw forbidden(decision.reason);
    return true;
  }
}
