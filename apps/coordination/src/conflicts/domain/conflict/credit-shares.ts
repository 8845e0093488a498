import Decimal from 'decimal.js';
import { ConflictsDomainError } from '../conflicts.errors';
import { Claimant, claimantKey } from '../conflicts.types';
import { ClaimantRef, CoordinatorDecision, CreditShare } from './conflict.types';

function requireClaimant(ref: ClaimantRef, claimants: readonly Claimant[]): void {
  if (!claimants.some((c) => claimantKey(c) === claimantKey(ref))) {
    throw new ConflictsDomainError('CONFLICT_UNKNOWN_CLAIMANT', `${claimantKey(ref)} is not a claimant of this conflict`, {
      claimant: claimantKey(ref),
    });
  }
}

// Percentages arrive as JSON numbers or strings; going through the string form keeps 33.33 exact.
function parsePct(raw: string | number, who: string): Decimal {
  let pct: Decimal;
  try {
    pct = new Decimal(String(raw));
  } catch {
    pct = new Decimal(Number.NaN);
  }
  if (!pct.isFinite() || pct.lte(0) || pct.gt(100) || pct.decimalPlaces() > 2) {
    throw new ConflictsDomainError('SPLIT_INVALID_PERCENT', `share of ${who} must be above 0, at most 100, with at most 2 decimals`, {
      claimant: who,
      pct: String(raw),
    });
  }
  return pct;
}

function splitShares(shares: Extract<CoordinatorDecision, { mode: 'split' }>['shares'], claimants: readonly Claimant[]): CreditShare[] {
  if (shares.length < 2) {
    throw new ConflictsDomainError('SPLIT_TOO_FEW_SHARES', 'a split needs at least two claimants; use award for one', { count: shares.length });
  }
  if (new Set(shares.map(claimantKey)).size !== shares.length) {
    throw new ConflictsDomainError('SPLIT_DUPLICATE_CLAIMANT', 'each claimant may appear once in a split');
  }
  shares.forEach((s) => requireClaimant(s, claimants));
  const pcts = shares.map((s) => parsePct(s.pct, claimantKey(s)));
  const total = pcts.reduce((sum, p) => sum.plus(p), new Decimal(0));
  if (!total.eq(100)) {
    throw new ConflictsDomainError('SPLIT_TOTAL_NOT_100', `split shares sum to ${total.toFixed(2)}, not 100`, { total: total.toFixed(2) });
  }
  return shares.map((s, i) => ({ subsidiary: s.subsidiary, agentId: s.agentId, pct: pcts[i].toFixed(2) }));
}

/** The credit shares a coordinator's decision grants; rejecting everyone grants none. */
export function sharesOf(decision: CoordinatorDecision, claimants: readonly Claimant[]): CreditShare[] {
  switch (decision.mode) {
    case 'award':
      requireClaimant(decision.claimant, claimants);
      return [{ subsidiary: decision.claimant.subsidiary, agentId: decision.claimant.agentId, pct: '100.00' }];
    case 'split':
      return splitShares(decision.shares, claimants);
    case 'reject':
      return [];
    default: {
      const unknown: never = decision;
      throw new Error(`unknown decision ${JSON.stringify(unknown)}`);
    }
  }
}
