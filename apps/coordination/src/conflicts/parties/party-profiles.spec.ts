import { relationshipTeamOf } from './party-profiles';

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
