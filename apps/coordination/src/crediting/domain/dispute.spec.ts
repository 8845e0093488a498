import { ledgerLines } from './ledger.events';
import { context, given, record, run, tx } from './ledger.fixtures';
import { replayPolicy } from './policy-engine';
import { historyOf } from './recompute';
import { defaultRuleSet } from './rule-set.defaults';
import { publishOnto, timelineOf } from './rule-timeline';

const issued = run([record(tx())]);
const agentLineId = 'evt-1|sales|A-1|agent|A-1';
const filed = run([{ type: 'FileDispute', data: { disputeId: 'D-1', lineId: agentLineId, reason: 'referral was mine', filedBy: 'A-1', filedAt: '2026-04-02T10:00:00Z' } }], issued);

describe('credit disputes', () => {
  it('files a dispute against an existing line', () => {
    expect(filed.at(-1)).toEqual({ type: 'DisputeFiled', data: { disputeId: 'D-1', policyNo: 'PN-1', lineId: agentLineId, reason: 'referral was mine', filedBy: 'A-1', filedAt: '2026-04-02T10:00:00Z' } });
  });

  it('upholding posts an adjustment line weighted like the contested line', () => {
    given(filed).when({ type: 'ResolveDispute', data: { disputeId: 'D-1', outcome: 'uphold', standardPremiumDelta: '50.00', reason: 'evidence accepted', resolvedBy: 'coord-1', resolvedAt: '2026-04-20T08:00:00Z' } }).then((events) => {
      expect(events.map((e) => e.type)).toEqual(['DisputeUpheld']);
      expect(ledgerLines(events)).toEqual([expect.objectContaining({
        lineId: 'dispute:D-1', origin: 'dispute', disputedLineId: agentLineId, creditKey: agentLineId, beneficiaryId: 'A-1',
        standardPremium: '50.00', weightedCredit: '5.00', effectiveDate: '2026-04-20',
      })]);
    });
  });

  it('rejecting records the reason and changes no credit', () => {
    given(filed).when({ type: 'ResolveDispute', data: { disputeId: 'D-1', outcome: 'reject', reason: 'no evidence', resolvedBy: 'coord-1', resolvedAt: '2026-04-20T08:00:00Z' } })
      .then([{ type: 'DisputeRejected', data: { disputeId: 'D-1', policyNo: 'PN-1', reason: 'no evidence', resolvedBy: 'coord-1', resolvedAt: '2026-04-20T08:00:00Z' } }]);
  });

  it('refuses unknown lines, a second open dispute, re-resolution and an uphold without amount', () => {
    given(issued).when({ type: 'FileDispute', data: { disputeId: 'D-2', lineId: 'nope', reason: 'x', filedBy: 'A-1', filedAt: '2026-04-02T10:00:00Z' } }).thenThrows('CREDIT_LINE_NOT_FOUND');
    given(filed).when({ type: 'FileDispute', data: { disputeId: 'D-2', lineId: agentLineId, reason: 'x', filedBy: 'A-1', filedAt: '2026-04-02T10:00:00Z' } }).thenThrows('CREDIT_DISPUTE_ALREADY_OPEN');
    given(filed).when({ type: 'ResolveDispute', data: { disputeId: 'D-1', outcome: 'uphold', reason: 'x', resolvedBy: 'c', resolvedAt: '2026-04-20T08:00:00Z' } }).thenThrows('CREDIT_INVALID_AMOUNT');
    const rejected = run([{ type: 'ResolveDispute', data: { disputeId: 'D-1', outcome: 'reject', reason: 'x', resolvedBy: 'c', resolvedAt: '2026-04-20T08:00:00Z' } }], filed);
    given(rejected).when({ type: 'ResolveDispute', data: { disputeId: 'D-1', outcome: 'reject', reason: 'x', resolvedBy: 'c', resolvedAt: '2026-04-21T08:00:00Z' } }).thenThrows('CREDIT_DISPUTE_ALREADY_RESOLVED');
  });

  it('a dispute after a re-pricing too small to move a cent is weighted under the new rules, as a from-scratch replay weights it', () => {
    // 0.01 of premium: weight 0.10 → 0 changes no amount, so no adjustment line; the new weight must still stick.
    const v1 = defaultRuleSet();
    const v2 = defaultRuleSet({ version: 'v2', effectiveFrom: '2026-01-15', crossSaleWeights: v1.crossSaleWeights.map((w) => ({ ...w, weight: '0.00' })), ownSaleWeight: '0.00' });
    const ctx2 = context({ timeline: publishOnto(timelineOf(v1), v2) });
    const tiny = run([record(tx({ premium: { amount: '0.01', mode: 'ANNUAL' } }))]);
    const repriced = run([{ type: 'RecalculateCredits', data: { recalculationId: 'pub-v2', ruleSetVersion: 'v2', context: ctx2 } }], tiny);
    const adjusted = repriced.at(-1)!;
    expect(adjusted.type).toBe('CreditAdjusted');
    expect(ledgerLines([adjusted])).toEqual([]);
    expect(adjusted.type === 'CreditAdjusted' && adjusted.data.repriced).toContainEqual({ lineId: agentLineId, factor: expect.any(String), kpiWeight: '0.0000', ruleSetVersion: 'v2' });
    const upheld = run([
      { type: 'FileDispute', data: { disputeId: 'D-9', lineId: agentLineId, reason: 'r', filedBy: 'A-1', filedAt: '2026-12-01T00:00:00Z' } },
      { type: 'ResolveDispute', data: { disputeId: 'D-9', outcome: 'uphold', standardPremiumDelta: '0.05', reason: 'r', resolvedBy: 'c', resolvedAt: '2026-12-02T00:00:00Z' } },
    ], repriced);
    const disputeLine = ledgerLines(upheld).find((l) => l.origin === 'dispute')!;
    expect(disputeLine).toMatchObject({ kpiWeight: '0.0000', weightedCredit: '0.00', ruleSetVersion: 'v2' });
    expect(replayPolicy(historyOf(upheld), ctx2).lines.get('dispute:D-9')).toMatchObject({ kpiWeight: '0.0000', weightedCredit: '0.00' });
  });
});
