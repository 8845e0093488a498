import { bigramJaccard, editDistance, normaliseAddress, normaliseEmail, normaliseName, normalisePhone, toHalfWidth } from './normalise';

describe('normalisation', () => {
  it.each([
    ['  徐思远 ', '徐思远'],
    ['張偉', '张伟'],
    ['陳麗華', '陈丽华'],
    ['ＡＢＣ　王', 'abc王'],
  ])('name %p normalises to %p', (raw, expected) => expect(normaliseName(raw)).toBe(expected));

  it.each([
    ['15054360764', '15054360764'],
    ['+86 150 5436 0764', '15054360764'],
    ['0086-150-5436-0764', '15054360764'],
    ['１５０５４３６０７６４', '15054360764'],
    ['010-12345678', '01012345678'],
    ['12', null],
  ])('phone %p normalises to %p', (raw, expected) => expect(normalisePhone(raw)).toBe(expected));

  it('lower-cases e-mail and rejects text without @', () => {
    expect(normaliseEmail(' Xu.SiYuan@163.COM ')).toBe('xu.siyuan@163.com');
    expect(normaliseEmail('n/a')).toBeNull();
  });

  it('makes traditional, full-width addresses comparable with simplified ones', () => {
    const a = normaliseAddress('北京市淮海路197号');
    const b = normaliseAddress('北京市 淮海路１９７號');
    expect(a).toBe(b);
    expect(bigramJaccard(a, b)).toBe(1);
    expect(bigramJaccard(a, normaliseAddress('上海市南京西路8号'))).toBeLessThan(0.2);
  });

  it('measures edit distance by character', () => {
    expect(editDistance('王伟', '王玮')).toBe(1);
    expect(editDistance('王伟', '王伟')).toBe(0);
    expect(editDistance('欧阳娜娜', '王娜')).toBe(3);
    expect(toHalfWidth('（１）')).toBe('(1)');
  });
});
