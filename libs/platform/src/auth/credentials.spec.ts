import { readCredential } from './credentials';

describe('readCredential', () => {
  it.each([
    ['no headers', {}, { kind: 'none' }],
    ['empty X-Api-Key', { 'x-api-key': '  ' }, { kind: 'none' }],
    ['an API key', { 'x-api-key': ' xsk_abc ' }, { kind: 'api-key', key: 'xsk_abc' }],
    ['a bearer token', { authorization: 'Bearer a.b.c' }, { kind: 'bearer', token: 'a.b.c' }],
    ['a lower-case scheme', { authorization: 'bearer a.b.c' }, { kind: 'bearer', token: 'a.b.c' }],
  ])('given %s, then %j', (_label, headers, expected) => {
    expect(readCredential(headers)).toEqual(expected);
  });

  it.each([
    ['both headers', { 'x-api-key': 'xsk_abc', authorization: 'Bearer a.b.c' }],
    ['Basic auth', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['Bearer without a token', { authorization: 'Bearer ' }],
    ['a token with spaces', { authorization: 'Bearer a b' }],
    ['a repeated API key header', { 'x-api-key': ['xsk_a', 'xsk_b'] }],
  ])('given %s, then the request is malformed', (_label, headers) => {
    expect(readCredential(headers).kind).toBe('malformed');
  });
});
