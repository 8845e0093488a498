import { ledgerLines } from './ledger.events';
import { record, run, tx } from './ledger.fixtures';
import { buildScorecards, periodOf } from './scorecard';

describe('scorecards', () => {
  it('maps dates to periods', () => {
    expect(['month', 'quarter', 'year'].map((k) => periodOf('2026-08-14', k as 'month'))).toEqual(['2026-08', '2026-Q3', '2026']);
  });

  it('aggregates per level and period: standard premium, cross-sales, referral conversion, weighted score', () => {
    const events = run([
      record(tx()),
      record(tx({ kind: 'Cancelled', transactionId: 'evt-c', effectiveDate: '2026-09-01' })),
    ]);
    const other = run([record(tx({ policyNo: 'PN-2', transactionId: 'evt-9', referralId: null, productLine: 'MOTOR', effectiveDate: '2026-05-10' }))]);
    const rows = buildScorecards([...ledgerLines(events), ...ledgerLines(other)], 'quarter', new Map([['A-1|2026-Q1', 4]]));
    const agent = rows.filter((r) => r.level === 'agent' && r.beneficiaryId === 'A-1');
    expect(agent.map((r) => [r.period, r.standardPremium, r.crossSaleCount, r.crossSaleClawbacks, r.referralConversionRate, r.weightedKpiScore])).toEqual([
      ['2026-Q1', '1000.00', 1, 0, '0.2500', '100.00'],
      ['2026-Q2', '600.00', 1, 0, null, '60.00'],
      // 181/365 of the year unexpired on 1 Sep: 495.89 clawed back
      ['2026-Q3', '-495.89', 0, 1, null, '-49.59'],
    ]);
    const pnc = rows.find((r) => r.level === 'subsidiary' && r.beneficiaryId === 'pnc' && r.period === '2026-Q1');
    expect(pnc).toMatchObject({ standardPremium: '0.00', productStandardPremium: '1000.00', weightedKpiScore: '1000.00' });
  });
});
