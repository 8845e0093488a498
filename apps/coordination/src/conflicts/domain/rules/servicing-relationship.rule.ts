import { Claimant, claimantKey } from '../conflicts.types';
import { fromRegistration } from './claimants';
import { DetectionRule } from './rule';

/** A registration for a party whose in-force policy in that line is serviced by another agent. */
export const detectServicingRelationship: DetectionRule = (fact, facts) => {
  if (fact.kind !== 'registration') return [];
  const reg = fact.registration;
  const serviced = facts.policies.filter(
    (p) =>
      p.partyId === reg.partyId &&
      p.productLine === reg.productLine &&
      claimantKey({ subsidiary: p.subsidiary, agentId: p.servicingAgentId }) !== claimantKey(reg),
  );
  if (serviced.length === 0) return [];
  const servicers = new Map<string, Claimant>();
  for (const p of serviced) {
    const c: Claimant = { subsidiary: p.subsidiary, channel: p.channel, agentId: p.servicingAgentId };
    servicers.set(claimantKey(c), c);
  }
  return [
    {
      kind: 'servicing-relationship',
      partyId: reg.partyId,
      productLine: reg.productLine,
      claimants: [...servicers.values(), fromRegistration(reg)],
      evidence: {
        reason: 'the party already holds an in-force policy in this line serviced by another agent',
        policyNos: serviced.map((p) => p.policyNo),
        referralId: reg.referralId,
      },
      subject: { referralId: reg.referralId },
    },
  ];
};
