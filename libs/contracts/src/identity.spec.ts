import fc from 'fast-check';
import {
  CREDIT_CODE_CHARSET, generateCreditCode, generateResidentId, identityHash, isCalendarDate, isValidCreditCode, isValidIdentityNumber,
  isValidResidentId, maskIdentityNumber, normaliseIdentityNumber, residentIdBirthDate, residentIdGender, seededRng,
} from '@lib/contracts';

describe('resident id (GB 11643-1999)', () => {
  it.each([
    ['the standard\'s own example, check character X', '11010519491231002X'],
    ['the ARCHITECTURE.md client', '420106198912235872'],
    ['a Shenzhen number born on 29 Feb of a leap year', generateResidentId(seededRng(1), { birthDate: '2000-02-29', regionCode: '440305' })],
  ])('given %s, it is valid', (_case, id) => {
    expect(isValidResidentId(id)).toBe(true);
  });

  it.each([
    ['wrong check character', '110105194912310021'],
    ['lower-case x (not canonical: normalise first)', '11010519491231002x'],
    ['17 characters', '11010519491231002'],
    ['19 characters', '11010519491231002X1'],
    ['a letter in the body', '1101051949123100AX'],
    ['an impossible date (30 Feb), check recomputed', withCheck('11010519490230002')],
    ['a year before 1900, check recomputed', withCheck('11010518991231002')],
    ['an unknown province 99, check recomputed', withCheck('99010519491231002')],
  ])('given %s, it is rejected', (_case, id) => {
    expect(isValidResidentId(id)).toBe(false);
  });

  it('when asked for the birth date, then it reads the 8 digits after the region', () => {
    expect(residentIdBirthDate('11010519491231002X')).toBe('1949-12-31');
    expect(residentIdBirthDate(withCheck('11010519490230002'))).toBeNull();
  });

  it('given any seed and options, then the generated id validates and encodes them', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom('M' as const, 'F' as const), fc.date({ min: new Date('1900-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }), (seed, gender, date) => {
        const birthDate = date.toISOString().slice(0, 10);
        const id = generateResidentId(seededRng(seed), { gender, birthDate });
        expect(isValidResidentId(id)).toBe(true);
        expect(residentIdBirthDate(id)).toBe(birthDate);
        expect(residentIdGender(id)).toBe(gender);
      }),
    );
  });

  it('given a valid id, when any single character is replaced by another, then it is rejected', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(17), fc.constantFrom(...'0123456789X'), (seed, pos, replacement) => {
        const id = generateResidentId(seededRng(seed));
        fc.pre(id[pos] !== replacement);
        expect(isValidResidentId(id.slice(0, pos) + replacement + id.slice(pos + 1))).toBe(false);
      }),
    );
  });
});

describe('unified social credit code (GB 32100-2015)', () => {
  it.each([
    ['a published code (check character 3)', '91350100M000100Y43'],
    ['the ARCHITECTURE.md organization', '91110101MA0123456B'],
  ])('given %s, it is valid', (_case, code) => {
    expect(isValidCreditCode(code)).toBe(true);
  });

  it.each([
    ['wrong check character', '91350100M000100Y44'],
    ['a letter outside the alphabet (I)', '91350100M000100I43'],
    ['a letter in the region block, check recomputed', withCreditCheck('913501A0M000100Y4')],
    ['17 characters', '91350100M000100Y4'],
    ['lower case', '91350100m000100y43'],
  ])('given %s, it is rejected', (_case, code) => {
    expect(isValidCreditCode(code)).toBe(false);
  });

  it('given any seed, then the generated code validates', () => {
    fc.assert(fc.property(fc.integer(), (seed) => expect(isValidCreditCode(generateCreditCode(seededRng(seed)))).toBe(true)));
  });

  it('given a valid code, when any single character is replaced by another, then it is rejected', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(17), fc.constantFrom(...CREDIT_CODE_CHARSET), (seed, pos, replacement) => {
        const code = generateCreditCode(seededRng(seed));
        fc.pre(code[pos] !== replacement);
        expect(isValidCreditCode(code.slice(0, pos) + replacement + code.slice(pos + 1))).toBe(false);
      }),
    );
  });
});

describe('normalising, masking and hashing', () => {
  it.each([
    ['spaces and lower-case x', ' 110105 19491231 002x ', '11010519491231002X'],
    ['full-width digits and letter', '１１０１０５１９４９１２３１００２Ｘ', '11010519491231002X'],
    ['hyphens and brackets in a permit', 'h-1234 5678(01)', 'H1234567801'],
  ])('given %s, then the canonical form is used', (_case, raw, canonical) => {
    expect(normaliseIdentityNumber(raw)).toBe(canonical);
  });

  it.each([
    ['an 18-character id keeps 3 + 4', '11010519491231002X', '110***********002X'],
    ['a 9-character passport keeps 1 + 2', 'E12345678', 'E******78'],
    ['a 5-character number hides everything', 'AB123', '*****'],
  ])('given %s (%s), then the mask is %s', (_case, number, masked) => {
    expect(maskIdentityNumber(number)).toBe(masked);
  });

  it('given the same number written two ways, then the hash is the same 64-hex HMAC', () => {
    const a = identityHash('k', 'RESIDENT_ID', '11010519491231002X');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(identityHash('k', 'RESIDENT_ID', '110105 19491231 002x')).toBe(a);
  });

  it('given another key or another document type, then the hash differs', () => {
    const a = identityHash('k', 'RESIDENT_ID', '11010519491231002X');
    expect(identityHash('k2', 'RESIDENT_ID', '11010519491231002X')).not.toBe(a);
    expect(identityHash('k', 'OTHER', '11010519491231002X')).not.toBe(a);
  });

  it.each([
    ['PASSPORT', 'E12345678', true],
    ['PASSPORT', 'E1', false],
    ['HK_MACAO_PERMIT', 'H12345678', true],
    ['HK_MACAO_PERMIT', 'X12345678', false],
    ['TAIWAN_PERMIT', '12345678', true],
    ['RESIDENT_ID', '11010519491231002X', true],
    ['RESIDENT_ID', '110105194912310021', false],
  ] as const)('given a %s number %s, then validity is %s', (type, number, valid) => {
    expect(isValidIdentityNumber(type, number)).toBe(valid);
  });
});

function withCheck(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return first17 + '10X98765432'[sum % 11];
}

function withCreditCheck(first17: string): string {
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((acc, c, i) => acc + CREDIT_CODE_CHARSET.indexOf(c) * weights[i], 0);
  return first17 + CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

describe('calendar dates', () => {
  it.each([
    ['2024-02-29', true], ['2023-02-29', false], ['2000-02-29', true], ['1900-02-29', false], ['2026-04-31', false],
    ['2026-12-31', true], ['2026-13-01', false], ['2026-00-10', false], ['2026-01-00', false], ['0099-01-01', false],
    ['0100-01-01', true], ['9999-12-31', true], ['2026-1-01', false], ['20260101', false], ['2026-01-01T00:00', false],
  ])('%s is a calendar date: %p', (iso, expected) => {
    expect(isCalendarDate(iso)).toBe(expected);
  });

  it('agrees with the Date-based check it replaced, for any YYYY-MM-DD', () => {
    const byDate = (iso: string) => new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)))).toISOString().slice(0, 10) === iso;
    const pad = (n: number, width: number) => String(n).padStart(width, '0');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (y, m, d) => {
        const iso = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
        expect(isCalendarDate(iso)).toBe(byDate(iso));
      }),
      { numRuns: 2000 },
    );
  });
});
