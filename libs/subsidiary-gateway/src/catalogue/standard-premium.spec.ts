import { standardPremium, standardPremiumDelta } from './standard-premium';

const WHOLE_LIFE = { regularFactor: '1.00', singleFactor: '0.10' };
const TERM = { regularFactor: '0.60' };

describe('standard premium (标准保费)', () => {
  it.each([
    ['12000.00', 'ANNUAL', WHOLE_LIFE, '12000.00'],
    ['6000.00', 'SEMI_ANNUAL', WHOLE_LIFE, '12000.00'],
    ['3000.00', 'QUARTERLY', WHOLE_LIFE, '12000.00'],
    ['1000.00', 'MONTHLY', WHOLE_LIFE, '12000.00'],
    ['1000000.00', 'SINGLE', WHOLE_LIFE, '100000.00'],
    ['1234.56', 'ANNUAL', TERM, '740.74'],
    ['99.99', 'MONTHLY', TERM, '719.93'],
  ] as const)('premium %s paid %s counts %s', (amount, mode, factors, expected) => {
    expect(standardPremium(amount, mode, factors)).toBe(expected);
  });

  it('is exact where floating point is not (0.1 + 0.2)', () => {
    expect(standardPremium('0.30', 'ANNUAL', { regularFactor: '1.00' })).toBe('0.30');
    expect(standardPremium('1.15', 'ANNUAL', { regularFactor: '0.50' })).toBe('0.58');
  });

  it('never rounds a positive premium down to nothing', () => {
    expect(standardPremium('0.01', 'SINGLE', WHOLE_LIFE)).toBe('0.01');
  });

  it('handles the largest premium the contract allows without losing digits', () => {
    expect(standardPremium('999999999999999.99', 'MONTHLY', WHOLE_LIFE)).toBe('11999999999999999.88');
  });
});

describe('standard-premium delta of an endorsement', () => {
  it.each([
    ['-350.00', 'ANNUAL', WHOLE_LIFE, '-350.00'],
    ['-100.00', 'MONTHLY', TERM, '-720.00'],
    ['500.00', 'SINGLE', WHOLE_LIFE, '50.00'],
    ['0.00', 'MONTHLY', TERM, '0.00'],
    ['-0.01', 'SINGLE', WHOLE_LIFE, '0.00'],
  ] as const)('a change of %s per %s instalment counts %s', (delta, mode, factors, expected) => {
    expect(standardPremiumDelta(delta, mode, factors)).toBe(expected);
  });
});
