import { buildHierarchy, placementAt } from '../domain';
import { agentFactsFrom, AgentHistoryRow } from './agent-facts';

const row = (agentId: string, effectiveDate: string, teamId: string, extra: Partial<AgentHistoryRow> = {}): AgentHistoryRow => ({
  agentId, effectiveDate, subsidiary: 'life', branchId: `B-${teamId}`, teamId, leaderId: null, channel: 'AGENCY', terminatedAt: null, ...extra,
});

describe('hierarchy facts from the portfolio look-up', () => {
  const rows = [
    row('A-1', '2026-01-05', 'T1', { leaderId: 'A-0' }),
    row('A-1', '2026-07-01', 'T2', { leaderId: 'A-9', terminatedAt: '2026-12-31' }),
    row('A-2', '2026-02-01', 'T1', { subsidiary: 'pnc' }),
  ];

  it('turns the first placement into an onboarding, later ones into transfers, and ends with the termination', () => {
    expect(agentFactsFrom(rows).map((f) => `${f.type}:${f.agentId}:${f.effectiveDate}`)).toEqual([
      'AgentOnboarded:A-1:2026-01-05', 'AgentTransferred:A-1:2026-07-01', 'AgentTerminated:A-1:2026-12-31', 'AgentOnboarded:A-2:2026-02-01',
    ]);
  });

  it('places an agent as they stood on a date', () => {
    const hierarchy = buildHierarchy(agentFactsFrom(rows));
    expect(placementAt(hierarchy, 'A-1', '2026-06-30')).toMatchObject({ teamId: 'T1', leaderId: 'A-0', active: true });
    expect(placementAt(hierarchy, 'A-1', '2026-07-01')).toMatchObject({ teamId: 'T2', leaderId: 'A-9', active: true });
    expect(placementAt(hierarchy, 'A-1', '2027-01-01')).toMatchObject({ teamId: 'T2', active: false });
    expect(placementAt(hierarchy, 'A-2', '2026-03-01')).toMatchObject({ subsidiary: 'pnc', channel: 'AGENCY' });
  });
});
