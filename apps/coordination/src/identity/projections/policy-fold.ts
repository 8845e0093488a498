/**
 * A policy as the 360° view needs it, folded from the portfolio's policy-stream events,
 * and the holdings/claims one party sees in it. Pure; the projection stores the fold.
 */
import Decimal from 'decimal.js';
import type { PortfolioEvent } from '../../portfolio/portfolio.events';
import type { ClaimFact, HoldingFact, HoldingRole, Money, Subsidiary } from '../domain';

/** One term of a policy (its issue's or a renewal's), with the premium it was written at. */
export interface TermFact {
  effectiveDate: string;
  expiryDate: string;
  premium: Money;
  standardPremium: string | null;
}

/** One endorsement, by its business date: it changes the premium of the term it is dated in. */
export interface EndorsementFact {
  /** The PolicyEndorsementRecorded event's id (each report is one change); null when folded without one. */
  eventId: string | null;
  effectiveDate: string;
  premiumDelta: string;
  standardPremiumDelta: string | null;
}

export interface PolicyFact {
  subsidiary: Subsidiary;
  policyNo: string;
  productCode: string;
  productLine: string;
  holderLocalId: string;
  insuredLocalIds: string[];
  beneficiaryLocalIds: string[];
  status: 'in-force' | 'cancelled' | 'lapsed';
  /** The current term's (the latest started) premium, changed by the endorsements dated in it. */
  premium: Money;
  /** Annual standard premium as the subsidiary's catalogue computed it, for the current term as endorsed; null when it sent none. */
  standardPremium: string | null;
  /** The current term's dates. */
  effectiveDate: string;
  expiryDate: string;
  sellingAgentId: string;
  servicingAgentId: string;
  claims: ClaimFact[];
  /** Every term reported, by start date: the figures above are derived from them and the endorsements, whatever order they arrived in. */
  terms: TermFact[];
  /** Every endorsement reported, by date (one dated in no term, or in an earlier one, changes no current premium). */
  endorsements: EndorsementFact[];
}

export const POLICY_EVENT_TYPES = [
  'PolicyRecorded', 'PolicyRenewalRecorded', 'PolicyEndorsementRecorded', 'PolicyStatusChanged',
  'PolicyServicingReassigned', 'ClaimRecorded', 'ClaimSettlementRecorded',
] as const;
export type PolicyEvent = Extract<PortfolioEvent, { type: (typeof POLICY_EVENT_TYPES)[number] }>;
/** A policy event as recorded: its id keys an endorsement, so folding one twice counts it once. */
export type RecordedPolicyEvent = PolicyEvent & { eventId?: string };

export const partyKey = (subsidiary: string, localId: string): string => `${subsidiary}:${localId}`;

/** Everyone the policy names, as 'sub:localId' keys (a party's links find its policies by these). */
export const partyKeysOf = (p: PolicyFact): string[] =>
  [...new Set([p.holderLocalId, ...p.insuredLocalIds, ...p.beneficiaryLocalIds])].map((id) => partyKey(p.subsidiary, id));

const byStart = (a: TermFact, b: TermFact) => a.effectiveDate.localeCompare(b.effectiveDate);
const byDate = (a: EndorsementFact, b: EndorsementFact) => a.effectiveDate.localeCompare(b.effectiveDate) || (a.eventId ?? '').localeCompare(b.eventId ?? '');

/** A term reported again (same start) takes the later report, as the portfolio's terms do. */
const withTerm = (terms: readonly TermFact[], term: TermFact): TermFact[] =>
  [...terms.filter((t) => t.effectiveDate !== term.effectiveDate), term].sort(byStart);

const withEndorsement = (endorsements: readonly EndorsementFact[], e: EndorsementFact): EndorsementFact[] =>
  (e.eventId !== null && endorsements.some((known) => known.eventId === e.eventId) ? [...endorsements] : [...endorsements, e].sort(byDate));

/** A row folded before terms were kept: its current figures stand as its one term (migration 1767300100002 fills them in). */
const termsOf = (fact: PolicyFact): TermFact[] =>
  fact.terms ?? [{ effectiveDate: fact.effectiveDate, expiryDate: fact.expiryDate, premium: fact.premium, standardPremium: fact.standardPremium }];

/**
 * The policy's current figures from its terms and endorsements: the latest term started (a renewal
 * states the next term's premium in full), its premium and catalogue standard premium changed by the
 * endorsements dated inside it (both ends inclusive). An endorsement dated in an earlier term ended
 * with it, and one dated in no term changes none, whatever order the reports arrived in.
 */
export function current(terms: readonly TermFact[], endorsements: readonly EndorsementFact[]): Pick<PolicyFact, 'premium' | 'standardPremium' | 'effectiveDate' | 'expiryDate'> {
  const term = [...terms].sort(byStart)[terms.length - 1];
  const dated = endorsements.filter((e) => term.effectiveDate <= e.effectiveDate && e.effectiveDate <= term.expiryDate);
  const amount = dated.reduce((sum, e) => sum.plus(e.premiumDelta), new Decimal(term.premium.amount));
  const standardPremium = term.standardPremium === null ? null
    : dated.reduce((sum, e) => (e.standardPremiumDelta === null ? sum : sum.plus(e.standardPremiumDelta)), new Decimal(term.standardPremium)).toFixed(2);
  return { premium: { ...term.premium, amount: amount.toFixed(2) }, standardPremium, effectiveDate: term.effectiveDate, expiryDate: term.expiryDate };
}

const withHistory = (fact: PolicyFact, terms: TermFact[], endorsements: EndorsementFact[]): PolicyFact => ({ ...fact, terms, endorsements, ...current(terms, endorsements) });

export function applyPolicyEvent(fact: PolicyFact | null, event: RecordedPolicyEvent): PolicyFact | null {
  if (event.type === 'PolicyRecorded') {
    const d = event.data;
    const issued = { effectiveDate: d.effectiveDate, expiryDate: d.expiryDate, premium: d.premium, standardPremium: d.standardPremium ?? null };
    const recorded: PolicyFact = {
      subsidiary: d.subsidiary, policyNo: d.policyNo, productCode: d.productCode, productLine: d.productLine,
      holderLocalId: d.holderLocalId, insuredLocalIds: d.insured.map((i) => i.localId), beneficiaryLocalIds: d.beneficiaries.map((b) => b.localId),
      status: 'in-force', ...issued, sellingAgentId: d.sellingAgentId, servicingAgentId: d.servicingAgentId, claims: fact?.claims ?? [],
      terms: [], endorsements: [],
    };
    return withHistory(recorded, withTerm(fact ? termsOf(fact) : [], issued), fact?.endorsements ?? []);
  }
  if (!fact) return null; // the portfolio records a policy before anything happens to it
  switch (event.type) {
    case 'PolicyRenewalRecorded': {
      const d = event.data;
      const renewed = { effectiveDate: d.newEffectiveDate, expiryDate: d.newExpiryDate, premium: d.premium, standardPremium: d.standardPremium ?? null };
      // The status the portfolio row takes by business date; a renewal recorded before it was kept left the status alone.
      return withHistory({ ...fact, servicingAgentId: d.servicingAgentId, status: d.policyStatus ?? fact.status }, withTerm(termsOf(fact), renewed), fact.endorsements ?? []);
    }
    case 'PolicyEndorsementRecorded': {
      const d = event.data;
      const endorsement = { eventId: event.eventId ?? null, effectiveDate: d.effectiveDate, premiumDelta: d.premiumDelta, standardPremiumDelta: d.standardPremiumDelta ?? null };
      return withHistory(fact, termsOf(fact), withEndorsement(fact.endorsements ?? [], endorsement));
    }
    case 'PolicyStatusChanged':
      // As the row has it by business date (a cancellation dated before a renewed term leaves it in force); recorded before that was kept, the reported status.
      return { ...fact, status: event.data.policyStatus ?? event.data.to };
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
