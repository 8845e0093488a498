import { isRole, isSubsidiary, resolveSubsidiary, type Principal, type Role } from './roles';

/**
 * The principal a verified token's claims describe: `sub` -> id, `name` -> name,
 * `roles` (array) -> roles, `subsidiary` -> subsidiary. Unknown role names are ignored,
 * so an identity provider may carry roles of other systems in the same claim. Null when
 * the claims cannot describe a principal safely (no subject, roles not an array,
 * a subsidiary that contradicts the roles).
 */
export function principalFromClaims(claims: Record<string, unknown>): Principal | null {
  const { sub, name, roles, subsidiary } = claims;
  if (typeof sub !== 'string' || sub === '') return null;
  if (!Array.isArray(roles)) return null;
  if (subsidiary !== undefined && subsidiary !== null && !isSubsidiary(subsidiary)) return null;
  const known = [...new Set(roles.filter(isRole))] as Role[];
  const resolved = resolveSubsidiary(known, subsidiary ?? null);
  if (resolved === undefined) return null;
  return { id: sub, kind: 'jwt', name: typeof name === 'string' && name !== '' ? name : sub, roles: known, subsidiary: resolved };
}
