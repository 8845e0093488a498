import { CreditLedgerCommand, CreditLedgerEvent, foldLedger } from './credit-ledger';
import { record, tx } from '../domain/ledger.fixtures';
import { ledgerLines, ledgerNet as net, runLedger as run } from './credit-ledger.fixtures';

/**
 * An endorsement dated after a cancellation or lapse that arrives before it (issue #10). In business order the
 * termination comes first and the endorsement is refused on arrival: a `PolicyTransactionNotCredited`
 * (CREDIT_POLICY_NOT_IN_FORCE). Credited where it arrived, its credit is withdrawn when the termination comes
 * (a `CreditAdjusted` with `withdrawn`); it then stands refused, recorded as business order records it, so
 * whoever reads the ledger's refusals (by event type, as an audit of its history does) reads the same in both
 * orders. Issued March 2026, renewed from 1 March 2027; the endorsement dated 1 July 2027 raises the premium by 100.
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const renewed = run([record(sale), record({ ...sale, kind: 'Renewed', transactionId: 'evt-r', effectiveDate: '2027-03-01', expiryDate: '2028-02-29' })]);
const endorsement = tx({ ...sale, kind: 'Endorsed', transactionId: 'evt-e', effectiveDate: '2027-07-01', premiumDelta: '100.00', expiryDate: '2028-02-29' });
const endorsed = record(endorsement);
const ending = (kind: 'Cancelled' | 'Lapsed') => record({ ...sale, kind, transactionId: `evt-${kind}`, effectiveDate: '2027-06-01' });
const reinstated = record({ ...sale, kind: 'Reinstated', transactionId: 'evt-re', effectiveDate: '2027-06-15' });

const inOrder = (commands: CreditLedgerCommand[], from = renewed): CreditLedgerEvent[] => run(commands, from);
/** The refusals the ledger records, as an audit lists them: which transaction, as read, and why (the rules' code). */
const refusals = (events: readonly CreditLedgerEvent[]) => events.flatMap((e) => (e.type === 'PolicyTransactionNotCredited'
  ? [{ transaction: e.data.transaction, code: e.data.code }] : []));
/** The endorsement's credit lines recorded as it is credited (on arrival, or again after a reinstatement). */
const credits = (events: readonly CreditLedgerEvent[]) => events.filter((e) => e.type === 'CreditLinesRecorded' && e.data.transaction.transactionId === 'evt-e');

describe('an endorsement whose credit a termination dated before it withdraws stands refused, as one refused on arrival', () => {
  it.each([['a cancellation', 'Cancelled'], ['a lapse', 'Lapsed']] as const)(
    '%s arriving after it: the same refusal as in business order, after the withdrawal and the termination', (_, kind) => {
      const termination = ending(kind);
      const business = inOrder([termination, endorsed]);
      const late = inOrder([endorsed, termination]);
      expect(refusals(business)).toEqual([{ transaction: endorsement, code: 'CREDIT_POLICY_NOT_IN_FORCE' }]);
      expect(refusals(late)).toEqual(refusals(business));
      expect(late.slice(renewed.length + 1).map((e) => e.type)).toEqual(['CreditAdjusted', 'CreditLinesReversed', 'PolicyTransactionNotCredited']);
      // Word for word: the lifecycle's reason, not the withdrawal's own (which its CreditAdjusted keeps).
      const reasons = (events: readonly CreditLedgerEvent[]) => events.flatMap((e) => (e.type === 'PolicyTransactionNotCredited' ? [e.data.reason] : []));
      expect(reasons(late)).toEqual(reasons(business));
      expect(reasons(business)).toEqual(['Endorsed evt-e is not allowed while PN-1 is terminated']);
      expect([...foldLedger(late).refused.values()]).toEqual([...foldLedger(business).refused.values()]);
      expect(net(late)).toEqual(net(business));
    });

  it('is recorded once: the termination delivered again records nothing, the endorsement again is refused again as in business order', () => {
    const cancelled = ending('Cancelled');
    const business = inOrder([cancelled, endorsed]);
    const late = inOrder([endorsed, cancelled]);
    expect(inOrder([cancelled], late)).toEqual(late);
    expect(refusals(inOrder([endorsed], late))).toEqual(refusals(inOrder([endorsed], business)));
  });

  it('a reinstatement dated before it then credits it again exactly once, whichever of the three came first, and it stands refused no more', () => {
    const business = inOrder([ending('Cancelled'), reinstated, endorsed]);
    for (const order of [[endorsed, ending('Cancelled'), reinstated], [ending('Cancelled'), endorsed, reinstated]]) {
      const events = inOrder(order);
      expect(refusals(events)).toEqual([{ transaction: endorsement, code: 'CREDIT_POLICY_NOT_IN_FORCE' }]);
      const refused = events.findIndex((e) => e.type === 'PolicyTransactionNotCredited');
      expect(credits(events.slice(refused))).toHaveLength(1);
      expect(net(events)).toEqual(net(business));
      expect(foldLedger(events).refused.size).toBe(0);
      expect(inOrder([reinstated], events)).toEqual(events);
      const ids = ledgerLines(events).map((l) => l.lineId);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('an endorsement dated before the termination keeps its credit, clawed back pro rata: nothing refused', () => {
    const inTerm = record({ ...endorsement, transactionId: 'evt-e-april', effectiveDate: '2027-04-01' });
    expect(refusals(inOrder([inTerm, ending('Cancelled')]))).toEqual([]);
  });
});
