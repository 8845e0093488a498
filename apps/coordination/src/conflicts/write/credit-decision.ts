import type { PolicyCreditDecision } from '../conflicts.ports';
import type { IndexedConflict } from '../persistence/conflict-index';
import type { Subsidiary } from '../domain';

/** A conflict with no decision yet means a coordinator still has to decide: crediting must not treat the sale as settled. */
function fromConflicts(conflicts: readonly IndexedConflict[], sale: { policyNo: string; productSubsidiary: Subsidiary }): PolicyCreditDecision | undefined {
  const pending = conflicts.find((c) => c.decision === null);
  if (pending) return { status: 'pending', conflictId: pending.conflictId };
  const decided = conflicts.find((c) => c.decision !== null);
  if (!decided?.decision) return undefined;
  return { status: 'decided', decision: { ...decided.decision, policyNo: sale.policyNo, productSubsidiary: sale.productSubsidiary } };
}

/**
 * What governs a sale's credit: the standing conflict the sale itself raised (a bypassed
 * registration) wins; otherwise the newest standing conflict about the referral it converted (two
 * registrations, say); otherwise nothing (credit as usual). A pure function of the standing
 * conflicts, so it is the same whichever order the facts behind them arrived in.
 */
export function creditDecisionForSale(
  saleConflicts: readonly IndexedConflict[],
  referralConflicts: readonly IndexedConflict[],
  sale: { policyNo: string; productSubsidiary: Subsidiary },
): PolicyCreditDecision | undefined {
  return fromConflicts(saleConflicts, sale) ?? fromConflicts(referralConflicts, sale);
}
