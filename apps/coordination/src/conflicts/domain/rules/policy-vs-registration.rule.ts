import { Claimant } from '../conflicts.types';
import { toMs } from '../time';
import { byRegisteredAt, fromPolicySeller, fromRegistration } from './claimants';
import { IssuedPolicy, LiveRegistration } from './facts';
import { DetectionRule } from './rule';

const soldBy = (r: LiveRegistration, p: IssuedPolicy): boolean => r.agentId === p.sellingAgentId && r.channel === p.channel && r.subsidiary === p.subsidiary;

// The seller keeps the registration they hold (named or their own), so first-valid-registration can judge them.
function sellerClaimant(policy: IssuedPolicy, live: readonly LiveRegistration[]): Claimant {
  const own = live.find((r) => r.referralId === policy.referralId) ?? live.find((r) => soldBy(r, policy));
  return own && own.agentId === policy.sellingAgentId ? fromRegistration(own) : fromPolicySeller(policy);
}

/** A policy issued by another agent or channel than the one holding a live registration for that party and line. */
export const detectPolicyVsRegistration: DetectionRule = (fact, facts) => {
  if (fact.kind !== 'policy-issued') return [];
  const policy = fact.policy;
  const issued = toMs(policy.issuedAt, 'issuedAt');
  const live = facts.registrations.filter(
    (r) =>
      r.partyId === policy.partyId &&
      r.productLine === policy.productLine &&
      toMs(r.registeredAt) <= issued &&
      issued < toMs(r.windowEndsAt),
  );
  const bypassed = live.filter((r) => r.referralId !== policy.referralId && !soldBy(r, policy)).sort(byRegisteredAt);
  if (bypassed.length === 0) return [];
  return [
    {
      kind: 'policy-vs-registration',
      partyId: policy.partyId,
      productLine: policy.productLine,
      claimants: [...bypassed.map(fromRegistration), sellerClaimant(policy, live)],
      evidence: {
        reason: 'policy issued by another agent or channel while a registration was live',
        policyNo: policy.policyNo,
        issuedAt: policy.issuedAt,
        bypassedReferralIds: bypassed.map((r) => r.referralId),
        policyReferralId: policy.referralId ?? null,
      },
      subject: { policyNo: policy.policyNo, ...(policy.referralId ? { referralId: policy.referralId } : {}) },
    },
  ];
};
