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
});
