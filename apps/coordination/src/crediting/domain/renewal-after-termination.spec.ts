import { evolve, initialState } from './ledger.decider';
import { LedgerCommand, LedgerEvent, ledgerLines } from './ledger.events';
import { given, record, run, tx } from './ledger.fixtures';
import { balancesByCreditKey } from './recompute';

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

  it('lets a lapse in the renewed term claw back the renewal the same either way', () => {
    const lapsed = [inOrder([cancellation, renewal, lapse]), inOrder([renewal, cancellation, lapse])];
    expect(lapsed.map((events) => events[events.length - 1].type)).toEqual(['CreditLinesReversed', 'CreditLinesReversed']);
    expect(net(lapsed[1])).toEqual(net(lapsed[0]));
    expect(stateOf(lapsed[1]).status).toBe('terminated');
  });

  it('still refuses a renewal whose term starts on or before the cancellation', () => {
    const cancelled = inOrder([cancellation]);
    given(cancelled).when(record({ ...sale, kind: 'Renewed', transactionId: 'evt-r0', effectiveDate: '2026-05-01' })).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
  });
});
