/** Pure fold from a party's events and resolved facts into the 360° view. */
import Decimal from 'decimal.js';
import { PartyLink, SUBSIDIARIES } from './identity.types';
import { evolve, initialState } from './party.decider';
import { PartyEvent } from './party.events';
import { DEFAULT_SURVIVORSHIP_RULES, goldenProfile, SurvivorshipRules } from './survivorship';
import { assessTier, DEFAULT_TIER_THRESHOLDS, TierThresholds } from './tier';
import {
  ClaimFact, ClaimsSummary, ClientView, HoldingFact, HoldingSummary, IdentityView, ProductLineRef,
  RelationshipFact, RelationshipRole, RelationshipType, RelationshipView, ServicingAgentView,
} from './client-view.types';

export interface ClientViewInputs {
  partyEvents: PartyEvent[];
  holdings: HoldingFact[];
  claims: ClaimFact[];
  relationships: RelationshipFact[];
  openReferralIds: string[];
  openConflictIds: string[];
  allProductLines: ProductLineRef[];
  asOf: string;
  survivorshipRules?: SurvivorshipRules;
  tierThresholds?: TierThresholds;
}

export function buildClientView(input: ClientViewInputs): ClientView {
  const state = input.partyEvents.reduce(evolve, initialState());
  if (state.status === 'empty') throw new Error('cannot build a view for a party with no events');
  const links = Object.values(state.links).sort((a, b) => `${a.subsidiary}:${a.localId}`.localeCompare(`${b.subsidiary}:${b.localId}`));
  const tier = assessTier(input.holdings, input.tierThresholds ?? DEFAULT_TIER_THRESHOLDS);
  return {
    partyId: state.partyId,
    kind: state.kind,
    status: state.status,
    mergedInto: state.mergedInto?.survivorId ?? null,
    asOf: input.asOf,
    subsidiaries: SUBSIDIARIES.filter((s) => links.some((l) => l.subsidiary === s)),
    identities: links.map(identityView),
    profile: goldenProfile(links, input.survivorshipRules ?? DEFAULT_SURVIVORSHIP_RULES),
    holdings: input.holdings,
    holdingsSummary: summariseHoldings(input.holdings),
    claims: input.claims,
    claimsSummary: summariseClaims(input.claims),
    servicingAgents: servicingAgents(input.holdings),
    relationships: relationshipsOf(state.partyId, input.relationships),
    tier,
    openReferralIds: [...input.openReferralIds].sort(),
    openConflictIds: [...input.openConflictIds].sort(),
    productLines: productLines(input.holdings, input.allProductLines),
    redactedSubsidiaries: [],
  };
}

function identityView(l: PartyLink): IdentityView {
  const r = l.record;
  return {
    redacted: false, subsidiary: l.subsidiary, localId: l.localId,
    identity: r.identity ? { type: r.identity.type, masked: r.identity.masked } : null,
    method: l.method, score: l.score, linkedAt: l.linkedAt, consent: l.consent,
    profile: {
      name: r.name, gender: r.gender ?? null, birthDate: r.birthDate ?? null, phones: r.phones, emails: r.emails,
      address: r.address ?? null, creditCode: r.creditCode ?? null, industry: r.industry ?? null, size: r.size ?? null,
      asOf: r.occurredAt,
    },
  };
}

const sumOf = (xs: (string | null)[]): string => xs.reduce((s, x) => s.plus(x ?? 0), new Decimal(0)).toFixed(2);

export function summariseHoldings(holdings: HoldingFact[]): HoldingSummary[] {
  const groups = new Map<string, HoldingFact[]>();
  for (const h of holdings) groups.set(`${h.subsidiary}|${h.productLine}`, [...(groups.get(`${h.subsidiary}|${h.productLine}`) ?? []), h]);
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, hs]) => {
    const inForce = hs.filter((h) => h.status === 'in-force');
    return {
      subsidiary: hs[0].subsidiary, productLine: hs[0].productLine, policies: new Set(hs.map((h) => h.policyNo)).size,
      inForce: inForce.length, annualStandardPremium: sumOf(inForce.filter((h) => h.role === 'holder').map((h) => h.annualStandardPremium)),
    };
  });
}

export function summariseClaims(claims: ClaimFact[]): ClaimsSummary {
  const isOpen = (c: ClaimFact) => c.status === 'reported';
  const bySubsidiary = SUBSIDIARIES.map((subsidiary) => claims.filter((c) => c.subsidiary === subsidiary))
    .filter((cs) => cs.length > 0)
    .map((cs) => ({ subsidiary: cs[0].subsidiary, total: cs.length, open: cs.filter(isOpen).length, paidAmount: sumOf(cs.map((c) => c.paidAmount)) }));
  return {
    total: claims.length, open: claims.filter(isOpen).length, settled: claims.filter((c) => c.status === 'settled').length,
    paidAmount: sumOf(claims.map((c) => c.paidAmount)), bySubsidiary,
  };
}

export function servicingAgents(holdings: HoldingFact[]): ServicingAgentView[] {
  const agents = new Map<string, ServicingAgentView>();
  for (const h of holdings.filter((x) => x.status === 'in-force' && x.servicingAgentId)) {
    const key = `${h.subsidiary}|${h.servicingAgentId}`;
    const entry = agents.get(key) ?? { subsidiary: h.subsidiary, agentId: h.servicingAgentId!, policyNos: [] };
    if (!entry.policyNos.includes(h.policyNo)) entry.policyNos.push(h.policyNo);
    agents.set(key, entry);
  }
  return [...agents.values()].sort((a, b) => `${a.subsidiary}|${a.agentId}`.localeCompare(`${b.subsidiary}|${b.agentId}`));
}

const INVERSE: Record<RelationshipType, RelationshipRole> = {
  spouse: 'spouse', child: 'parent', parent: 'child', beneficiary: 'has-beneficiary',
  insured: 'has-insured', 'employee-of': 'employer-of', 'officer-of': 'has-officer',
};

/** The graph is stored once per declaration and read from both ends. */
export function relationshipsOf(partyId: string, facts: RelationshipFact[]): RelationshipView[] {
  const seen = new Set<string>();
  const views: RelationshipView[] = [];
  for (const f of facts) {
    if (seen.has(f.relationshipId)) continue;
    seen.add(f.relationshipId);
    const common = { relationshipId: f.relationshipId, subsidiary: f.subsidiary, declaredAt: f.declaredAt };
    if (f.fromPartyId === partyId) views.push({ ...common, role: f.type, direction: 'outgoing', otherPartyId: f.toPartyId });
    else if (f.toPartyId === partyId) views.push({ ...common, role: INVERSE[f.type], direction: 'incoming', otherPartyId: f.fromPartyId });
  }
  return views.sort((a, b) => a.relationshipId.localeCompare(b.relationshipId));
}

export function productLines(holdings: HoldingFact[], all: ProductLineRef[]): ClientView['productLines'] {
  const key = (p: ProductLineRef) => `${p.subsidiary}|${p.productLine}`;
  const heldKeys = new Set(holdings.filter((h) => h.status === 'in-force' && h.role !== 'beneficiary').map(key));
  const catalogue = [...new Map([...all, ...holdings].map((p) => [key(p), { subsidiary: p.subsidiary, productLine: p.productLine }])).values()]
    .sort((a, b) => key(a).localeCompare(key(b)));
  return { held: catalogue.filter((p) => heldKeys.has(key(p))), notHeld: catalogue.filter((p) => !heldKeys.has(key(p)) && all.some((a) => key(a) === key(p))) };
}

