import { ANY_PRODUCT_LINE, Claimant, claimantKey } from '../conflicts.types';
import { fromQuote, fromRegistration } from './claimants';
import { NewFact, RelationshipTeam } from './facts';
import { DetectionRule } from './rule';

type Approach = { claimant: Claimant; productLine: string; at: string; partyId: string; via: string };

function approachOf(fact: NewFact): Approach | undefined {
  switch (fact.kind) {
    case 'registration': {
      const r = fact.registration;
      return { claimant: fromRegistration(r), productLine: r.productLine, at: r.registeredAt, partyId: r.partyId, via: 'registration' };
    }
    case 'quote': {
      const q = fact.quote;
      return { claimant: fromQuote(q), productLine: q.productLine, at: q.quotedAt, partyId: q.partyId, via: 'quote' };
    }
    case 'activity': {
      const a = fact.activity;
      const claimant: Claimant = { subsidiary: a.subsidiary, channel: a.channel, agentId: a.agentId };
      return { claimant, productLine: a.productLine ?? ANY_PRODUCT_LINE, at: a.at, partyId: a.partyId, via: 'activity' };
    }
    case 'policy-issued':
      return undefined; // an issued policy is judged against registrations, not as an approach
  }
}

const inTeam = (team: RelationshipTeam, c: Claimant): boolean =>
  [team.manager, ...team.members].some((m) => claimantKey(m) === claimantKey(c));

/**
 * A top-strategic client has one dedicated relationship team (DOMAIN: three salespeople of one group
 * must not approach the same client); anyone else approaching it is a conflict with that team.
 */
export const detectStrategicAccount: DetectionRule = (fact, facts) => {
  const approach = approachOf(fact);
  const party = facts.party;
  if (!approach || !party || party.partyId !== approach.partyId) return [];
  if (party.tier !== 'TOP_STRATEGIC' || !party.relationshipTeam) return [];
  if (inTeam(party.relationshipTeam, approach.claimant)) return [];
  return [
    {
      kind: 'strategic-account',
      partyId: party.partyId,
      productLine: approach.productLine,
      claimants: [{ ...party.relationshipTeam.manager }, approach.claimant],
      evidence: {
        reason: `top-strategic client approached by ${approach.via} from outside its relationship team`,
        via: approach.via,
        at: approach.at,
        tier: party.tier,
      },
      ...(approach.claimant.referralId ? { subject: { referralId: approach.claimant.referralId } } : {}),
    },
  ];
};
