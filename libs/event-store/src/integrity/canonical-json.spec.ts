import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text for objects that differ only in key order', () => {
    expect(canonicalJson({ x: 1, y: '2' })).toBe(canonicalJson({ y: '2', x: 1 }));
  });

  it('orders keys by UTF-16 code units, as RFC 8785 asks', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, 徐: 4 })).toBe('{"A":3,"z":2,"é":1,"徐":4}');
  });

  it('writes numbers and strings as JSON.stringify does', () => {
    expect(canonicalJson([1e21, 0.1, -0, '\u2028"\\', 12000])).toBe('[1e+21,0.1,0,"\u2028\\"\\\\",12000]');
  });

  it('follows JSON.stringify for undefined, non-finite numbers and toJSON', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, NaN], c: new Date(0) })).toBe('{"b":[null,null],"c":"1970-01-01T00:00:00.000Z"}');
  });

  it('equals a stored-and-read-back value', () => {
    const value = { policyNo: 'LP-2026-000001', premium: { amount: '12000.00', currency: 'CNY' }, insured: ['a', 'b'], n: 3 };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(canonicalJson(value));
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson(10n)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });
});
