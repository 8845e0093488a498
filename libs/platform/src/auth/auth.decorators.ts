import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { unauthenticated } from './auth.errors';
import type { Principal, Role } from './roles';

export const ROLES_KEY = 'xsell:auth:roles';
export const IS_PUBLIC_KEY = 'xsell:auth:public';

/**
 * The roles a controller or handler admits; a handler's list replaces its controller's.
 * Name every role explicitly, admin included: no role implies another.
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No credentials needed: for /health and /docs only. */
export const Public = () => SetMetadata(IS_PUBLIC_KEY, true);

/** The request as the auth guard leaves it. */
export interface RequestWithPrincipal {
  principal?: Principal;
}

/** The authenticated principal; fails with 401 on a route that is @Public(). */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<RequestWithPrincipal>().principal;
  if (!principal) throw unauthenticated('This route needs an authenticated principal.');
  return principal;
});
