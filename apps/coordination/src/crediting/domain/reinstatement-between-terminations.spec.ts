import { evolve, initialState } from './ledger.decider';
import { CreditAdjusted, LedgerEvent, ledgerLines } from './ledger.events';
import { given, record, run, tx } from './ledger.fixtures';
import { PolicyTransaction } from './policy-transaction';
import { balancesByCreditKey } from './recompute';

/**
 * A cancellation (C, 1 June 2026), the reinstatement that undoes it (R, 1 July) and a lapse (L, 1 September) of a
 * policy issued March 2026 (issue #10). In business order C claws back from 1 June, R re-credits it and L claws back
 * from 1 September. The lapse recorded first, C arriving after it with R kept between them, or R arriving after C took
 * the lapse's place, gives business order's history, lines and net credit.
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const issued = run([record(sale)]);
const cancelled: PolicyTransaction = { ...sale, kind: 'Cancelled', transactionId: 'evt-c', effectiveDate: '2026-06-01' };
const reinstated: PolicyTransaction = { ...sale, kind: 'Reinstated', transactionId: 'evt-r', effectiveDate: '2026-07-01' };
const lapsed: PolicyTransaction = { ...sale, kind: 'Lapsed', transactionId: 'evt-l', effectiveDate: '2026-09-01' };
const business = run([record(cancelled), record(reinstated), record(lapsed)], issued);
const stateOf = (events: readonly LedgerEvent[]) => events.reduce(evolve, initialState());
const net = (events: readonly LedgerEvent[]) => balancesByCreditKey(ledgerLines(events));
const linesOf = (events: readonly LedgerEvent[], kind: string) => ledgerLines(events).filter((l) => l.transactionKind === kind);

describe('a cancellation arriving after a later lapse, with the reinstatement that undoes it kept between them', () => {
  const lapsedFirst = run([record(reinstated), record(lapsed)], issued);

  it('given the reinstatement kept and the lapse standing, when the cancellation arrives, then both are recorded before the lapse, which stays', () => {
    const placed = given(lapsedFirst).when(record(cancelled)).then((events) => {
      expect(events).toHaveLength(1);
      const [adjusted] = events as [CreditAdjusted];
      expect(adjusted.data).toMatchObject({ recalculationId: 'termination-evt-c',
        terminationBefore: { transaction: cancelled, reinstatement: reinstated, later: lapsed } });
      expect(adjusted.data.lines).toEqual([...linesOf(business, 'Cancelled'), ...linesOf(business, 'Reinstated')]);
      expect(adjusted.data.reversalLineIds).toEqual(linesOf(business, 'Lapsed').map((l) => l.lineId));
    });
    const late = [...lapsedFirst, ...placed];
    expect(stateOf(late).items).toEqual(stateOf(business).items);
    expect(stateOf(late).status).toBe('terminated');
    expect(stateOf(late).keptReinstatements.size).toBe(0);
    expect(net(late)).toEqual(net(business));
  });

  it('given the cancellation in the lapse\'s place (the lapse kept as its repeat), when the reinstatement arrives, the lapse ends the policy again', () => {
    const restated = run([record(lapsed), record(cancelled)], issued);
    expect([...stateOf(restated).repeatedTerminations.keys()]).toEqual(['evt-l']);
    given(restated).when(record(reinstated)).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditLinesReversed']);
      expect(ledgerLines(events.slice(0, 1))).toEqual(linesOf(business, 'Reinstated'));
      // The lapse's own ids are taken (its clawback was taken back): posted again under ids of their own.
      expect(ledgerLines(events.slice(1))).toEqual(linesOf(business, 'Lapsed').map((l) => ({ ...l, lineId: `${l.lineId}~reinstatement-evt-r`,
        origin: 'recalculation', adjustsLineId: l.lineId,
        reason: `reinstatement-evt-r: ${l.lineId} clawed back again, Reinstated evt-r on 2026-07-01 puts the policy in force before it` })));
      const late = run([record(reinstated)], restated);
      expect(stateOf(late).items).toEqual(stateOf(business).items);
      expect(stateOf(late).status).toBe('terminated');
      expect(stateOf(late).repeatedTerminations.size).toBe(0);
      expect(net(late)).toEqual(net(business));
      expect(stateOf(late).lastReversalIds).toEqual(stateOf(business).lastReversalIds);
    });
  });
});

/**
 * A cancellation and a lapse dated the same day (1 June), with or without the reinstatement (1 July): whichever
 * arrives first claws back, the other repeats it (nothing credited, nothing kept: no reinstatement can come between
 * them), and the reinstatement re-credits the first's clawback. The clawback is the same in either order; only the
 * transaction it names (its id and kind, in the lines' ids) differs.
 */
describe('two terminations dated the same day', () => {
  const lapsedSameDay: PolicyTransaction = { ...lapsed, effectiveDate: cancelled.effectiveDate };
  /** The lines with the termination they name (its id and kind) read as `T`. */
  const neutral = (text: string) => text.replace(/evt-[cl]\||Cancelled|Lapsed/g, 'T');
  const named = (events: readonly LedgerEvent[]) => ledgerLines(events).map((l) => ({ ...l, lineId: neutral(l.lineId), transactionKind: 'T',
    transactionId: l.transactionId.replace(/^evt-[cl]$/, 'T'), reversesLineId: l.reversesLineId && neutral(l.reversesLineId),
    reason: neutral(l.reason) }));

  it.each([['alone', []], ['then the reinstatement', [reinstated]]])('%s: given either first, when the other arrives, then it is refused; the same clawback',
    (_, then) => {
    const cancelledFirst = run([record(cancelled)], issued);
    const lapsedFirst = run([record(lapsedSameDay)], issued);
    given(cancelledFirst).when(record(lapsedSameDay)).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
    given(lapsedFirst).when(record(cancelled)).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
    const [a, b] = [run(then.map((t) => record(t)), cancelledFirst), run(then.map((t) => record(t)), lapsedFirst)];
    expect(net(a)).toEqual(net(b));
    expect(named(a)).toEqual(named(b));
    expect(stateOf(a).status).toBe(stateOf(b).status);
  });
});

/**
 * With a second reinstatement (S, 1 October) undoing the lapse: recorded before R, S reinstates C (the policy terminated on
 * its date). R arriving with the lapse kept as C's repeat, or the lapse arriving with R kept, puts both before S, as
 * business order has them (C, R, L, S): the history replayed so, S's re-credit of C taken back.
 */
describe('a second reinstatement, dated after the lapse, recorded before the first', () => {
  const second: PolicyTransaction = { ...reinstated, transactionId: 'evt-s', effectiveDate: '2026-10-01' };
  const inOrder = run([record(second)], business);

  it.each([
    ['the lapse kept as the cancellation\'s repeat, when the reinstatement arrives', [lapsed], reinstated, 'reinstatement-evt-r'],
    ['the reinstatement kept, when the lapse arrives', [reinstated], lapsed, 'termination-evt-l'],
  ])('given the cancellation, the second reinstatement and %s, then both are placed before the second', (_, kept, arriving, recalculationId) => {
    const before = run([record(cancelled), record(second), ...kept.map((t) => record(t))], issued);
    given(before).when(record(arriving)).then((events) => {
      expect(events).toHaveLength(1);
      expect(events[0].data).toMatchObject({ recalculationId, reinstatementBefore: { reinstatement: reinstated, termination: lapsed, later: second } });
      const late = [...before, ...events];
      expect(stateOf(late).items).toEqual(stateOf(inOrder).items);
      expect(stateOf(late).status).toBe('in-force');
      expect([stateOf(late).keptReinstatements.size, stateOf(late).repeatedTerminations.size]).toEqual([0, 0]);
      expect(net(late)).toEqual(net(inOrder));
      expect(stateOf(late).lastReversalIds).toEqual(stateOf(inOrder).lastReversalIds);
    });
  });
});
