import { Dec } from './money';
import { defaultRuleSet } from './rule-set.defaults';
import { validateRuleSet, validateTimeline } from './rule-set.validation';
import { compiledRuleSet, publishOnto, ruleSetAt, timelineOf } from './rule-timeline';
import { standardPremium } from './standard-premium';
import { PaymentMode } from './rule-set';

describe('credit rule sets', () => {
  it('the default rule set is valid and covers every product line and payment mode', () => {
    expect(validateRuleSet(defaultRuleSet())).toEqual([]);
    expect(defaultRuleSet().standardPremiumFactors).toHaveLength(17 * 5);
  });

  it('reports weights out of [0,1] and missing factors with paths', () => {
    const set = defaultRuleSet({
      crossSaleWeights: [{ sellingSubsidiary: 'life', productSubsidiary: 'pnc', weight: '1.10' }],
      standardPremiumFactors: defaultRuleSet().standardPremiumFactors.filter((f) => f.productLine !== 'MOTOR' || f.mode !== 'MONTHLY'),
      ownSaleWeight: '-0.1',
    });
    expect(validateRuleSet(set)).toEqual([
      { path: 'standardPremiumFactors', code: 'missing_factor', message: 'no factor for pnc/MOTOR/MONTHLY' },
      { path: 'crossSaleWeights[0].weight', code: 'out_of_range', message: '1.10 must lie within [0, 1]' },
      { path: 'ownSaleWeight', code: 'out_of_range', message: '-0.1 must lie within [0, 1]' },
    ]);
  });

  it('detects gaps and overlaps between published periods', () => {
    const a = defaultRuleSet({ version: 'a', effectiveFrom: '2024-01-01', effectiveTo: '2025-01-01' });
    expect(validateTimeline([a, defaultRuleSet({ version: 'b', effectiveFrom: '2025-02-01' })]).map((i) => i.code)).toEqual(['gap']);
    expect(validateTimeline([a, defaultRuleSet({ version: 'b', effectiveFrom: '2024-06-01' })]).map((i) => i.code)).toEqual(['overlap']);
    expect(validateTimeline([a, defaultRuleSet({ version: 'b', effectiveFrom: '2025-01-01' })])).toEqual([]);
  });

  it('effectiveFrom is inclusive and effectiveTo exclusive; a bounded set inside splits the older one', () => {
    const timeline = publishOnto(timelineOf(defaultRuleSet()), defaultRuleSet({ version: 'promo', effectiveFrom: '2026-04-01', effectiveTo: '2026-07-01' }));
    expect(['2026-03-31', '2026-04-01', '2026-06-30', '2026-07-01'].map((d) => ruleSetAt(timeline, d).set.version)).toEqual(['v1', 'promo', 'promo', 'v1']);
  });

  it('refuses to publish a version twice', () => {
    expect(() => publishOnto(timelineOf(defaultRuleSet()), defaultRuleSet())).toThrow(expect.objectContaining({ code: 'CREDIT_RULE_SET_VERSION_EXISTS' }));
  });
});

describe('standard premium per payment mode', () => {
  const rules = compiledRuleSet(defaultRuleSet());
  it.each<[string, PaymentMode, string, string, string]>([
    ['LIFE_WHOLE', 'ANNUAL', '12000.00', '12000.00', '12000.00'],
    ['LIFE_WHOLE', 'SEMI_ANNUAL', '6000.00', '12000.00', '12000.00'],
    ['LIFE_WHOLE', 'QUARTERLY', '3000.00', '12000.00', '12000.00'],
    ['LIFE_WHOLE', 'MONTHLY', '1000.00', '12000.00', '12000.00'],
    ['LIFE_WHOLE', 'SINGLE', '100000.00', '100000.00', '10000.00'],
    ['LIFE_TERM', 'MONTHLY', '123.45', '1481.40', '1185.12'],
    ['UNIVERSAL_LIFE', 'ANNUAL', '3333.33', '3333.33', '1000.00'],
  ])('%s %s %s → annualised %s, standard %s', (line, mode, modal, annualised, standard) => {
    const sp = standardPremium(rules, 'life', line as 'LIFE_WHOLE', mode, new Dec(modal));
    expect([sp.annualised.toFixed(2), sp.standardPremium.toFixed(2)]).toEqual([annualised, standard]);
  });

  it('fails with a code when a factor is missing', () => {
    const bare = compiledRuleSet(defaultRuleSet({ standardPremiumFactors: [] }));
    expect(() => standardPremium(bare, 'pnc', 'MOTOR', 'ANNUAL', new Dec(1))).toThrow(expect.objectContaining({ code: 'CREDIT_NO_STANDARD_PREMIUM_FACTOR' }));
  });
});
