import { ANY_PRODUCT_LINE, Claimant, DetectedConflict, claimantKey } from '../conflicts.types';
import { ConflictFacts } from '../rules/facts';
import { toMs } from '../time';
import { ResolutionRuleName } from './precedence';

/** A resolution rule names the single winner it is sure of, or abstains. */
export type ResolutionRule = (conflict: DetectedConflict, facts: ConflictFacts) => Claimant | undefined;

// Two claimants both qualifying is a tie, and a tie is for a person to settle.
const single = (candidates: readonly Claimant[]): Claimant | undefined => {
  const keys = new Set(candidates.map(claimantKey));
  return keys.size === 1 ? candidates[0] : undefined;
};

const servicingRelationship: ResolutionRule = (conflict, facts) => {
  const servicers = new Set(
    facts.policies
      .filter((p) => p.partyId === conflict.partyId && (conflict.productLine === ANY_PRODUCT_LINE || p.productLine === conflict.productLine))
      .map((p) => claimantKey({ subsidiary: p.subsidiary, agentId: p.servicingAgentId })),
  );
  return single(conflict.claimants.filter((c) => servicers.has(claimantKey(c))));
};

const strategicAccount: ResolutionRule = (conflict, facts) => {
  const party = facts.party;
  if (!party || party.partyId !== conflict.partyId || party.tier !== 'TOP_STRATEGIC' || !party.relationshipTeam) return undefined;
  const team = new Set([party.relationshipTeam.manager, ...party.relationshipTeam.members].map(claimantKey));
  return single(conflict.claimants.filter((c) => team.has(claimantKey(c))));
};

const firstValidRegistration: ResolutionRule = (conflict) => {
  const registered = conflict.claimants.filter((c) => c.referralId !== undefined && c.registeredAt !== undefined);
  if (registered.length === 0) return undefined;
  const earliest = Math.min(...registered.map((c) => toMs(c.registeredAt as string)));
  return single(registered.filter((c) => toMs(c.registeredAt as string) === earliest));
};

export const RESOLUTION_RULE_FNS: Readonly<Record<ResolutionRuleName, ResolutionRule>> = {
  'servicing-relationship': servicingRelationship,
  'strategic-account': strategicAccount,
  'first-valid-registration': firstValidRegistration,
};
