import { PolicyTransaction } from '../domain';
import { record, tx } from '../domain/ledger.fixtures';
import { CreditLedgerEvent, foldLedger } from './credit-ledger';
import { ledgerNet as net, replayedNet as replayed, runLedger as run, sortedLines as linesOf, standingRefusals } from './credit-ledger.fixtures';
import { permutations } from '../../../../../test/support/permutations';

/**
 * A cancellation, the reinstatement that undoes it and a later cancellation or lapse, in every arrival order
 * (issue #10). Issued March 2026 (to February 2027), cancelled from 1 June 2026 (C), reinstated from 1 July (R),
 * ended again from 1 September (T). In business order C claws back from 1 June, R re-credits it, and T claws
 * back from 1 September: the policy ends terminated by T. The ledger used to take T, arriving while C stood (or
 * C, arriving after T with R kept between them), for a repeat, and R, arriving after both, left the policy in
 * force or T's clawback alone standing.
 */
const sale = tx({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });
const issued = run([record(sale)]);
const ending = (kind: PolicyTransaction['kind'], date: string): PolicyTransaction =>
  ({ ...sale, kind, transactionId: `evt-${kind}-${date}`, effectiveDate: date });
const reinstated: PolicyTransaction = { ...sale, kind: 'Reinstated', transactionId: 'evt-re', effectiveDate: '2026-07-01' };

const historyOf = (events: CreditLedgerEvent[]) => foldLedger(events).items;

describe.each([['a lapse', 'Lapsed'], ['a cancellation', 'Cancelled']] as const)('a cancellation, its reinstatement and %s dated after it', (_, kind) => {
  const facts: Record<string, PolicyTransaction> = { C: ending('Cancelled', '2026-06-01'), R: reinstated, T: ending(kind, '2026-09-01') };
  const arriving = (order: string) => run([...order].map((f) => record(facts[f])), issued);
  const business = arriving('CRT');

  it('in business order: each termination claws back from its date, the reinstatement re-credits the first, the policy ends terminated', () => {
    expect(business.slice(issued.length).map((e) => e.type)).toEqual(['CreditLinesReversed', 'CreditLinesRecorded', 'CreditLinesReversed']);
    expect(foldLedger(business).status).toBe('terminated');
  });

  it.each(permutations([...'CRT']).map((o) => o.join('')))('arriving %s: business order\'s status, history, net credit and no refusal standing', (order) => {
    const late = arriving(order);
    expect(foldLedger(late).status).toBe('terminated');
    expect(historyOf(late)).toEqual(historyOf(business));
    expect(net(late)).toEqual(net(business));
    expect(net(late)).toEqual(replayed(late));
    expect(standingRefusals(late)).toEqual([]);
    expect(foldLedger(late).keptReinstatements.size).toBe(0);
  });

  /**
   * Row by row too; but where T arrived first and C took its place before R came (T's clawback taken back,
   * then posted again once R put the policy in force before it), T's lines stand with the adjustments netting
   * them: those adjustments aside, the lines are business order's.
   */
  it.each(permutations([...'CRT']).map((o) => o.join('')))('arriving %s: business order\'s credit lines', (order) => {
    const late = linesOf(arriving(order));
    expect(order === 'TCR' ? late.filter((l) => !l.adjustsLineId) : late).toEqual(linesOf(business));
  });
});

/**
 * With a second reinstatement (S, 1 October) undoing T (a cancellation, 1 September), in every arrival order: in business
 * order C claws back from 1 June, R re-credits it, T claws back from 1 September and S re-credits that; the policy ends in
 * force. S recorded before R arrived reinstated C (the policy terminated on its date), and R, or T arriving after it with R
 * kept, was kept (R the policy in force on its date, T a repeat): the history and lines not business order's. Now both take
 * their places before S (`reinstatementBefore`), S's re-credit of C taken back.
 */
describe('a cancellation, its reinstatement, a second cancellation and its reinstatement', () => {
  const facts: Record<string, PolicyTransaction> = { C: ending('Cancelled', '2026-06-01'), R: reinstated, T: ending('Cancelled', '2026-09-01'),
    S: { ...reinstated, transactionId: 'evt-re2', effectiveDate: '2026-10-01' } };
  const arriving = (order: string) => run([...order].map((f) => record(facts[f])), issued);
  const business = arriving('CRTS');
  /** Lines netting others (`~…`, posted by a recalculation) and those they net to nothing aside. */
  const withoutNetted = (events: CreditLedgerEvent[]) => {
    const lines = linesOf(events);
    const netted = new Set(lines.filter((l) => l.adjustsLineId !== undefined).map((l) => l.adjustsLineId));
    const nothing = (id: string) => Math.abs(lines.filter((l) => l.lineId === id || l.adjustsLineId === id)
      .reduce((sum, l) => sum + Number(l.weightedCredit), 0)) < 0.005;
    return lines.filter((l) => l.adjustsLineId === undefined && !(netted.has(l.lineId) && nothing(l.lineId)));
  };

  it.each(permutations([...'CRTS']).map((o) => o.join('')))('arriving %s: business order\'s status, history, net credit and lines', (order) => {
    const late = arriving(order);
    expect(foldLedger(late).status).toBe('in-force');
    expect(historyOf(late)).toEqual(historyOf(business));
    expect(net(late)).toEqual(net(business));
    expect(net(late)).toEqual(replayed(late));
    expect(standingRefusals(late)).toEqual([]);
    expect([foldLedger(late).keptReinstatements.size, foldLedger(late).repeatedTerminations.size]).toEqual([0, 0]);
    expect(withoutNetted(late)).toEqual(linesOf(business));
  });
});
