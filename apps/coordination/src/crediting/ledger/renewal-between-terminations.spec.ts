import { PolicyTransaction, repeatsTermination } from '../domain';
import { record, tx } from '../domain/ledger.fixtures';
import { CreditLedgerEvent, foldLedger } from './credit-ledger';
import { ledgerLines, ledgerNet as net, replayedNet as replayed, runLedger, sortedLines as linesOf, standingRefusals } from './credit-ledger.fixtures';
import { permutations } from '../../../../../test/support/permutations';

/**
 * A cancellation (C, 1 June 2026), a renewal (N, from 1 March 2027) and a lapse or second cancellation dated in the
 * renewed term (T, 1 June 2027), in every arrival order (issue #10). In business order C claws back the first term from
 * 1 June, N puts the policy back in force, T claws the renewal back from 1 June 2027 and ends the policy. The ledger
 * kept T, arriving while C stood, as its repeat, and N, arriving after both, did not put it back (the policy in force);
 * and C, arriving after N and T, went no further (the crediting handler took it for a repeat): its clawback missing.
 * Sent as the crediting handler sends them (a termination it takes for a repeat goes no further).
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const ending = (kind: PolicyTransaction['kind'], date: string): PolicyTransaction =>
  ({ ...sale, kind, transactionId: `evt-${kind}-${date}`, effectiveDate: date });
const renewed: PolicyTransaction = { ...sale, kind: 'Renewed', transactionId: 'evt-n', effectiveDate: '2027-03-01', expiryDate: '2028-02-29' };
const run = (txs: PolicyTransaction[], from: CreditLedgerEvent[] = []) => txs.reduce((events, t) =>
  (repeatsTermination(t, foldLedger(events)) ? events : runLedger([record(t)], events)), from);
const issued = run([sale]);

const historyOf = (events: CreditLedgerEvent[]) => foldLedger(events).items;

describe.each([['a lapse', 'Lapsed'], ['a cancellation', 'Cancelled']] as const)('a cancellation, a renewal and %s dated in the renewed term', (_, kind) => {
  const facts: Record<string, PolicyTransaction> = { C: ending('Cancelled', '2026-06-01'), N: renewed, T: ending(kind, '2027-06-01') };
  const arriving = (order: string) => run([...order].map((f) => facts[f]), issued);
  const business = arriving('CNT');

  it('in business order: each termination claws back its own term from its date, the policy ends terminated', () => {
    expect(business.slice(issued.length).map((e) => e.type)).toEqual(['CreditLinesReversed', 'CreditLinesRecorded', 'CreditLinesReversed']);
    const reversed = ledgerLines(business).filter((l) => l.origin === 'reversal').map((l) => `${l.transactionKind} ${l.reversesLineId?.split('|')[0]}`);
    expect([...new Set(reversed)]).toEqual(['Cancelled evt-1', `${kind} evt-n`]);
    expect(foldLedger(business).status).toBe('terminated');
  });

  it.each(permutations([...'CNT']).map((o) => o.join('')))('arriving %s: business order\'s status, net credit, lines and no refusal standing', (order) => {
    const late = arriving(order);
    expect(foldLedger(late).status).toBe('terminated');
    expect(net(late)).toEqual(net(business));
    expect(net(late)).toEqual(replayed(late));
    expect(linesOf(late)).toEqual(linesOf(business));
    expect(standingRefusals(late)).toEqual([]);
    expect(foldLedger(late).repeatedTerminations.size).toBe(0);
    // The renewal recorded while the policy stood in force is appended, C after it (as before): the same replay.
    if (order !== 'NCT') expect(historyOf(late)).toEqual(historyOf(business));
  });
});
