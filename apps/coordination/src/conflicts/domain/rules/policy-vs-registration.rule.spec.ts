import { facts, issued, registration } from '../testing/fixtures';
import { DEFAULT_DETECTION_CONFIG, IssuedPolicy } from './facts';
import { detectPolicyVsRegistration } from './policy-vs-registration.rule';

const holder = registration({ referralId: 'R-1', subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001' });
const detect = (policy: IssuedPolicy, registrations = [holder]) =>
  detectPolicyVsRegistration({ kind: 'policy-issued', policy }, facts({ registrations }), DEFAULT_DETECTION_CONFIG);

describe('rule: policy-vs-registration', () => {
  it('given a live registration by a life agent, when P&C issues the policy through its own agent without the referral, then conflict holder vs seller', () => {
    const [conflict] = detect(issued({ subsidiary: 'pnc', channel: 'AGENCY', sellingAgentId: 'P-2001' }));
    expect(conflict).toMatchObject({ kind: 'policy-vs-registration', productLine: 'MOTOR', subject: { policyNo: 'PP-2026-1' } });
    expect(conflict.claimants).toEqual([
      { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001', referralId: 'R-1', registeredAt: holder.registeredAt },
      { subsidiary: 'pnc', channel: 'AGENCY', agentId: 'P-2001' },
    ]);
    expect(conflict.evidence).toMatchObject({ bypassedReferralIds: ['R-1'], policyReferralId: null });
  });

  it('given a live registration, when the policy is sold by the same agent through another channel, then it is a conflict', () => {
    const policy = issued({ subsidiary: 'life', channel: 'BANCASSURANCE', sellingAgentId: 'A-1001' });
    expect(detect(policy)).toHaveLength(1);
  });

  it('given a live registration, when the policy names that referral, then no conflict (it is the conversion)', () => {
    expect(detect(issued({ referralId: 'R-1' }))).toEqual([]);
  });

  it('given a live registration, when the referring agent sells it themself through the same channel, then no conflict', () => {
    expect(detect(issued({ subsidiary: 'life', channel: 'AGENCY', sellingAgentId: 'A-1001' }))).toEqual([]);
  });

  it('given a registration whose window ended, when the policy is issued, then no conflict', () => {
    expect(detect(issued({ issuedAt: '2026-04-01T00:00:00Z' }))).toEqual([]);
  });

  it('given two registrations, when the policy names the later one, then the earlier holder claims against the seller holding R-2', () => {
    const second = registration({ referralId: 'R-2', subsidiary: 'pnc', channel: 'BROKER', agentId: 'P-2001', registeredAt: '2026-03-03T00:00:00Z' });
    const [conflict] = detect(issued({ channel: 'BROKER', referralId: 'R-2' }), [holder, second]);
    expect(conflict.claimants.map((c) => c.referralId)).toEqual(['R-1', 'R-2']);
  });
});
