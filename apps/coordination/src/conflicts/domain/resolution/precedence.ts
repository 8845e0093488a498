import { ConflictsDomainError } from '../conflicts.errors';
import { CONFLICT_KINDS, ConflictKind } from '../conflicts.types';

export type ResolutionRuleName = 'servicing-relationship' | 'strategic-account' | 'first-valid-registration';
export const RESOLUTION_RULES: readonly ResolutionRuleName[] = ['servicing-relationship', 'strategic-account', 'first-valid-registration'];

export interface Precedence {
  /** Tried in order; the first rule that names exactly one winner decides. */
  readonly order: readonly ResolutionRuleName[];
  /** Kinds a person must always judge, whatever the rules would say. */
  readonly alwaysQueue: readonly ConflictKind[];
}

// A servicing agent keeps the client (Ping An's renewal-recursion rule credits the servicer); a
// strategic account's team comes next; otherwise first come, first served.
export const DEFAULT_PRECEDENCE: Precedence = {
  order: ['servicing-relationship', 'strategic-account', 'first-valid-registration'],
  alwaysQueue: ['channel-quote-clash'],
};

/** Checked when a coordinator changes the precedence, so a typo cannot silently disable a rule. */
export function validatePrecedence(p: Precedence): Precedence {
  const unknownRule = p.order.find((r) => !RESOLUTION_RULES.includes(r));
  const unknownKind = p.alwaysQueue.find((k) => !CONFLICT_KINDS.includes(k));
  if (unknownRule || unknownKind || new Set(p.order).size !== p.order.length) {
    throw new ConflictsDomainError('PRECEDENCE_INVALID', 'precedence names an unknown or repeated rule or kind', {
      unknownRule: unknownRule ?? null,
      unknownKind: unknownKind ?? null,
    });
  }
  return p;
}
