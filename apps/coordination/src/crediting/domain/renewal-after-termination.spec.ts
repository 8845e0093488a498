import { CreditLine } from './credit-line';
import { evolve, initialState } from './ledger.decider';
import { LedgerCommand, LedgerEvent, ledgerLines } from './ledger.events';
import { context, given, record, run, tx } from './ledger.fixtures';
import { replayPolicy } from './policy-engine';
import { PolicyTransaction } from './policy-transaction';
import { balancesByCreditKey, historyOf } from './recompute';

/**
 * A renewed term starts in force, as the portfolio has it (`inForceOn`): a cancellation or lapse dated
 * before its start ends the earlier term only. Issued March 2026, cancelled from 1 May 2026, renewed
 * from 1 March 2027: whichever of the two arrives first, the ledger claws back the first term's
 * unexpired part and credits the renewal.
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const issued = run([record(sale)]);
const cancellation = record({ ...sale, kind: 'Cancelled', transactionId: 'evt-c', effectiveDate: '2026-05-01' });
const renewal = record({ ...sale, kind: 'Renewed', transactionId: 'evt-r', effectiveDate: '2027-03-01', expiryDate: '2028-02-29' });
const lapse = record({ ...sale, kind: 'Lapsed', transactionId: 'evt-l', effectiveDate: '2027-09-01' });

const inOrder = (commands: LedgerCommand[]): LedgerEvent[] => run(commands, issued);
const net = (events: LedgerEvent[]) => balancesByCreditKey(ledgerLines(events));
const stateOf = (events: LedgerEvent[]) => events.reduce(evolve, initialState());

describe('a renewal of a policy cancelled in an earlier term, whatever order they arrive in', () => {
  const business = () => inOrder([cancellation, renewal]);
  const late = () => inOrder([renewal, cancellation]);

  it('credits the renewal after the cancellation in business order', () => {
    expect(business().slice(issued.length).map((e) => e.type)).toEqual(['CreditLinesReversed', 'CreditLinesRecorded']);
    const renewalCredit = net(inOrder([renewal])).get('evt-r|sales|A-1|agent|A-1');
    expect(renewalCredit).toBeDefined();
    expect(net(business()).get('evt-r|sales|A-1|agent|A-1')).toBe(renewalCredit);
  });

  it('nets the same credit when the cancellation arrives after the renewal', () => {
    expect(net(late())).toEqual(net(business()));
  });

  it('leaves the policy in force in its renewed term either way', () => {
    expect(stateOf(business()).status).toBe('in-force');
    expect(stateOf(late()).status).toBe('in-force');
  });

  it('lets a reinstatement dated in the earlier term re-credit what the cancellation clawed back, the renewal recorded first or not', () => {
    const reinstated = record({ ...sale, kind: 'Reinstated', transactionId: 'evt-re', effectiveDate: '2026-07-01' });
    const inBusinessOrder = inOrder([cancellation, reinstated, renewal]);
    for (const order of [[cancellation, renewal, reinstated], [renewal, cancellation, reinstated]]) {
      const events = inOrder(order);
      expect(ledgerLines(events).map((l) => l.lineId).sort()).toEqual(ledgerLines(inBusinessOrder).map((l) => l.lineId).sort());
      expect(net(events)).toEqual(net(inBusinessOrder));
      expect(stateOf(events).status).toBe('in-force');
    }
    // Dated in the renewed term, it reinstates nothing: the renewal put the policy back in force. It is kept, with
    // no line, for a termination dated before it still to come (see reinstatement-before-termination.spec).
    const reinstatedLate: PolicyTransaction = { ...sale, kind: 'Reinstated', transactionId: 'evt-re2', effectiveDate: '2027-04-01' };
    const late = record(reinstatedLate);
    const kept: LedgerEvent[] = [{ type: 'ReinstatementKept', data: { transaction: reinstatedLate } }];
    given(inOrder([cancellation, renewal])).when(late).then(kept);
    given(inOrder([renewal, cancellation])).when(late).then(kept);
  });

  it('lets a lapse in the renewed term claw back the renewal the same either way', () => {
    const lapsed = [inOrder([cancellation, renewal, lapse]), inOrder([renewal, cancellation, lapse])];
    expect(lapsed.map((events) => events[events.length - 1].type)).toEqual(['CreditLinesReversed', 'CreditLinesReversed']);
    expect(net(lapsed[1])).toEqual(net(lapsed[0]));
    expect(stateOf(lapsed[1]).status).toBe('terminated');
  });
});


/**
 * A cancellation or lapse dated in a renewed term (on or after its start) that arrives before the renewal:
 * in business order the renewal is credited and the termination claws back its unexpired part. Arriving
 * late, the renewal takes that place in the history and the ledger posts the same lines, the renewal's
 * credit and the termination's reversal of it, so net credit, lines and status are business order's.
 */
describe('a renewal arriving after a cancellation or lapse dated in its term', () => {
  const ending = (kind: 'Cancelled' | 'Lapsed', date: string) => record({ ...sale, kind, transactionId: `evt-${kind}-${date}`, effectiveDate: date });
  const byId = (a: CreditLine, b: CreditLine) => a.lineId.localeCompare(b.lineId);
  const linesOf = (events: LedgerEvent[]) => ledgerLines(events).sort(byId);
  const renewalAgent = 'evt-r|sales|A-1|agent|A-1';
  const renewalCredit = net(inOrder([renewal])).get(renewalAgent)!;

  it.each([
    ['a cancellation in the renewed term', ending('Cancelled', '2027-06-01'), 'pro rata: 273/365'],
    ['a lapse in the renewed term', ending('Lapsed', '2027-09-01'), 'pro rata: 181/365'],
    ["a cancellation on the renewed term's first day", ending('Cancelled', '2027-03-01'), 'pro rata: 365/365'],
  ])('%s: the same lines, net credit and status whichever arrives first', (_, termination, fraction) => {
    const business = inOrder([renewal, termination]);
    const late = inOrder([termination, renewal]);
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(net(late)).toEqual(net(business));
    const clawback = ledgerLines(late).find((l) => l.reversesLineId === renewalAgent);
    expect(clawback).toMatchObject({ origin: 'reversal', transactionKind: termination.type === 'RecordPolicyTransaction' ? termination.data.transaction.kind : '' });
    expect(clawback!.reason).toContain(fraction);
    expect(stateOf(late).status).toBe('terminated');
    expect(stateOf(business).status).toBe('terminated');
    // The history in business order, so a replay (a retroactive rule set, an auditor's recomputation) gives the same.
    expect(historyOf(late)).toEqual(historyOf(business));
  });

  it('keeps the renewal whole against a lapse dated after its term ran out, as business order does', () => {
    const lapsed = ending('Lapsed', '2028-06-01');
    const late = inOrder([lapsed, renewal]);
    expect(linesOf(late)).toEqual(linesOf(inOrder([renewal, lapsed])));
    expect(net(late).get(renewalAgent)).toBe(renewalCredit);
    expect(stateOf(late).status).toBe('terminated');
  });

  it('records the late renewal in its place, then what the termination claws back of it', () => {
    const late = inOrder([ending('Cancelled', '2027-06-01'), renewal]);
    const added = late.slice(issued.length + 1);
    expect(added.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditAdjusted']);
    expect(added[0].data).toMatchObject({ inBusinessOrder: true });
    const netAgent = net(late).get(renewalAgent)!;
    expect(Number(netAgent)).toBeGreaterThan(0);
    expect(Number(netAgent)).toBeLessThan(Number(renewalCredit));
  });

  it('equals a from-scratch replay of its history', () => {
    const late = inOrder([ending('Cancelled', '2027-06-01'), renewal]);
    expect(net(late)).toEqual(balancesByCreditKey(replayPolicy(historyOf(late), context()).lines.values()));
  });

  it('credits nothing twice: the renewal or the termination delivered again changes nothing', () => {
    const cancelled = ending('Cancelled', '2027-06-01');
    const late = inOrder([cancelled, renewal]);
    given(late).when(renewal).then([]);
    given(late).when(cancelled).then([]);
    const ids = ledgerLines(late).map((l) => l.lineId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lets a reinstatement re-credit what the termination clawed back, the same in every order', () => {
    const cancelled = ending('Cancelled', '2027-06-01');
    const reinstated = record({ ...sale, kind: 'Reinstated', transactionId: 'evt-re', effectiveDate: '2027-07-01' });
    const business = inOrder([renewal, cancelled, reinstated]);
    for (const order of [[cancelled, renewal, reinstated], [cancelled, reinstated, renewal]]) {
      const events = inOrder(order);
      expect(net(events)).toEqual(net(business));
      expect(stateOf(events).status).toBe('in-force');
    }
    expect(net(business).get(renewalAgent)).toBe(renewalCredit);
  });

  it.each([
    ['before it', '2027-01-01', 'A-2'],
    ['after its start', '2027-04-01', 'A-1'],
  ])('credits the agent servicing the policy on its date, a reassignment dated %s recorded before it', (_, effectiveDate, agent) => {
    const cancelled = ending('Cancelled', '2027-06-01');
    const reassign: LedgerCommand = { type: 'ReassignServicing', data: { policyNo: 'PN-1', fromAgentId: 'A-1', toAgentId: 'A-2', effectiveDate, reason: 'left', context: context() } };
    const business = inOrder(effectiveDate < '2027-03-01' ? [reassign, renewal, cancelled] : [renewal, reassign, cancelled]);
    const late = inOrder([reassign, cancelled, renewal]);
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(ledgerLines(late).filter((l) => l.transactionId === 'evt-r' && l.level === 'agent').map((l) => l.beneficiaryId)).toEqual([agent]);
  });

  it('takes its place before a reassignment dated after its start, a cancellation and reinstatement dated before its start recorded after that reassignment', () => {
    const firstTerm = record({ ...sale, kind: 'Cancelled', transactionId: 'evt-c0', effectiveDate: '2026-05-01' });
    const reinstated = record({ ...sale, kind: 'Reinstated', transactionId: 'evt-re0', effectiveDate: '2026-06-01' });
    const reassign: LedgerCommand = { type: 'ReassignServicing', data: { policyNo: 'PN-1', fromAgentId: 'A-1', toAgentId: 'A-2', effectiveDate: '2027-04-01', reason: 'left', context: context() } };
    const cancelled = ending('Cancelled', '2027-06-01');
    const business = inOrder([firstTerm, reinstated, renewal, reassign, cancelled]);
    const late = inOrder([reassign, firstTerm, reinstated, cancelled, renewal]);
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(net(late)).toEqual(net(business));
    expect(ledgerLines(late).filter((l) => l.transactionId === 'evt-r' && l.level === 'agent').map((l) => l.beneficiaryId)).toEqual(['A-1']);
    expect(stateOf(late).status).toBe('terminated');
  });

  it('keeps the credit of an endorsement dated in the renewed term that arrived before the termination, clawed back as in business order', () => {
    const cancelled = ending('Cancelled', '2027-06-01');
    const endorsed = record({ ...sale, kind: 'Endorsed', transactionId: 'evt-e', effectiveDate: '2027-04-01', premiumDelta: '100.00' });
    const business = inOrder([renewal, endorsed, cancelled]);
    const late = inOrder([endorsed, cancelled, renewal]);
    expect(net(late)).toEqual(net(business));
    expect(net(late).get('evt-e|sales|A-1|agent|A-1')).toBeDefined();
  });

  it('still refuses a renewal that renews no earlier term (dated on or before the issue) or that the rules refuse', () => {
    const cancelled = inOrder([ending('Cancelled', '2027-06-01')]);
    given(cancelled).when(record({ ...sale, kind: 'Renewed', transactionId: 'evt-r0', effectiveDate: '2026-03-01' })).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
    given(cancelled).when(record({ ...sale, kind: 'Renewed', transactionId: 'evt-r1', effectiveDate: '2027-03-01', premium: { amount: '1000.001', mode: 'ANNUAL' } }))
      .thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
  });
});
