/**
 * A policy as the 360° view needs it, folded from the portfolio's policy-stream events,
 * and the holdings/claims one party sees in it. Pure; the projection stores the fold.
 */
import Decimal from 'decimal.js';
import type { PortfolioEvent } from '../../portfolio/portfolio.events';
import type { ClaimFact, HoldingFact, HoldingRole, Money, Subsidiary } from '../domain';

export interface PolicyFact {
  subsidiary: Subsidiary;
  policyNo: string;
  productCode: string;
  productLine: string;
  holderLocalId: string;
  insuredLocalIds: string[];
  beneficiaryLocalIds: string[];
  status: 'in-force' | 'cancelled' | 'lapsed';
  premium: Money;
  /** Annual standard premium as the subsidiary's catalogue computed it; null when it sent none. */
  standardPremium: string | null;
  effectiveDate: string;
  expiryDate: string;
  sellingAgentId: string;
  servicingAgentId: string;
  claims: ClaimFact[];
}

export const POLICY_EVENT_TYPES = [
  'PolicyRecorded', 'PolicyRenewalRecorded', 'PolicyEndorsementRecorded', 'PolicyStatusChanged',
  'PolicyServicingReassigned', 'ClaimRecorded', 'ClaimSettlementRecorded',
] as const;
export type PolicyEvent = Extract<PortfolioEvent, { type: (typeof POLICY_EVENT_TYPES)[number] }>;

export const partyKey = (subsidiary: string, localId: string): string => `${subsidiary}:${localId}`;

/** Everyone the policy names, as 'sub:localId' keys (a party's links find its policies by these). */
export const partyKeysOf = (p: PolicyFact): string[] =>
  [...new Set([p.holderLocalId, ...p.insuredLocalIds, ...p.beneficiaryLocalIds])].map((id) => partyKey(p.subsidiary, id));

const plus = (a: string, b: string): string => new Decimal(a).plus(b).toFixed(2);

export function applyPolicyEvent(fact: PolicyFact | null, event: PolicyEvent): PolicyFact | null {
  if (event.type === 'PolicyRecorded') {
    const d = event.data;
    return {
      subsidiary: d.subsidiary, policyNo: d.policyNo, productCode: d.productCode, productLine: d.productLine,
      holderLocalId: d.holderLocalId, insuredLocalIds: d.insured.map((i) => i.localId), beneficiaryLocalIds: d.beneficiaries.map((b) => b.localId),
      status: 'in-force', premium: d.premium, standardPremium: d.standardPremium, effectiveDate: d.effectiveDate, expiryDate: d.expiryDate,
      sellingAgentId: d.sellingAgentId, servicingAgentId: d.servicingAgentId, claims: fact?.claims ?? [],
    };
  }
  if (!fact) return null; // the portfolio records a policy before anything happens to it
  switch (event.type) {
    case 'PolicyRenewalRecorded': {
      const d = event.data;
      return { ...fact, effectiveDate: d.newEffectiveDate, expiryDate: d.newExpiryDate, premium: d.premium, standardPremium: d.standardPremium, servicingAgentId: d.servicingAgentId };
    }
    case 'PolicyEndorsementRecorded': {
      const d = event.data;
      const standardPremium = fact.standardPremium !== null && d.standardPremiumDelta !== null ? plus(fact.standardPremium, d.standardPremiumDelta) : fact.standardPremium;
      return { ...fact, premium: { ...fact.premium, amount: plus(fact.premium.amount, d.premiumDelta) }, standardPremium };
    }
    case 'PolicyStatusChanged':
      return { ...fact, status: event.data.to };
    case 'PolicyServicingReassigned':
      return { ...fact, servicingAgentId: event.data.toAgentId };
    case 'ClaimRecorded':
    case 'ClaimSettlementRecorded':
      return { ...fact, claims: withClaim(fact, event) };
    default:
      return fact;
  }
}

function withClaim(fact: PolicyFact, event: Extract<PolicyEvent, { type: 'ClaimRecorded' | 'ClaimSettlementRecorded' }>): ClaimFact[] {
  const d = event.data;
  const known = fact.claims.find((c) => c.claimId === d.claimNo);
  const next: ClaimFact = event.type === 'ClaimRecorded'
    ? { subsidiary: fact.subsidiary, claimId: d.claimNo, policyNo: fact.policyNo, status: known?.status ?? 'reported', reportedAt: event.data.reportedAt, paidAmount: known?.paidAmount ?? null }
    : {
        subsidiary: fact.subsidiary, claimId: d.claimNo, policyNo: fact.policyNo, reportedAt: known?.reportedAt ?? event.data.settledAt,
        // "0.00" is how a subsidiary reports a declined claim.
        status: new Decimal(event.data.amountPaid).isZero() ? 'rejected' : 'settled', paidAmount: event.data.amountPaid,
      };
  return [...fact.claims.filter((c) => c.claimId !== d.claimNo), next].sort((a, b) => a.claimId.localeCompare(b.claimId));
}

const PERIODS: Record<string, number> = { ANNUAL: 1, SEMI_ANNUAL: 2, QUARTERLY: 4, MONTHLY: 12, SINGLE: 1 };

/** Without a catalogue figure the annualised premium stands in (factor 1), so tiers still move. */
export function annualStandardPremium(p: PolicyFact): string {
  if (p.standardPremium !== null) return new Decimal(p.standardPremium).toFixed(2);
  return new Decimal(p.premium.amount).times(PERIODS[p.premium.mode] ?? 1).toFixed(2);
}

/**
 * The party's holding in the policy, under its strongest role (holder, then insured, then
 * beneficiary): one holding per policy, so the view's policy counts stay counts of policies.
 */
export function holdingsFor(p: PolicyFact, keys: ReadonlySet<string>): HoldingFact[] {
  const has = (localId: string) => keys.has(partyKey(p.subsidiary, localId));
  const role: HoldingRole | null = has(p.holderLocalId) ? 'holder'
    : p.insuredLocalIds.some(has) ? 'insured'
    : p.beneficiaryLocalIds.some(has) ? 'beneficiary'
    : null;
  if (role === null) return [];
  return [{
    subsidiary: p.subsidiary, policyNo: p.policyNo, productCode: p.productCode, productLine: p.productLine, role, status: p.status,
    premium: p.premium, annualStandardPremium: annualStandardPremium(p), sellingAgentId: p.sellingAgentId,
    servicingAgentId: p.servicingAgentId, effectiveDate: p.effectiveDate, expiryDate: p.expiryDate,
  }];
}

/** Claims show on the holder's view: the portfolio records no claimant per claim. */
export const claimsFor = (p: PolicyFact, keys: ReadonlySet<string>): ClaimFact[] =>
  keys.has(partyKey(p.subsidiary, p.holderLocalId)) ? p.claims : [];
