import { profileTimeline, relationshipTeamOf } from './party-profiles';

describe('relationshipTeamOf', () => {
  it('given servicers ordered by premium, when the team is formed, then the first leads and the others are members once', () => {
    const team = relationshipTeamOf([
      { agent_id: 'G-RM-1', subsidiary: 'group', channel: 'GROUP_ACCOUNT' },
      { agent_id: 'A-1001', subsidiary: 'life', channel: 'AGENCY' },
      { agent_id: 'G-RM-1', subsidiary: 'group', channel: 'GROUP_ACCOUNT' },
      { agent_id: 'A-1001', subsidiary: 'life', channel: 'AGENCY' },
    ]);
    expect(team).toEqual({
      manager: { subsidiary: 'group', channel: 'GROUP_ACCOUNT', agentId: 'G-RM-1' },
      members: [{ subsidiary: 'life', agentId: 'A-1001' }],
    });
  });

  it('given no in-force policy, when the team is formed, then there is no team', () => {
    expect(relationshipTeamOf([])).toBeUndefined();
  });
});

describe('the party as it stood (profileTimeline: tier history)', () => {
  // 300k held since 1 March; a 300k group policy effective 1 April makes the client top-strategic then.
  const holdings = [{ effectiveDate: '2026-03-01', annualStandardPremium: '300000.00' }, { effectiveDate: '2026-04-01', annualStandardPremium: '300000.00' }];
  const servicers = [
    { agent_id: 'G-RM-1', subsidiary: 'group' as const, channel: 'GROUP_ACCOUNT', issued_at: new Date('2026-03-31T16:30:00Z') },
    { agent_id: 'A-1001', subsidiary: 'life' as const, channel: 'AGENCY', issued_at: new Date('2026-02-27T02:00:00Z') },
  ];
  const at = profileTimeline('P-1', holdings, servicers);

  it('given a moment before the second policy took effect, then the tier of that day (strategic), not today\'s', () => {
    expect(at('2026-03-20T09:00:00Z')).toEqual({ partyId: 'P-1', tier: 'MID_STRATEGIC' });
  });

  it('given a moment on its effective day (Beijing time), then top-strategic with the team servicing the policies issued by then', () => {
    expect(at('2026-03-31T16:00:00Z')).toEqual({
      partyId: 'P-1', tier: 'TOP_STRATEGIC', relationshipTeam: { manager: { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001' }, members: [] },
    });
    expect(at('2026-04-02T09:00:00Z')).toMatchObject({ tier: 'TOP_STRATEGIC', relationshipTeam: { manager: { agentId: 'G-RM-1' }, members: [{ agentId: 'A-1001' }] } });
  });
});
