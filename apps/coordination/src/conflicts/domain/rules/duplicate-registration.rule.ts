import { claimantKey } from '../conflicts.types';
import { toMs } from '../time';
import { byRegisteredAt, fromRegistration } from './claimants';
import { LiveRegistration } from './facts';
import { DetectionRule } from './rule';

const overlaps = (a: LiveRegistration, b: LiveRegistration): boolean =>
  toMs(a.registeredAt) < toMs(b.windowEndsAt) && toMs(b.registeredAt) < toMs(a.windowEndsAt);

/** Two claimants registering the same party and product line while both windows are open. */
export const detectDuplicateRegistration: DetectionRule = (fact, facts) => {
  if (fact.kind !== 'registration') return [];
  const reg = fact.registration;
  const rivals = facts.registrations.filter(
    (r) =>
      r.referralId !== reg.referralId &&
      r.partyId === reg.partyId &&
      r.productLine === reg.productLine &&
      claimantKey(r) !== claimantKey(reg) && // one agent registering twice is housekeeping, not a fight
      overlaps(r, reg),
  );
  if (rivals.length === 0) return [];
  const all = [...rivals, reg].sort(byRegisteredAt);
  return [
    {
      kind: 'duplicate-registration',
      partyId: reg.partyId,
      productLine: reg.productLine,
      claimants: all.map(fromRegistration),
      evidence: {
        reason: `${all.length} open registrations for the same party and product line`,
        referralIds: all.map((r) => r.referralId),
        newReferralId: reg.referralId,
      },
      subject: { referralId: reg.referralId },
    },
  ];
};
