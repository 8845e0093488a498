import { CreditLine } from './credit-line';
import { LedgerCommand, LedgerEvent, ledgerLines } from './ledger.events';
import { context, given, record, run, tx } from './ledger.fixtures';
import { PaymentMode } from './rule-set';
import { PolicyTransaction } from './policy-transaction';
import { replayPolicy } from './policy-engine';
import { balancesByCreditKey, historyOf } from './recompute';
import { defaultRuleSet } from './rule-set.defaults';
import { publishOnto } from './rule-timeline';
import { evolve, initialState } from './ledger.decider';

/**
 * Whole life issued at 35,000 a month from 1 February 2026, renewed from 1 February 2027 at 456,000 a
 * year paid annually. An endorsement is read, as the portfolio gives it, with the premium and dates of
 * the latest term recorded by its date when it arrives: one dated in the renewed term arriving before
 * the renewal is read (and credited) as paid monthly, 12 × its change; in business order, as paid
 * annually. Recording the renewal must re-credit it.
 */
interface TermFacts { id: string; start: string; end: string; amount: string; mode: PaymentMode }
const ISSUE: TermFacts = { id: 'evt-issue', start: '2026-02-01', end: '2027-01-31', amount: '35000.00', mode: 'MONTHLY' };
const RENEWAL: TermFacts = { id: 'evt-renew', start: '2027-02-01', end: '2028-01-31', amount: '456000.00', mode: 'ANNUAL' };

const base = tx({ productSubsidiary: 'life', productLine: 'LIFE_WHOLE', sellingSubsidiary: 'life', referralId: null, policyNo: 'PL-1' });
const termTx = (t: TermFacts, kind: 'Issued' | 'Renewed'): PolicyTransaction =>
  ({ ...base, kind, transactionId: t.id, effectiveDate: t.start, expiryDate: t.end, premium: { amount: t.amount, mode: t.mode } });
const issue = record(termTx(ISSUE, 'Issued'));
const renewal = (t: TermFacts = RENEWAL) => record(termTx(t, 'Renewed'));

/** An endorsement as the portfolio reads it with the terms it knows: the latest started by its date. */
const endorsement = (id: string, date: string, delta: string, known: readonly TermFacts[]): LedgerCommand => {
  const term = [...known].filter((t) => t.start <= date).sort((a, b) => b.start.localeCompare(a.start))[0];
  return record({ ...base, kind: 'Endorsed', transactionId: id, effectiveDate: date, expiryDate: term.end, premiumDelta: delta, premium: { amount: term.amount, mode: term.mode } });
};

type Fact = 'E-1' | 'RENEW' | 'E-2';
/** The commands of one arrival order (after the issue), each endorsement read with the terms known on its arrival. */
function arriving(order: readonly Fact[], terms: readonly TermFacts[] = [RENEWAL]): LedgerCommand[] {
  const known: TermFacts[] = [ISSUE];
  return order.flatMap((fact): LedgerCommand[] => {
    if (fact === 'RENEW') {
      known.push(...terms);
      return terms.map((t) => renewal(t));
    }
    return [fact === 'E-1' ? endorsement('evt-e1', '2026-06-01', '4000.00', known) : endorsement('evt-e2', '2027-05-01', '5000.00', known)];
  });
}
const cancellation = record({ ...base, kind: 'Cancelled', transactionId: 'evt-cancel', effectiveDate: '2027-08-01' });

const orders = <T>(items: T[]): T[][] =>
  items.length <= 1 ? [items] : items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
const BUSINESS: Fact[] = ['E-1', 'RENEW', 'E-2'];
const named = (order: Fact[]) => [order.join(' → '), order] as const;
const adjustedBy = (events: readonly LedgerEvent[]) => events.filter((e): e is Extract<LedgerEvent, { type: 'CreditAdjusted' }> => e.type === 'CreditAdjusted');

describe('an endorsement credited against the term before the one it is dated in', () => {
  const issued = run([issue]);
  const early = run([endorsement('evt-e2', '2027-05-01', '5000.00', [ISSUE])], issued);

  it('given it arrived before the renewal, then it was credited as paid monthly (the previous term\'s mode)', () => {
    const agent = ledgerLines(early).find((l) => l.transactionId === 'evt-e2' && l.level === 'agent')!;
    expect(agent).toMatchObject({ premium: '60000.00', standardPremium: '60000.00', weightedCredit: '60000.00' });
  });

  it('when the renewal is recorded, then its lines are adjusted to the renewed term\'s annual mode and its history reads that term', () => {
    given(early).when(renewal()).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['CreditLinesRecorded', 'CreditAdjusted']);
      const [adjusted] = adjustedBy(events);
      expect(adjusted.data).toMatchObject({ policyNo: 'PL-1', recalculationId: 'term-evt-renew', retiredLineIds: [], reversalLineIds: [] });
      expect(adjusted.data.endorsements).toEqual([expect.objectContaining({
        transactionId: 'evt-e2', effectiveDate: '2027-05-01', premiumDelta: '5000.00', premium: { amount: '456000.00', mode: 'ANNUAL' }, expiryDate: '2028-01-31',
      })]);
      // Every line of the endorsement and none other: 60,000 down to 5,000, on the line it adjusts.
      const endorsementLines = ledgerLines(early).filter((l) => l.transactionId === 'evt-e2').map((l) => l.lineId);
      expect(adjusted.data.lines.map((l) => l.adjustsLineId)).toEqual(endorsementLines);
      for (const line of adjusted.data.lines) {
        expect(line).toMatchObject({ origin: 'recalculation', lineId: `${line.adjustsLineId}~term-evt-renew`, transactionId: 'evt-e2', creditKey: line.adjustsLineId });
      }
      expect(adjusted.data.lines.find((l) => l.level === 'agent')).toMatchObject({ premium: '-55000.00', standardPremium: '-55000.00', weightedCredit: '-55000.00' });
      const state = [...early, ...events].reduce(evolve, initialState());
      expect(state.transactions.get('evt-e2')).toEqual(adjusted.data.endorsements![0]);
      expect(state.items.map((i) => (i.kind === 'transaction' ? i.transaction.transactionId : i.kind))).toEqual(['evt-issue', 'evt-e2', 'evt-renew']);
      expect(state.terms.get('evt-e2')).toEqual({ start: '2027-05-01', end: '2028-01-31' });
    });
  });

  it('given it arrived after the renewal (read against its own term), then nothing re-credits it; nor does the renewal re-credit one dated in the first term', () => {
    given(run([endorsement('evt-e1', '2026-06-01', '4000.00', [ISSUE])], issued)).when(renewal()).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['CreditLinesRecorded']);
    });
    const renewed = run([renewal(), endorsement('evt-e2', '2027-05-01', '5000.00', [ISSUE, RENEWAL])], issued);
    expect(adjustedBy(renewed)).toEqual([]);
  });

  it.each(orders(BUSINESS).map(named))('given %s after the issue, then the net credit per line is business order\'s, and after a cancellation in the renewed term too', (_, order) => {
    const events = run(arriving(order), issued);
    const business = run(arriving(BUSINESS), issued);
    expect(balancesByCreditKey(ledgerLines(events))).toEqual(balancesByCreditKey(ledgerLines(business)));
    const net = balancesByCreditKey(ledgerLines(events));
    expect(net.get('evt-e1|sales|A-1|agent|A-1')).toBe('48000.00');
    expect(net.get('evt-e2|sales|A-1|agent|A-1')).toBe('5000.00');
    const cancelled = balancesByCreditKey(ledgerLines(run([cancellation], events)));
    expect(cancelled).toEqual(balancesByCreditKey(ledgerLines(run([cancellation], business))));
    // 5,000 a year from 1 May keeps 92 of its 275 days; the first term's endorsement ended with its term.
    expect(cancelled.get('evt-e2|sales|A-1|agent|A-1')).toBe('1672.73');
    expect(cancelled.get('evt-e1|sales|A-1|agent|A-1')).toBe('48000.00');
    // No line id used twice, every adjustment names a line before it.
    const seen = new Set<string>();
    for (const line of ledgerLines(events)) {
      expect(seen.has(line.lineId)).toBe(false);
      if (line.adjustsLineId) expect(seen.has(line.adjustsLineId)).toBe(true);
      seen.add(line.lineId);
    }
  });

  it('given it was re-credited, then the ledger equals a from-scratch replay of its history, and a later recalculation under the same rules changes nothing', () => {
    const events = run(arriving(['E-2', 'E-1', 'RENEW']), issued);
    const ctx = context();
    const replayed: CreditLine[] = [...replayPolicy(historyOf(events), ctx).lines.values()];
    expect(balancesByCreditKey(ledgerLines(events))).toEqual(balancesByCreditKey(replayed));
    const republished = { ...ctx, timeline: publishOnto(ctx.timeline, defaultRuleSet({ version: 'v2', effectiveFrom: '2020-01-01' })) };
    const state = events.reduce(evolve, initialState());
    const recalculated = run([{ type: 'RecalculateCredits', data: { recalculationId: 'pub-v2', ruleSetVersion: 'v2', context: republished } }], events);
    // Were its history still reading the first term, the replay would credit it monthly again.
    expect(ledgerLines(recalculated.slice(events.length))).toEqual([]);
    expect(state.transactions.get('evt-e2')?.premium.mode).toBe('ANNUAL');
  });

  it('given two renewals arriving after it (monthly, then quarterly, then annual), then each re-credits it against its own term, with line ids of its own, ending as business order', () => {
    const second: TermFacts = { id: 'evt-renew-2', start: '2027-02-01', end: '2028-01-31', amount: '114000.00', mode: 'QUARTERLY' };
    const third: TermFacts = { id: 'evt-renew-3', start: '2028-02-01', end: '2029-01-31', amount: '470000.00', mode: 'ANNUAL' };
    const late = record({ ...base, kind: 'Endorsed', transactionId: 'evt-e3', effectiveDate: '2028-05-01', premiumDelta: '6000.00', expiryDate: ISSUE.end, premium: { amount: ISSUE.amount, mode: ISSUE.mode } });
    const events = run([late, renewal(second), renewal(third)], issued);
    expect(adjustedBy(events).map((e) => e.data.recalculationId)).toEqual(['term-evt-renew-2', 'term-evt-renew-3']);
    const inBusinessOrder = run([renewal(second), renewal(third), record({ ...base, kind: 'Endorsed', transactionId: 'evt-e3', effectiveDate: '2028-05-01', premiumDelta: '6000.00', expiryDate: third.end, premium: { amount: third.amount, mode: third.mode } })], issued);
    expect(balancesByCreditKey(ledgerLines(events))).toEqual(balancesByCreditKey(ledgerLines(inBusinessOrder)));
    expect(balancesByCreditKey(ledgerLines(events)).get('evt-e3|sales|A-1|agent|A-1')).toBe('6000.00');
  });
});
