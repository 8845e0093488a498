import { Harness, company, onboardAgents, policy, referral } from './testing/harness';
import { RecordingCrediting } from './testing/stand-ins';

jest.setTimeout(120_000);

// Conflicts composed with the real identity and portfolio modules, in the app's handler order.
const h = new Harness();
beforeAll(async () => {
  await h.start('conflicts_real', 'real');
  await onboardAgents(h);
});
afterAll(() => h.stop());

describe('conflicts between the real identity and portfolio modules', () => {
  it('given one company known to life and group, then rival registrations meet on identity’s party and the sale converts through portfolio’s row', async () => {
    await h.feed('ClientRegistered', 'life', company('LIFE-ORG-21', 21));
    await h.feed('ClientRegistered', 'group', company('GRP-ORG-21', 21));
    await h.feed('ReferralRegistered', 'life', referral('R-21L', 'LIFE-ORG-21', 'group', 'GROUP_HEALTH', 'A-1001', '2026-03-01T09:00:00+08:00'));
    await h.feed('ReferralRegistered', 'group', referral('R-21G', 'GRP-ORG-21', 'group', 'GROUP_HEALTH', 'G-3001', '2026-03-02T09:00:00+08:00'));
    const [lifeRef, groupRef] = await Promise.all([h.referralView('R-21L', 'registered'), h.referralView('R-21G', 'registered')]);
    expect(groupRef.party_id).toBe(lifeRef.party_id);
    const conflict = await h.conflict("kind = 'duplicate-registration' AND party_id = $1", [lifeRef.party_id], 'auto-resolved');
    expect(conflict.state.outcome).toMatchObject({ rule: 'first-valid-registration', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }] });

    await h.feed('PolicyIssued', 'group', policy('GP-21', 'GRP-ORG-21', 'GROUP_HEALTH', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', 'R-21G'), '2026-03-05T10:00:00+08:00');
    await h.referralView('R-21G', 'converted');
    expect(h.app.get(RecordingCrediting).issued.get('GP-21')?.decision).toMatchObject({
      status: 'decided', decision: { conflictId: conflict.conflict_id, mode: 'award', policyNo: 'GP-21', productSubsidiary: 'group' },
    });
  });
});
