import type { EventEnvelope } from '@lib/contracts';
import type { PolicyCreditDecision } from '../conflicts.ports';
import { creditDecisionOf, type IndexedConflict } from '../persistence/conflict-index';
import type { RecordedConflict } from '../write/conflict-recorder';

/** Queued means a coordinator still has to decide: crediting must not treat the sale as settled. */
function fromRecorded(recorded: readonly RecordedConflict[], event: EventEnvelope<'PolicyIssued'>): PolicyCreditDecision | undefined {
  const queued = recorded.find((r) => r.state.status === 'queued');
  if (queued) return { status: 'pending', conflictId: queued.conflictId };
  for (const r of recorded) {
    const decision = creditDecisionOf(r.state, event.subsidiary);
    if (decision) return { status: 'decided', decision };
  }
  return undefined;
}

/** An earlier conflict about the converted referral (two registrations, say) decides this sale's credit too. */
function fromReferralConflicts(conflicts: readonly IndexedConflict[], event: EventEnvelope<'PolicyIssued'>): PolicyCreditDecision | undefined {
  const queued = conflicts.find((c) => c.status === 'queued');
  if (queued) return { status: 'pending', conflictId: queued.conflictId };
  const decided = conflicts.find((c) => c.decision !== null);
  if (!decided?.decision) return undefined;
  return { status: 'decided', decision: { ...decided.decision, policyNo: event.payload.policyNo, productSubsidiary: event.subsidiary } };
}

/**
 * What crediting should do with this sale: the conflict this policy itself raised wins;
 * otherwise the newest conflict about the referral it converted; otherwise nothing (credit as usual).
 */
export function creditDecisionForPolicy(
  recorded: readonly RecordedConflict[],
  referralConflicts: readonly IndexedConflict[],
  event: EventEnvelope<'PolicyIssued'>,
): PolicyCreditDecision | undefined {
  return fromRecorded(recorded, event) ?? fromReferralConflicts(referralConflicts, event);
}
