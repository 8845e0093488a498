import { evolve, initialState } from './ledger.decider';
import { LedgerEvent, ledgerLines } from './ledger.events';
import { given, record, run, tx } from './ledger.fixtures';
import { repeatsTermination } from './policy-engine';
import { PolicyTransaction } from './policy-transaction';
import { balancesByCreditKey } from './recompute';

/**
 * A cancellation (C, 1 June 2026), a renewal (N, from 1 March 2027) and a lapse dated in the renewed term (L, 1 June
 * 2027) of a policy issued March 2026 (issue #10). In business order C claws back the first term, N puts the policy
 * back in force and L claws the renewal back. The renewal arriving after both puts back the lapse kept as C's repeat;
 * C arriving after both takes its place before the renewal, L standing.
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const issued = run([record(sale)]);
const cancelled: PolicyTransaction = { ...sale, kind: 'Cancelled', transactionId: 'evt-c', effectiveDate: '2026-06-01' };
const renewed: PolicyTransaction = { ...sale, kind: 'Renewed', transactionId: 'evt-n', effectiveDate: '2027-03-01', expiryDate: '2028-02-29' };
const lapsed: PolicyTransaction = { ...sale, kind: 'Lapsed', transactionId: 'evt-l', effectiveDate: '2027-06-01' };
const business = run([record(cancelled), record(renewed), record(lapsed)], issued);
const stateOf = (events: readonly LedgerEvent[]) => events.reduce(evolve, initialState());
const net = (events: readonly LedgerEvent[]) => balancesByCreditKey(ledgerLines(events));
const linesOf = (events: readonly LedgerEvent[], kind: string) => ledgerLines(events).filter((l) => l.transactionKind === kind);

describe('a renewed term starting between a cancellation and a lapse kept as its repeat', () => {
  it('given the lapse kept as the cancellation\'s repeat, when the renewal arrives, then the lapse ends the renewed term', () => {
    const kept = run([record(cancelled), record(lapsed)], issued);
    expect([...stateOf(kept).repeatedTerminations.keys()]).toEqual(['evt-l']);
    given(kept).when(record(renewed)).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditLinesReversed']);
      expect(ledgerLines(events)).toEqual([...linesOf(business, 'Renewed'), ...linesOf(business, 'Lapsed')]);
      const late = [...kept, ...events];
      expect(stateOf(late).items).toEqual(stateOf(business).items);
      expect(stateOf(late).status).toBe('terminated');
      expect(stateOf(late).repeatedTerminations.size).toBe(0);
      expect(net(late)).toEqual(net(business));
    });
  });

  it('given the renewal and the lapse recorded, when the cancellation arrives, then it claws back its term in its place before the renewal', () => {
    const renewedFirst = run([record(renewed), record(lapsed)], issued);
    expect(repeatsTermination(cancelled, stateOf(renewedFirst))).toBe(false);
    given(renewedFirst).when(record(cancelled)).then((events) => {
      expect(events).toEqual([{ type: 'CreditLinesReversed', data: { transaction: cancelled, lines: linesOf(business, 'Cancelled'), inBusinessOrder: true } }]);
      const late = [...renewedFirst, ...events];
      expect(stateOf(late).items).toEqual(stateOf(business).items);
      expect(stateOf(late).status).toBe('terminated');
      expect(stateOf(late).lastReversalIds).toEqual(stateOf(business).lastReversalIds);
      expect(net(late)).toEqual(net(business));
    });
  });

  it('given an endorsement credited between the cancellation and the renewal, when the cancellation arrives, then it is refused, as before', () => {
    const endorsed: PolicyTransaction = { ...sale, kind: 'Endorsed', transactionId: 'evt-e', effectiveDate: '2026-09-01', premiumDelta: '100.00' };
    given(run([record(endorsed), record(renewed), record(lapsed)], issued)).when(record(cancelled)).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
  });
});
