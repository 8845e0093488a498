import { LedgerEvent, ledgerLines } from './ledger.events';
import { context, given, record, run, tx } from './ledger.fixtures';
import { balancesByCreditKey, historyOf, recompute } from './recompute';
import { defaultRuleSet } from './rule-set.defaults';
import { publishOnto, timelineOf } from './rule-timeline';
import { decidePublication } from './rule-catalogue.decider';
import { shadowRun } from './shadow';
import { replayPolicy } from './policy-engine';

const v1 = defaultRuleSet();
const v2 = defaultRuleSet({
  version: 'v2', effectiveFrom: '2026-01-01',
  crossSaleWeights: v1.crossSaleWeights.map((w) => (w.productSubsidiary === 'pnc' && w.sellingSubsidiary === 'life' ? { ...w, weight: '0.20' } : w)),
});
const issued = run([record(tx())]);

describe('retroactive rule set', () => {
  it('publishing v2 in the past clips v1 and keeps the timeline gap-free', () => {
    const [published] = decidePublication({ type: 'PublishRuleSet', data: { ruleSet: v2, publishedAt: '2026-05-01T09:00:00Z', publishedBy: 'admin' } }, timelineOf(v1));
    expect(published.data.segments.map((s) => [s.version, s.effectiveFrom, s.effectiveTo])).toEqual([['v1', '2020-01-01', '2026-01-01'], ['v2', '2026-01-01', null]]);
  });

  it('emits adjustment lines (deltas) that point at the lines they adjust; history is not edited', () => {
    const ctx2 = context({ timeline: publishOnto(timelineOf(v1), v2) });
    given(issued).when({ type: 'RecalculateCredits', data: { recalculationId: 'pub-v2', ruleSetVersion: 'v2', context: ctx2 } }).then((events: LedgerEvent[]) => {
      expect(events.map((e) => e.type)).toEqual(['CreditAdjusted']);
      const adjustments = ledgerLines(events);
      expect(adjustments.map((l) => [l.lineId, l.weightedCredit, l.kpiWeight])).toEqual([
        ['evt-1|sales|A-1|agent|A-1~pub-v2', '100.00', '0.2000'],
        ['evt-1|sales|A-1|team|T1~pub-v2', '100.00', '0.2000'],
        ['evt-1|sales|A-1|branch|B1~pub-v2', '100.00', '0.2000'],
        ['evt-1|sales|A-1|subsidiary|life~pub-v2', '100.00', '0.2000'],
      ]);
      expect(adjustments.every((l) => l.adjustsLineId === l.lineId.split('~')[0] && l.origin === 'recalculation')).toBe(true);
      const ledger = [...ledgerLines(issued), ...adjustments];
      const fromScratch = ledgerLines([]).concat([...replayPolicy(historyOf(issued), ctx2).lines.values()]);
      expect(balancesByCreditKey(ledger)).toEqual(balancesByCreditKey(fromScratch));
    });
  });

  it('changes nothing for a policy the new set does not re-price', () => {
    const ctx2 = context({ timeline: publishOnto(timelineOf(v1), { ...v2, version: 'v2b', crossSaleWeights: v1.crossSaleWeights }) });
    given(issued).when({ type: 'RecalculateCredits', data: { recalculationId: 'pub-v2b', ruleSetVersion: 'v2b', context: ctx2 } }).then([]);
  });

  it('shadow run reports per-agent and per-subsidiary differences without publishing', () => {
    const streams = () => [{ policyNo: 'PN-1', items: historyOf(issued) }];
    const report = shadowRun(streams, context(), v2);
    expect(report.perAgent).toEqual([{ side: 'sales', level: 'agent', beneficiaryId: 'A-1', current: { standardPremium: '1000.00', weightedCredit: '100.00' }, draft: { standardPremium: '1000.00', weightedCredit: '200.00' }, delta: { standardPremium: '0.00', weightedCredit: '100.00' } }]);
    expect(report.perSubsidiary.map((d) => [d.side, d.beneficiaryId, d.delta.weightedCredit])).toEqual([['sales', 'life', '100.00']]);
    expect(recompute(streams(), context()).totals.weightedCredit.toFixed(2)).toBe('1400.00');
  });

  it('rejects a draft that would leave an invalid timeline, with issue paths', () => {
    const bad = defaultRuleSet({ version: 'v3', productSpecialistWeight: '1.5', standardPremiumFactors: [] });
    expect(() => publishOnto(timelineOf(v1), bad)).toThrow(expect.objectContaining({
      code: 'CREDIT_RULE_SET_INVALID',
      issues: expect.arrayContaining([expect.objectContaining({ path: 'productSpecialistWeight', code: 'out_of_range' }), expect.objectContaining({ code: 'missing_factor' })]),
    }));
  });
});
