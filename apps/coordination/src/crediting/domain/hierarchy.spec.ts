import { buildHierarchy, placementAt } from './hierarchy';
import { AGENT_FACTS } from './ledger.fixtures';

describe('agent hierarchy history', () => {
  it('answers where an agent stood on any date (transfer on 1 July)', () => {
    const history = buildHierarchy(AGENT_FACTS);
    expect(placementAt(history, 'A-1', '2024-12-31')).toBeUndefined();
    expect(placementAt(history, 'A-1', '2026-06-30')).toMatchObject({ teamId: 'T1', branchId: 'B1', leaderId: 'A-0', to: '2026-07-01' });
    expect(placementAt(history, 'A-1', '2026-07-01')).toMatchObject({ teamId: 'T2', branchId: 'B2', leaderId: 'A-9', to: null, active: true });
  });

  it('keeps periods sorted when a fact arrives after a later-dated one', () => {
    const onboarding = AGENT_FACTS.filter((f) => f.type === 'AgentOnboarded');
    const transfer = AGENT_FACTS.filter((f) => f.type === 'AgentTransferred');
    const history = buildHierarchy([...onboarding, { type: 'AgentTerminated', agentId: 'A-1', effectiveDate: '2026-09-01' }, ...transfer]);
    expect(placementAt(history, 'A-1', '2026-07-15')).toMatchObject({ teamId: 'T2', active: true, to: '2026-09-01' });
    expect(placementAt(history, 'A-1', '2026-09-02')).toMatchObject({ active: false });
  });

  it('a late-arriving termination closes the period it falls in', () => {
    const history = buildHierarchy([...AGENT_FACTS, { type: 'AgentTerminated', agentId: 'A-1', effectiveDate: '2026-05-01' }]);
    expect(placementAt(history, 'A-1', '2026-05-15')).toMatchObject({ active: false, teamId: 'T1' });
  });
});
