import { AgentFact, buildHierarchy } from './hierarchy';
import { LedgerEvent, ledgerLines } from './ledger.events';
import { AGENT_FACTS, context, given, record, run, tx } from './ledger.fixtures';
import { OrphanRule } from './rule-set';
import { planOnArrival, planOrphanReassignment } from './orphans';

const facts: AgentFact[] = [...AGENT_FACTS, { type: 'AgentTerminated', agentId: 'A-1', effectiveDate: '2026-08-01' }];
const hierarchy = buildHierarchy(facts);
const book = new Map([['A-1', ['PN-2', 'PN-1']], ['A-2', ['PN-9']]]);

describe('orphan policies (孤儿单)', () => {
  it('team-leader: hands every policy to the leader as the hierarchy stood at termination', () => {
    const plan = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-08-01', rule: 'team-leader', hierarchy, book });
    expect(plan.map((p) => [p.policyNo, p.kind === 'assigned' ? p.toAgentId : p.kind])).toEqual([['PN-1', 'A-9'], ['PN-2', 'A-9']]);
  });

  it('least-loaded-in-branch: spreads the book over active colleagues, ties by agent id', () => {
    const early = buildHierarchy([...AGENT_FACTS.filter((f) => f.type !== 'AgentTransferred'), { type: 'AgentTerminated', agentId: 'A-1', effectiveDate: '2026-05-01' }]);
    const plan = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-05-01', rule: 'least-loaded-in-branch', hierarchy: early, book });
    // Branch B1 on 1 May: A-0 (0 policies), A-2 (1), L-B (0).
    expect(plan.map((p) => (p.kind === 'assigned' ? p.toAgentId : p.kind))).toEqual(['A-0', 'L-B']);
  });

  it('coordinator: leaves every policy pending a coordinator decision', () => {
    const plan = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-08-01', rule: 'coordinator', hierarchy, book });
    expect(plan.every((p) => p.kind === 'pending-coordinator')).toBe(true);
  });

  it('falls back to a coordinator when the leader has left too', () => {
    const leaderGone = buildHierarchy([...facts, { type: 'AgentTerminated', agentId: 'A-9', effectiveDate: '2026-07-15' }]);
    const plan = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-08-01', rule: 'team-leader', hierarchy: leaderGone, book });
    expect(plan[0]).toMatchObject({ kind: 'pending-coordinator', reason: 'rule team-leader found no active agent' });
  });

  it('the next renewal credits the new servicing agent; the seller keeps what was earned', () => {
    const ctx = context({ hierarchy });
    const issued = run([record(tx({ effectiveDate: '2026-03-01' }), ctx)]);
    const reassigned = run([{ type: 'ReassignServicing', data: { policyNo: 'PN-1', fromAgentId: 'A-1', toAgentId: 'A-9', effectiveDate: '2026-08-01', reason: 'team-leader' } }], issued);
    const renewal = tx({ kind: 'Renewed', transactionId: 'evt-2', effectiveDate: '2027-03-01', expiryDate: '2028-03-01' });
    given(reassigned).when(record(renewal, ctx)).then((events: LedgerEvent[]) => {
      const sales = ledgerLines(events).filter((l) => l.side === 'sales');
      expect(sales.map((l) => `${l.level}:${l.beneficiaryId}`)).toEqual(['agent:A-9', 'team:T2', 'branch:B2', 'subsidiary:life']);
    });
    expect(ledgerLines(reassigned).filter((l) => l.level === 'agent').map((l) => l.beneficiaryId)).toEqual(['A-1']);
  });
});

describe('a policy arriving after its servicing agent left (another partition, delivered later)', () => {
  const leaver = { agentId: 'A-1', terminatedOn: '2026-08-01' };
  const loads = new Map([['A-2', ['PN-9']]]);
  const rules: OrphanRule[] = ['team-leader', 'least-loaded-in-branch', 'coordinator'];

  it.each(rules)('%s: given the termination first, when the policy arrives, then it is handed on exactly as if it had arrived first', (rule) => {
    const first = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-08-01', rule, hierarchy, book: new Map([...loads, ['A-1', ['PN-1']]]) });
    const late = planOnArrival('PN-1', leaver, { rule, hierarchy, book: loads });
    expect(late).toEqual(first);
    expect(late).toHaveLength(1);
  });

  it('given an active servicing agent, when the policy arrives, then nothing is reassigned', () => {
    expect(planOnArrival('PN-1', { agentId: 'A-1', terminatedOn: null }, { rule: 'team-leader', hierarchy, book: loads })).toEqual([]);
  });

  it('given the leader left too, when the policy arrives late, then it waits for a coordinator as it would have', () => {
    const leaderGone = buildHierarchy([...facts, { type: 'AgentTerminated', agentId: 'A-9', effectiveDate: '2026-07-15' }]);
    expect(planOnArrival('PN-1', leaver, { rule: 'team-leader', hierarchy: leaderGone, book: loads })).toEqual([
      { kind: 'pending-coordinator', policyNo: 'PN-1', fromAgentId: 'A-1', reason: 'rule team-leader found no active agent' },
    ]);
  });
});

describe('renewal credit whatever arrives first: the renewal or its servicing agent\'s termination', () => {
  const ctx = context({ hierarchy });
  const renewal = tx({ kind: 'Renewed', transactionId: 'evt-2', effectiveDate: '2027-03-01', expiryDate: '2028-03-01' });
  const reassign = (withContext: boolean) => ({
    type: 'ReassignServicing' as const,
    data: { policyNo: 'PN-1', fromAgentId: 'A-1', toAgentId: 'A-9', effectiveDate: '2026-08-01', reason: 'team-leader', ...(withContext ? { context: ctx } : {}) },
  });
  /** Net weighted credit per side, level and beneficiary: what scorecards add up. */
  const net = (events: LedgerEvent[]) => {
    const sums = new Map<string, number>();
    for (const l of ledgerLines(events)) {
      const key = `${l.side}/${l.level}/${l.beneficiaryId}`;
      sums.set(key, Math.round(((sums.get(key) ?? 0) + Number(l.weightedCredit)) * 100) / 100);
    }
    return Object.fromEntries([...sums].filter(([, v]) => v !== 0).sort());
  };

  it('given the termination first, when the renewal is recorded, then the new servicing agent gets the renewal credit', () => {
    const events = run([record(tx({ effectiveDate: '2026-03-01' }), ctx), reassign(true), record(renewal, ctx)]);
    expect(Object.keys(net(events)).filter((k) => k.startsWith('sales/agent'))).toEqual(['sales/agent/A-1', 'sales/agent/A-9']);
  });

  it('given the renewal first, when the earlier-effective reassignment arrives, then the renewal is re-credited as a recalculation and the net equals the other order', () => {
    const terminationFirst = run([record(tx({ effectiveDate: '2026-03-01' }), ctx), reassign(true), record(renewal, ctx)]);
    const renewalFirst = run([record(tx({ effectiveDate: '2026-03-01' }), ctx), record(renewal, ctx), reassign(true)]);
    expect(renewalFirst.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditLinesRecorded', 'ServicingReassigned', 'CreditAdjusted']);
    expect(net(renewalFirst)).toEqual(net(terminationFirst));
  });

  it('given the renewal effective before the termination, when the reassignment arrives, then the leaver keeps it and nothing is re-credited', () => {
    const early = tx({ kind: 'Renewed', transactionId: 'evt-2', effectiveDate: '2026-06-01', expiryDate: '2027-06-01' });
    const events = run([record(tx({ effectiveDate: '2025-06-01', expiryDate: '2026-06-01' }), ctx), record(early, ctx), reassign(true)]);
    expect(events.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditLinesRecorded', 'ServicingReassigned']);
  });

  it('given a reassignment undone and made again, when each arrives after the renewal, then every re-credit has line ids of its own', () => {
    const to = (agent: string) => ({ ...reassign(true), data: { ...reassign(true).data, toAgentId: agent } });
    const events = run([record(tx({ effectiveDate: '2026-03-01' }), ctx), record(renewal, ctx), to('A-9'), to('A-2'), to('A-9')]);
    const ids = ledgerLines(events).map((l) => l.lineId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(events.filter((e) => e.type === 'CreditAdjusted').map((e) => e.type === 'CreditAdjusted' && e.data.recalculationId))
      .toEqual(['servicing:A-1:A-9:2026-08-01', 'servicing:A-1:A-2:2026-08-01', 'servicing:A-1:A-9:2026-08-01#2']);
    const onlyA9 = run([record(tx({ effectiveDate: '2026-03-01' }), ctx), record(renewal, ctx), to('A-9')]);
    expect(net(events)).toEqual(net(onlyA9));
  });
});
