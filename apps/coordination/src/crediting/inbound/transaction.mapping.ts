import type { EventEnvelope } from '@lib/contracts';
import type { PolicyCreditDecision, PolicyReferralLink } from '../../conflicts/conflicts.ports';
import type { PolicyRecordedData } from '../../portfolio/portfolio.events';
import { ConflictDecision, PaymentMode, PolicyTransaction, PolicyTransactionKind, ProductLine, Subsidiary } from '../domain';
import { withReferral } from '../ledger/referral-link';

/** A policy as the portfolio keeps it, with its seller's channel (coordination.policies + agents). */
export interface PolicyFacts {
  subsidiary: Subsidiary;
  policyNo: string;
  partyId: string;
  productLine: string;
  premiumAmount: string;
  premiumMode: string;
  effectiveDate: string;
  expiryDate: string;
  sellingAgentId: string;
  servicingAgentId: string;
  sellingSubsidiary: Subsidiary;
  sellingChannel: string;
  referralId: string | null;
  productSpecialistId: string | null;
}

export type LifecycleEvent = EventEnvelope<'PolicyRenewed' | 'PolicyEndorsed' | 'PolicyCancelled' | 'PolicyLapsed' | 'PolicyReinstated'>;

/** Conflicts' decision (award / split / reject) in the credit domain's terms. */
export function conflictDecisionOf(decision: { mode: 'award' | 'split' | 'reject'; shares: ReadonlyArray<{ agentId: string; pct: string }> }): ConflictDecision {
  switch (decision.mode) {
    case 'award':
      return { kind: 'award', agentId: decision.shares[0].agentId };
    case 'split':
      return { kind: 'split', shares: decision.shares.map((s) => ({ agentId: s.agentId, percent: s.pct })) };
    case 'reject':
      return { kind: 'reject-both' };
  }
}

/** A queued conflict withholds the sales leg until a coordinator decides (the listener re-credits then). */
function decisionOf(decision: PolicyCreditDecision | undefined): { conflictDecision?: ConflictDecision; pendingConflictId?: string } {
  if (!decision) return {};
  if (decision.status === 'pending') return { conflictDecision: { kind: 'reject-both' }, pendingConflictId: decision.conflictId };
  return { conflictDecision: conflictDecisionOf(decision.decision) };
}

export function issuedTransaction(
  eventId: string, recorded: PolicyRecordedData, referral?: PolicyReferralLink, decision?: PolicyCreditDecision,
): { transaction: PolicyTransaction; pendingConflictId?: string } {
  const { conflictDecision, pendingConflictId } = decisionOf(decision);
  const recordedIssue: PolicyTransaction = {
    kind: 'Issued', transactionId: eventId, policyNo: recorded.policyNo, productSubsidiary: recorded.subsidiary,
    productLine: recorded.productLine as ProductLine, premium: { amount: recorded.premium.amount, mode: recorded.premium.mode as PaymentMode },
    effectiveDate: recorded.effectiveDate, expiryDate: recorded.expiryDate, sellingAgentId: recorded.sellingAgentId,
    servicingAgentId: recorded.servicingAgentId, channel: recorded.sellingChannel, sellingSubsidiary: recorded.sellingSubsidiary,
    referralId: recorded.referralId ?? null, productSpecialistId: recorded.productSpecialistId, partyId: recorded.partyId,
    ...(conflictDecision ? { conflictDecision } : {}),
  };
  // Who the sales side credits: the seller, unless the sale converts another subsidiary's referral (see withReferral).
  const transaction = referral ? withReferral(recordedIssue, referral) : recordedIssue;
  return { transaction, ...(pendingConflictId ? { pendingConflictId } : {}) };
}

const KIND: Record<LifecycleEvent['type'], PolicyTransactionKind> = {
  PolicyRenewed: 'Renewed', PolicyEndorsed: 'Endorsed', PolicyCancelled: 'Cancelled', PolicyLapsed: 'Lapsed', PolicyReinstated: 'Reinstated',
};

/** Renewals, endorsements and status changes, read against the policy as the portfolio now holds it (an endorsement: its premium and dates those of the term it is dated in, see policyFacts). */
export function lifecycleTransaction(event: LifecycleEvent, policy: PolicyFacts): PolicyTransaction {
  const base: PolicyTransaction = {
    kind: KIND[event.type], transactionId: event.eventId, policyNo: policy.policyNo, productSubsidiary: policy.subsidiary,
    productLine: policy.productLine as ProductLine, premium: { amount: policy.premiumAmount, mode: policy.premiumMode as PaymentMode },
    effectiveDate: policy.effectiveDate, expiryDate: policy.expiryDate, sellingAgentId: policy.sellingAgentId,
    servicingAgentId: policy.servicingAgentId, channel: policy.sellingChannel, sellingSubsidiary: policy.sellingSubsidiary,
    referralId: policy.referralId, productSpecialistId: policy.productSpecialistId, partyId: policy.partyId,
  };
  switch (event.type) {
    case 'PolicyRenewed': {
      const p = event.payload;
      // The servicing agent the subsidiary reported: the domain follows a reassignment away from it.
      return { ...base, effectiveDate: p.newEffectiveDate, expiryDate: p.newExpiryDate, premium: { amount: p.premium.amount, mode: p.premium.mode }, servicingAgentId: p.servicingAgentId ?? policy.servicingAgentId };
    }
    case 'PolicyEndorsed':
      return { ...base, effectiveDate: event.payload.effectiveDate, premiumDelta: event.payload.premiumDelta };
    default:
      return { ...base, effectiveDate: event.payload.effectiveDate };
  }
}
