/** The subsidiaries of the group; each has its own service and its own systems role. */
export const SUBSIDIARIES = ['life', 'pnc', 'group'] as const;
export type Subsidiary = (typeof SUBSIDIARIES)[number];

export const ROLES = ['subsidiary:life', 'subsidiary:pnc', 'subsidiary:group', 'coordinator', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as the guard established it; attached to the request as `request.principal`. */
export interface Principal {
  id: string;
  kind: 'api-key' | 'jwt';
  name: string;
  roles: Role[];
  subsidiary: Subsidiary | null;
}

export const isRole = (value: unknown): value is Role => (ROLES as readonly unknown[]).includes(value);
export const isSubsidiary = (value: unknown): value is Subsidiary => (SUBSIDIARIES as readonly unknown[]).includes(value);

export const subsidiaryRole = (subsidiary: Subsidiary): Role => `subsidiary:${subsidiary}`;

/** The subsidiary a `subsidiary:<sub>` role speaks for; null for the group-level roles. */
export function subsidiaryOfRole(role: Role): Subsidiary | null {
  const [prefix, sub] = role.split(':');
  return prefix === 'subsidiary' && isSubsidiary(sub) ? sub : null;
}

/**
 * The one subsidiary a set of roles binds a principal to. A `subsidiary:<sub>` role fixes
 * it; a declared subsidiary must agree with it. Answers undefined when the two disagree
 * or the roles name two subsidiaries, because such a principal cannot be scoped safely.
 */
export function resolveSubsidiary(roles: readonly Role[], declared: Subsidiary | null): Subsidiary | null | undefined {
  const bound = [...new Set(roles.map(subsidiaryOfRole).filter((s): s is Subsidiary => s !== null))];
  if (bound.length > 1) return undefined;
  if (bound.length === 0) return declared;
  if (declared !== null && declared !== bound[0]) return undefined;
  return bound[0];
}
