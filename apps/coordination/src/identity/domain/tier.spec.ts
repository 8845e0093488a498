import { assessTier, tierFor } from './tier';

const holding = (annualStandardPremium: string, status = 'in-force', role = 'holder') => ({ annualStandardPremium, status, role });

describe('client tier', () => {
  it.each([
    ['0', 'standard'],
    ['49999.99', 'standard'],
    ['50000', 'strategic'],
    ['499999.99', 'strategic'],
    ['500000.00', 'top-strategic'],
  ])('given %p CNY annual standard premium, then %p', (amount, tier) => expect(tierFor(amount)).toBe(tier));

  it('given holdings whose float sum would drift, then the decimal total is exact at the threshold', () => {
    const holdings = Array.from({ length: 10 }, () => holding('5000.10')).concat([holding('-1.00')]);
    expect(assessTier(holdings)).toEqual({ tier: 'strategic', annualStandardPremium: '50000.00' });
  });

  it('given lapsed policies and policies where the client is only insured, then they do not count', () =>
    expect(assessTier([holding('40000'), holding('600000', 'lapsed'), holding('600000', 'in-force', 'insured')])).toEqual({
      tier: 'standard', annualStandardPremium: '40000.00',
    }));

  it('given configured thresholds, then they apply', () =>
    expect(assessTier([holding('20000')], { topStrategic: '100000', strategic: '10000' }).tier).toBe('strategic'));

  it('given a holding change, when recomputed, then the tier follows', () => {
    const before = [holding('30000'), holding('30000')];
    expect(assessTier(before).tier).toBe('strategic');
    expect(assessTier([before[0], { ...before[1], status: 'cancelled' }]).tier).toBe('standard');
  });
});
