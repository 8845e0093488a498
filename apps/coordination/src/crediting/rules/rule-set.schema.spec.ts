import { defaultRuleSet, publishOnto, timelineOf } from '../domain';
import { RuleSetDraftSchema, ruleSetFromDraft } from './rule-set.schema';

const v1 = defaultRuleSet();
const v2 = defaultRuleSet({ version: 'v2', effectiveFrom: '2026-01-01', orphanRule: 'coordinator', defaultCrossSaleWeight: '0.01' });
const timeline = publishOnto(timelineOf(v1), v2);

describe('rule-set drafts', () => {
  it('takes every field the draft leaves out from the set in effect on its start date', () => {
    const draft = RuleSetDraftSchema.parse({ version: 'v3', effectiveFrom: '2026-06-01', ownSaleWeight: '0.90' });
    expect(ruleSetFromDraft(draft, timeline)).toEqual({ ...v2, version: 'v3', effectiveFrom: '2026-06-01', effectiveTo: null, ownSaleWeight: '0.90' });
  });

  it('amends the older set when the draft starts inside it, and the default when nothing is published', () => {
    const draft = RuleSetDraftSchema.parse({ version: 'v1b', effectiveFrom: '2025-01-01', effectiveTo: '2025-07-01' });
    expect(ruleSetFromDraft(draft, timeline)).toMatchObject({ orphanRule: v1.orphanRule, defaultCrossSaleWeight: v1.defaultCrossSaleWeight, effectiveTo: '2025-07-01' });
    expect(ruleSetFromDraft(RuleSetDraftSchema.parse({ version: 'x', effectiveFrom: '2026-01-01' }), timelineOf())).toMatchObject({ ...v1, version: 'x', effectiveFrom: '2026-01-01' });
  });

  it('rejects unknown fields and product lines before the domain sees the draft', () => {
    expect(RuleSetDraftSchema.safeParse({ version: 'v3', effectiveFrom: '2026-01-01', bonus: '1' }).success).toBe(false);
    const badLine = { version: 'v3', effectiveFrom: '2026-01-01', standardPremiumFactors: [{ subsidiary: 'pnc', productLine: 'SPACE', mode: 'ANNUAL', factor: '1' }] };
    expect(RuleSetDraftSchema.safeParse(badLine).error?.issues.map((i) => i.path.join('.'))).toEqual(['standardPremiumFactors.0.productLine']);
  });
});
