import { AgentFact, buildHierarchy } from './hierarchy';
import { LedgerEvent, ledgerLines } from './ledger.events';
import { AGENT_FACTS, context, given, record, run, tx } from './ledger.fixtures';
import { replayPolicy } from './policy-engine';
import { balancesByCreditKey, historyOf } from './recompute';
import { OrphanRule } from './rule-set';
import { Reassignment, ServicingHistory, loadsAsOf, planOnArrival, planOrphanReassignment, rejudgement, servicerOn } from './orphans';

const facts: AgentFact[] = [...AGENT_FACTS, { type: 'AgentTerminated', agentId: 'A-1', effectiveDate: '2026-08-01' }];
const hierarchy = buildHierarchy(facts);
const book = ['PN-2', 'PN-1'];
const loads = new Map([['A-2', 1]]);

describe('orphan policies (孤儿单)', () => {
  it('team-leader: hands every policy to the leader as the hierarchy stood at termination', () => {
    const plan = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-08-01', rule: 'team-leader', hierarchy, book, loads });
    expect(plan.map((p) => [p.policyNo, p.kind === 'assigned' ? p.toAgentId : p.kind])).toEqual([['PN-1', 'A-9'], ['PN-2', 'A-9']]);
  });

  it('least-loaded-in-branch: spreads the book over active colleagues, ties by agent id', () => {
    const early = buildHierarchy([...AGENT_FACTS.filter((f) => f.type !== 'AgentTransferred'), { type: 'AgentTerminated', agentId: 'A-1', effectiveDate: '2026-05-01' }]);
    const plan = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-05-01', rule: 'least-loaded-in-branch', hierarchy: early, book, loads });
    // Branch B1 on 1 May: A-0 (0 policies), A-2 (1), L-B (0).
    expect(plan.map((p) => (p.kind === 'assigned' ? p.toAgentId : p.kind))).toEqual(['A-0', 'L-B']);
  });

  it('coordinator: leaves every policy pending a coordinator decision', () => {
    const plan = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-08-01', rule: 'coordinator', hierarchy, book, loads });
    expect(plan.every((p) => p.kind === 'pending-coordinator')).toBe(true);
  });

  it('falls back to a coordinator when the leader has left too', () => {
    const leaderGone = buildHierarchy([...facts, { type: 'AgentTerminated', agentId: 'A-9', effectiveDate: '2026-07-15' }]);
    const plan = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-08-01', rule: 'team-leader', hierarchy: leaderGone, book, loads });
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
  const rules: OrphanRule[] = ['team-leader', 'least-loaded-in-branch', 'coordinator'];

  it.each(rules)('%s: given the termination first, when the policy arrives, then it is handed on exactly as if it had arrived first', (rule) => {
    const first = planOrphanReassignment({ terminatedAgentId: 'A-1', date: '2026-08-01', rule, hierarchy, book: ['PN-1'], loads });
    const late = planOnArrival('PN-1', leaver, { rule, hierarchy, loads });
    expect(late).toEqual(first);
    expect(late).toHaveLength(1);
  });

  it('given an active servicing agent, when the policy arrives, then nothing is reassigned', () => {
    expect(planOnArrival('PN-1', { agentId: 'A-1', terminatedOn: null }, { rule: 'team-leader', hierarchy, loads })).toEqual([]);
  });

  it('given the leader left too, when the policy arrives late, then it waits for a coordinator as it would have', () => {
    const leaderGone = buildHierarchy([...facts, { type: 'AgentTerminated', agentId: 'A-9', effectiveDate: '2026-07-15' }]);
    expect(planOnArrival('PN-1', leaver, { rule: 'team-leader', hierarchy: leaderGone, loads })).toEqual([
      { kind: 'pending-coordinator', policyNo: 'PN-1', fromAgentId: 'A-1', reason: 'rule team-leader found no active agent' },
    ]);
  });
});

describe('least-loaded-in-branch counts each candidate\'s load on the termination date, by business time', () => {
  const issued = (agentId: string, effectiveDate: string) => ({ agentId, effectiveDate, fromAgentId: null });
  const moved = (fromAgentId: string, agentId: string, effectiveDate: string) => ({ agentId, effectiveDate, fromAgentId });
  const policy = (policyNo: string, changes: ServicingHistory['changes'], over: Partial<ServicingHistory> = {}): ServicingHistory =>
    ({ policyNo, changes, terms: [{ effectiveDate: changes[0].effectiveDate, expiryDate: '2027-12-31' }], statusChanges: [], ...over });

  it('given a policy issued before the date, then its servicer on the date carries it', () => {
    expect(loadsAsOf([policy('PN-1', [issued('A-2', '2026-03-01')])], '2026-05-01')).toEqual(new Map([['A-2', 1]]));
  });

  it('given a policy issued after the date, then it is nobody\'s load yet', () => {
    expect(loadsAsOf([policy('PN-1', [issued('A-2', '2026-06-01')])], '2026-05-01')).toEqual(new Map());
  });

  it('given a policy issued on the date, then it counts that day', () => {
    expect(servicerOn(policy('PN-1', [issued('A-2', '2026-05-01')]), '2026-05-01')).toBe('A-2');
  });

  it('given a policy expired before the date or no longer in force, then it counts for nobody', () => {
    const expired = policy('PN-1', [issued('A-2', '2025-03-01')], { terms: [{ effectiveDate: '2025-03-01', expiryDate: '2026-02-28' }] });
    const cancelled = policy('PN-2', [issued('A-2', '2026-03-01')], { statusChanges: [{ effectiveDate: '2026-04-15', status: 'cancelled', reportedAt: '2026-04-16T01:00:00.000Z' }] });
    expect(loadsAsOf([expired, cancelled], '2026-05-01')).toEqual(new Map());
  });

  it('given a policy cancelled after the date, then it still counts that day; lapsed and reinstated by the date, it counts again', () => {
    const lapse = { effectiveDate: '2026-04-01', status: 'lapsed' as const, reportedAt: '2026-04-02T01:00:00.000Z' };
    const reinstated = { effectiveDate: '2026-04-20', status: 'in-force' as const, reportedAt: '2026-04-21T01:00:00.000Z' };
    const cancelledLater = policy('PN-1', [issued('A-2', '2026-03-01')], { statusChanges: [{ effectiveDate: '2026-06-01', status: 'cancelled', reportedAt: '2026-06-02T01:00:00.000Z' }] });
    // The reinstatement reported first: business dates decide, not arrival.
    const back = policy('PN-2', [issued('A-2', '2026-03-01')], { statusChanges: [reinstated, lapse] });
    expect(loadsAsOf([cancelledLater, back], '2026-05-01')).toEqual(new Map([['A-2', 2]]));
    expect(loadsAsOf([back], '2026-04-10')).toEqual(new Map());
  });

  it('given a policy renewed to a new servicer, then its first servicer carries it in the first term and the renewal\'s in the new one, not between terms', () => {
    const renewed = policy('PN-1', [issued('A-2', '2025-03-01'), moved('A-2', 'A-0', '2026-04-01')], {
      terms: [{ effectiveDate: '2026-04-01', expiryDate: '2027-03-31' }, { effectiveDate: '2025-03-01', expiryDate: '2026-02-28' }],
    });
    expect(loadsAsOf([renewed], '2026-02-01')).toEqual(new Map([['A-2', 1]]));
    expect(loadsAsOf([renewed], '2026-03-15')).toEqual(new Map());
    expect(loadsAsOf([renewed], '2026-05-01')).toEqual(new Map([['A-0', 1]]));
  });

  it('given a policy reassigned before the date, then the new servicer carries it; reassigned after, the old one still does', () => {
    const history = policy('PN-1', [issued('A-3', '2026-01-01'), moved('A-3', 'A-2', '2026-04-01'), moved('A-2', 'L-B', '2026-09-01')]);
    expect(servicerOn(history, '2026-05-01')).toBe('A-2');
    expect(servicerOn(history, '2026-03-31')).toBe('A-3');
  });

  it('given a reassignment effective on the date itself (another termination that day), then it does not count yet, whichever was recorded first', () => {
    const history = policy('PN-1', [issued('A-3', '2026-01-01'), moved('A-3', 'A-2', '2026-05-01')]);
    expect(servicerOn(history, '2026-05-01')).toBe('A-3');
  });

  it('given a hand-out judged again on the same date, then the last one recorded counts afterwards', () => {
    const history = policy('PN-1', [issued('A-3', '2026-01-01'), moved('A-3', 'A-2', '2026-04-01'), moved('A-3', 'L-B', '2026-04-01')]);
    expect(servicerOn(history, '2026-05-01')).toBe('L-B');
  });

  it('given the candidates\' loads on the date, then the book goes least loaded first, ties to the smaller agent id, one policy at a time', () => {
    const early = buildHierarchy([...AGENT_FACTS.filter((f) => f.type !== 'AgentTransferred'), { type: 'AgentTerminated', agentId: 'A-1', effectiveDate: '2026-05-01' }]);
    // Branch B1 on 1 May: and L-B. A-2 took a book on 1 April; L-B's policy started in June.
    const histories = [
      policy('PN-7', [issued('A-0', '2026-01-01')]),
      policy('PN-8', [issued('A-9', '2026-01-01'), moved('A-9', 'A-2', '2026-04-01')]),
      policy('PN-9', [issued('A-2', '2026-02-01')]),
      policy('PN-6', [issued('L-B', '2026-06-01')]),
    ];
    const plan = planOrphanReassignment({
      terminatedAgentId: 'A-1', date: '2026-05-01', rule: 'least-loaded-in-branch', hierarchy: early, book: ['PN-3', 'PN-2', 'PN-1'], loads: loadsAsOf(histories, '2026-05-01'),
    });
    expect(plan.map((p) => [p.policyNo, p.kind === 'assigned' ? p.toAgentId : p.kind])).toEqual([['PN-1', 'L-B'], ['PN-2', 'A-0'], ['PN-3', 'L-B']]);
  });

  it('given every arrival order of the candidates\' facts, then the loads and the plan are the same', () => {
    const facts = [
      policy('PN-7', [issued('A-0', '2026-01-01')]),
      policy('PN-8', [issued('A-9', '2026-01-01'), moved('A-9', 'A-2', '2026-04-01')]),
      policy('PN-6', [issued('L-B', '2026-06-01')]),
    ];
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]].map((o) => o.map((i) => facts[i]));
    const loadsIn = orders.map((arrived) => [...loadsAsOf(arrived, '2026-05-01')].sort());
    expect(new Set(loadsIn.map((l) => JSON.stringify(l))).size).toBe(1);
    expect(loadsIn[0]).toEqual([['A-0', 1], ['A-2', 1]]);
  });
});

describe('a hand-out judged again after a fact dated on or before it arrived', () => {
  const step = (policyNo: string, toAgentId: string): Reassignment => ({ kind: 'assigned', policyNo, fromAgentId: 'A-1', toAgentId, reason: 'rule least-loaded-in-branch on 2026-05-01' });
  const waits = (policyNo: string): Reassignment => ({ kind: 'pending-coordinator', policyNo, fromAgentId: 'A-1', reason: 'rule least-loaded-in-branch found no active agent' });

  it('given a book already handed out, when the plan now gives one policy to another colleague, then only that policy is handed on again', () => {
    const now = new Map([['PN-1', 'A-0'], ['PN-2', 'A-2']]);
    expect(rejudgement([step('PN-1', 'A-0'), step('PN-2', 'L-B')], now, new Set())).toEqual([step('PN-2', 'L-B')]);
  });

  it('given a policy still with the leaver (it arrived late), then it is handed on', () => {
    expect(rejudgement([step('PN-1', 'A-0')], new Map([['PN-1', 'A-1']]), new Set())).toEqual([step('PN-1', 'A-0')]);
  });

  it('given a policy handed on since by someone else, then it is left alone', () => {
    expect(rejudgement([step('PN-1', 'A-0')], new Map(), new Set())).toEqual([]);
  });

  it('given a policy already waiting for a coordinator, then it is not asked again; one still with the leaver and not waiting is', () => {
    const now = new Map([['PN-1', 'A-1'], ['PN-2', 'A-1']]);
    expect(rejudgement([waits('PN-1'), waits('PN-2')], now, new Set(['PN-1']))).toEqual([waits('PN-2')]);
  });

  it('given a policy handed on to an agent who is no candidate any more (they left the same day) and nobody else, then it is taken back to wait', () => {
    // The previous rejudgement left PN-3 with A-0, who had left on the termination's own date.
    expect(rejudgement([waits('PN-3')], new Map([['PN-3', 'A-0']]), new Set())).toEqual([waits('PN-3')]);
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

  it('given the reassignment first, when a renewal effective on or before its date arrives, then the leaver keeps it as in the other order', () => {
    const first = record(tx({ effectiveDate: '2025-06-01', expiryDate: '2026-06-01' }), ctx);
    for (const effectiveDate of ['2026-06-01', '2026-08-01']) {
      const early = tx({ kind: 'Renewed', transactionId: 'evt-2', effectiveDate, expiryDate: '2027-06-01' });
      const renewalFirst = run([first, record(early, ctx), reassign(true)]);
      const reassignmentFirst = run([first, reassign(true), record(early, ctx)]);
      expect(net(reassignmentFirst)).toEqual(net(renewalFirst));
      expect(Object.keys(net(reassignmentFirst)).filter((k) => k.startsWith('sales/agent'))).toEqual(['sales/agent/A-1']);
      // Placed before the reassignment, as business order has it: a recalculation after it keeps the leaver's credit.
      const recalculated = run([{ type: 'RecalculateCredits', data: { recalculationId: 'r-1', ruleSetVersion: 'v1', context: ctx } }], reassignmentFirst);
      expect(net(recalculated)).toEqual(net(renewalFirst));
    }
  });

  it('given a reassignment told again, then nothing; the same agents on a later date place it again there, past a later hand-out that no longer stands', () => {
    const between = (from: string, to: string, effectiveDate: string) => ({ ...reassign(true), data: { ...reassign(true).data, fromAgentId: from, toAgentId: to, effectiveDate } });
    const next = tx({ kind: 'Renewed', transactionId: 'evt-3', effectiveDate: '2028-03-01', expiryDate: '2029-03-01' });
    const base = [record(tx({ effectiveDate: '2026-03-01' }), ctx), record(renewal, ctx), record(next, ctx)];
    const told = run([...base, reassign(true)]);
    expect(run([reassign(true)], told).slice(told.length)).toEqual([]);
    // A-2's hand-out between the renewals arrived first; the hand-out judged again (A-1 to A-9) is restated on its date.
    const restated = run([...base, between('A-2', 'A-0', '2027-06-01'), reassign(true), between('A-1', 'A-9', '2027-06-01')]);
    expect(net(restated)).toEqual(net(told));
  });

  it('given a hand-out told while the policy stood cancelled, passed by a renewal placed before the cancellation, then judged again, '
    + 'when a renewal starting after the cancellation arrives, then the one judged again gets it, in the ledger and its replayed history alike', () => {
    const to = (agent: string) => ({ ...reassign(true), data: { ...reassign(true).data, toAgentId: agent } });
    const cancellation = tx({ kind: 'Cancelled', transactionId: 'evt-c', effectiveDate: '2027-03-01' });
    const later = tx({ kind: 'Renewed', transactionId: 'evt-3', effectiveDate: '2028-03-01', expiryDate: '2029-03-01' });
    const history = run([record(tx({ effectiveDate: '2026-03-01' }), ctx), record(cancellation, ctx), to('A-2'), record(renewal, ctx), to('A-9')]);
    given(history).when(record(later, ctx)).then((recorded) => {
      const events = [...history, ...recorded];
      const replayed = balancesByCreditKey(replayPolicy(historyOf(events), ctx).lines.values());
      expect(balancesByCreditKey(ledgerLines(events))).toEqual(replayed);
      expect(ledgerLines(recorded).filter((l) => l.side === 'sales' && l.level === 'agent').map((l) => l.beneficiaryId)).toEqual(['A-9']);
      expect(Object.keys(net(events)).filter((k) => k.startsWith('sales/agent'))).toEqual(['sales/agent/A-1', 'sales/agent/A-9']);
    });
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
