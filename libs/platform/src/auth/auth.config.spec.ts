import { authConfigFromEnv, AuthConfigError } from './auth.config';

const jwtBase = { JWT_ISSUER: 'https://id.example', JWT_AUDIENCE: 'xsell' };
const secret = 'x'.repeat(32);
const pem = '-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----';

describe('authConfigFromEnv', () => {
  it('given nothing, then defaults apply and bearer tokens are off', () => {
    expect(authConfigFromEnv({})).toEqual({ jwt: null, rateLimitPerMinute: 60_000, apiKeyCacheTtlMs: 5000 });
  });

  it('given numbers as strings, then they are read', () => {
    const config = authConfigFromEnv({ RATE_LIMIT_PER_MINUTE: '120', API_KEY_CACHE_TTL_MS: '0' });
    expect(config).toMatchObject({ rateLimitPerMinute: 120, apiKeyCacheTtlMs: 0 });
  });

  it('given a secret, then HS256 only', () => {
    expect(authConfigFromEnv({ ...jwtBase, JWT_SECRET: secret }).jwt).toEqual({
      issuer: 'https://id.example',
      audience: 'xsell',
      key: { kind: 'secret', secret },
      algorithms: ['HS256'],
    });
  });

  it('given a public key with escaped newlines, then they are restored and no HS algorithm is allowed', () => {
    const jwt = authConfigFromEnv({ ...jwtBase, JWT_PUBLIC_KEY: pem.replace(/\n/g, '\\n') }).jwt!;
    expect(jwt.key).toEqual({ kind: 'public-key', pem });
    expect(jwt.algorithms).toContain('RS256');
    expect(jwt.algorithms.some((a) => a.startsWith('HS'))).toBe(false);
  });

  it('given a JWKS URL and explicit algorithms, then both are used', () => {
    const jwt = authConfigFromEnv({ ...jwtBase, JWT_JWKS_URL: 'https://id.example/jwks', JWT_ALGORITHMS: 'ES256, RS256' }).jwt!;
    expect(jwt).toMatchObject({ key: { kind: 'jwks', url: 'https://id.example/jwks' }, algorithms: ['ES256', 'RS256'] });
  });

  it.each([
    ['RATE_LIMIT_PER_MINUTE', { RATE_LIMIT_PER_MINUTE: '0' }],
    ['RATE_LIMIT_PER_MINUTE', { RATE_LIMIT_PER_MINUTE: 'many' }],
    ['JWT_ISSUER', { JWT_AUDIENCE: 'xsell', JWT_SECRET: secret }],
    ['JWT_AUDIENCE', { JWT_ISSUER: 'https://id.example', JWT_SECRET: secret }],
    ['JWT_SECRET', { ...jwtBase, JWT_SECRET: 'short' }],
    ['JWT_SECRET', { ...jwtBase, JWT_SECRET: secret, NODE_ENV: 'production' }],
    ['JWT_PUBLIC_KEY', { ...jwtBase, JWT_PUBLIC_KEY: 'not a pem' }],
    ['JWT_JWKS_URL', { ...jwtBase, JWT_JWKS_URL: 'not a url' }],
    ['JWT_JWKS_URL, JWT_SECRET', { ...jwtBase, JWT_JWKS_URL: 'https://id.example/jwks', JWT_SECRET: secret }],
    ['JWT_ALGORITHMS', { ...jwtBase, JWT_PUBLIC_KEY: pem, JWT_ALGORITHMS: 'RS256,HS256' }],
  ])('given a bad %s, then boot fails naming it', (name, env) => {
    expect(() => authConfigFromEnv(env)).toThrow(AuthConfigError);
    expect(() => authConfigFromEnv(env)).toThrow(`${name}:`);
  });
});
