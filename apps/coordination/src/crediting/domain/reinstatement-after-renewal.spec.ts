import { evolve, initialState } from './ledger.decider';
import { LedgerEvent, ledgerLines } from './ledger.events';
import { record, run, tx } from './ledger.fixtures';
import { balancesByCreditKey } from './recompute';

/**
 * A cancellation dated in a policy's first term, and its reinstatement, against the renewal of the next
 * term (which starts in force, so the cancellation ends the earlier term only). Issued March 2026, cancelled
 * from 1 May 2026, reinstated from 1 June, renewed from 1 March 2027: in business order the reinstatement
 * re-credits what the cancellation clawed back; arriving after the renewal (the policy already in force in its
 * renewed term) it must do the same, not be refused as a reinstatement of a policy in force.
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const issued = run([record(sale)]);
const cancellation = record({ ...sale, kind: 'Cancelled', transactionId: 'evt-c', effectiveDate: '2026-05-01' });
const reinstatement = record({ ...sale, kind: 'Reinstated', transactionId: 'evt-i', effectiveDate: '2026-06-01' });
const renewal = record({ ...sale, kind: 'Renewed', transactionId: 'evt-r', effectiveDate: '2027-03-01', expiryDate: '2028-02-29' });

const net = (events: LedgerEvent[]) => balancesByCreditKey(ledgerLines(events));
const stateOf = (events: LedgerEvent[]) => events.reduce(evolve, initialState());

describe('a reinstatement of a cancellation in an earlier term, arriving after the renewal', () => {
  const business = () => run([cancellation, reinstatement, renewal], issued);

  it('re-credits what the cancellation clawed back in business order', () => {
    expect(business().slice(issued.length).map((e) => e.type)).toEqual(['CreditLinesReversed', 'CreditLinesRecorded', 'CreditLinesRecorded']);
    expect(net(business())).toEqual(net(run([renewal], issued)));
  });

  it.each([
    ['the renewal between the cancellation and the reinstatement', [cancellation, renewal, reinstatement]],
    ['the renewal first', [renewal, cancellation, reinstatement]],
  ])('nets the same credit with %s, the policy in force', (_, order) => {
    const late = run(order, issued);
    expect(late.map((e) => e.type)).not.toContain('PolicyTransactionNotCredited');
    expect(net(late)).toEqual(net(business()));
    expect(stateOf(late).status).toBe('in-force');
  });
});
