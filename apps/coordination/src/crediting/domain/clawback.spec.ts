import { CreditLine } from './credit-line';
import { LedgerEvent, ledgerLines } from './ledger.events';
import { given, record, run, tx } from './ledger.fixtures';
import { balancesByCreditKey } from './recompute';

const lifeSale = tx({ productSubsidiary: 'life', productLine: 'LIFE_WHOLE', premium: { amount: '12000.00', mode: 'ANNUAL' }, effectiveDate: '2026-03-01', expiryDate: '2046-03-01' });
const issued = run([record(lifeSale)]);
const original = ledgerLines(issued);
const reversalLines = (events: LedgerEvent[]): readonly CreditLine[] => {
  expect(events.map((e) => e.type)).toEqual(['CreditLinesReversed']);
  return (events[0] as Extract<LedgerEvent, { type: 'CreditLinesReversed' }>).data.lines;
};
const cancel = (date: string, kind: 'Cancelled' | 'Lapsed' = 'Cancelled') => record({ ...lifeSale, kind, transactionId: `evt-${kind}-${date}`, effectiveDate: date });

describe('clawback', () => {
  it('reverses every original line in full inside the 15-day free-look window', () => {
    given(issued).when(cancel('2026-03-10')).then((events) => {
      const lines = reversalLines(events);
      expect(lines).toHaveLength(original.length);
      lines.forEach((line, i) => {
        expect(line).toMatchObject({ origin: 'reversal', reversesLineId: original[i].lineId, creditKey: original[i].lineId, transactionId: 'evt-Cancelled-2026-03-10' });
        expect(line.standardPremium).toBe(`-${original[i].standardPremium}`);
        expect(line.weightedCredit).toBe(`-${original[i].weightedCredit}`);
      });
      expect(balancesByCreditKey([...original, ...lines]).size).toBe(0);
    });
  });

  it('reverses the unexpired part of the premium year after the window (pro rata)', () => {
    given(issued).when(cancel('2026-09-01', 'Lapsed')).then((events) => {
      const [agent] = reversalLines(events);
      // 181 of 365 days unexpired: 12000.00 × 181 / 365 = 5950.684… → 5950.68
      expect(agent).toMatchObject({ level: 'agent', standardPremium: '-5950.68', weightedCredit: '-5950.68', premium: '-5950.68' });
      expect(agent.reason).toContain('181/365');
    });
  });

  it('re-credits what was clawed back when the policy is reinstated', () => {
    const cancelled = run([cancel('2026-09-01')], issued);
    const reinstated = run([record({ ...lifeSale, kind: 'Reinstated', transactionId: 'evt-re', effectiveDate: '2026-10-01' })], cancelled);
    const reinstatement = ledgerLines(reinstated.slice(cancelled.length));
    const reversals = ledgerLines(cancelled.slice(issued.length));
    expect(reinstatement.map((l) => l.reversesLineId)).toEqual(reversals.map((l) => l.lineId));
    expect(balancesByCreditKey(ledgerLines(reinstated))).toEqual(balancesByCreditKey(original));
  });

  it('refuses to cancel twice on a day or to renew a terminated policy for a term starting with its first (it renews no term)', () => {
    const cancelled = run([cancel('2026-03-10')], issued);
    given(cancelled).when(cancel('2026-03-10', 'Lapsed')).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
    // Dated later, it is kept with no line: a reinstatement dated between the two may come after it.
    given(cancelled).when(cancel('2026-04-10')).then((events) => expect(events.map((e) => e.type)).toEqual(['TerminationRepeated']));
    given(cancelled).when(record({ ...lifeSale, kind: 'Renewed', transactionId: 'evt-r' })).thenThrows('CREDIT_POLICY_NOT_IN_FORCE');
  });

  it('claws nothing back from a term that had already ended', () => {
    const renewed = run([record({ ...lifeSale, kind: 'Renewed', transactionId: 'evt-r', effectiveDate: '2027-03-01' })], issued);
    given(renewed).when(cancel('2027-03-20')).then((events) => {
      expect(reversalLines(events).every((l) => l.reversesLineId!.startsWith('evt-r|'))).toBe(true);
    });
  });
});

describe('clawback of endorsements, whatever order they and the renewal arrived in', () => {
  // Renewed from 1 March 2027; one endorsement dated in the first premium year, one in the renewed one.
  const renewal = record({ ...lifeSale, kind: 'Renewed', transactionId: 'evt-r', effectiveDate: '2027-03-01', expiryDate: '2028-03-01' });
  const endorsement = (id: string, date: string) => record({ ...lifeSale, kind: 'Endorsed', transactionId: id, effectiveDate: date, premiumDelta: '1200.00' });
  const business = [endorsement('evt-e1', '2026-09-01'), renewal, endorsement('evt-e2', '2027-09-01')];
  const orders = <T>(items: T[]): T[][] =>
    items.length <= 1 ? [items] : items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
  const netAfterCancellation = (order: typeof business) => balancesByCreditKey(ledgerLines(run([...order, cancel('2027-12-01')], issued)));

  it.each(orders(business).map((order) => [order.map((c) => (c.type === 'RecordPolicyTransaction' ? c.data.transaction.transactionId : '')).join(' '), order]))(
    'given %s, then a cancellation in the renewed year reverses the renewal and the endorsement dated in it only',
    (_, order) => {
      const net = netAfterCancellation(order);
      // In business order: the first year's endorsement ended with its year (all of it kept); the renewed year's keeps 91 of its 182 days.
      expect(net).toEqual(netAfterCancellation(business));
      expect(net.get('evt-e1|sales|A-1|agent|A-1')).toBe('1200.00');
      expect(net.get('evt-e2|sales|A-1|agent|A-1')).toBe('600.00');
    },
  );
});
