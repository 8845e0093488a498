import fc from 'fast-check';
import { canonicalJson, requestFingerprint } from './idempotency.store';

const KEY = 'unit-test-hmac-key-0123456789abcdef0123456789';

describe('request fingerprint', () => {
  it('is the same whatever the key order of the body', () => {
    const a = requestFingerprint(KEY, 'IssuePolicy', null, { a: 1, b: { c: [1, 2], d: 'x' } });
    const b = requestFingerprint(KEY, 'IssuePolicy', null, { b: { d: 'x', c: [1, 2] }, a: 1 });
    expect(a).toBe(b);
  });

  it.each([
    ['another body', 'IssuePolicy', null, { a: 2 }],
    ['another operation', 'RenewPolicy', null, { a: 1 }],
    ['another path parameter', 'IssuePolicy', 'LP-2', { a: 1 }],
  ])('differs for %s', (_label, op, target, body) => {
    expect(requestFingerprint(KEY, op, target, body)).not.toBe(requestFingerprint(KEY, 'IssuePolicy', null, { a: 1 }));
  });

  it('does not reveal the body (keyed)', () => {
    expect(requestFingerprint(KEY, 'RegisterClient', null, { n: '420106198912235872' })).not.toBe(
      requestFingerprint('another-key-0123456789abcdef0123456789abcd', 'RegisterClient', null, { n: '420106198912235872' }),
    );
  });

  it('writes canonical JSON with sorted keys and no undefined fields', () => {
    expect(canonicalJson({ b: 1, a: [{ d: null, c: undefined }] })).toBe('{"a":[{"d":null}],"b":1}');
  });

  it('writes what the first implementation wrote, so stored fingerprints stay valid', () => {
    const reference = (value: unknown): string => {
      if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
      if (value && typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
      }
      return JSON.stringify(value) ?? 'null';
    };
    const withUndefined = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 5 })),
    })).value;
    fc.assert(fc.property(withUndefined, (value) => expect(canonicalJson(value)).toBe(reference(value))), { numRuns: 500 });
  });
});
