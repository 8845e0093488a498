import { forbidden } from './auth.errors';
import { subsidiaryRole, type Principal, type Role, type Subsidiary } from './roles';

export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

const READ_METHODS = new Set(['GET', 'HEAD']);

export const isReadMethod = (method: string): boolean => READ_METHODS.has(method.toUpperCase());

/**
 * Whether a principal may call a route that requires one of `required`.
 * Deny by default: a route that declares no roles admits nobody. No role implies
 * another (admin included), so every route lists exactly whom it admits. Auditors are
 * read-only whatever the route says: a principal holding `auditor` never writes,
 * which keeps the people who check the history apart from the people who make it.
 */
export function authorize(principal: Principal, required: readonly Role[] | undefined, method: string): AccessDecision {
  if (!required || required.length === 0) return { allowed: false, reason: 'This route declares no roles, so it admits nobody.' };
  if (principal.roles.includes('auditor') && !isReadMethod(method)) {
    return { allowed: false, reason: 'Auditors are read-only.' };
  }
  if (principal.roles.some((role) => required.includes(role))) return { allowed: true };
  return { allowed: false, reason: `This route requires one of: ${required.join(', ')}.` };
}

/**
 * Throws 403 unless the principal speaks for `subsidiary`: a `subsidiary:life` key must
 * not write P&C data. Group-level roles do not pass implicitly; a route that lets them
 * act for a subsidiary names them in `allowRoles`.
 */
export function assertSubsidiary(principal: Principal, subsidiary: Subsidiary, options: { allowRoles?: readonly Role[] } = {}): void {
  const speaksFor = principal.subsidiary === subsidiary && principal.roles.includes(subsidiaryRole(subsidiary));
  if (speaksFor) return;
  if (options.allowRoles?.some((role) => principal.roles.includes(role))) return;
  throw forbidden(`This principal may not act for subsidiary ${subsidiary}.`);
}
