import { DEFAULT_API_KEY_CACHE_TTL_MS } from './api-key.store';

/** The variables auth reads; the platform's BaseConfig satisfies this shape. */
export interface AuthEnv {
  NODE_ENV?: string;
  RATE_LIMIT_PER_MINUTE?: number | string;
  API_KEY_CACHE_TTL_MS?: number | string;
  JWT_ISSUER?: string;
  JWT_AUDIENCE?: string;
  JWT_JWKS_URL?: string;
  JWT_PUBLIC_KEY?: string;
  JWT_SECRET?: string;
  /** Comma-separated; defaults to HS256 for JWT_SECRET and the usual asymmetric ones otherwise. */
  JWT_ALGORITHMS?: string;
}

export type JwtKeySource = { kind: 'jwks'; url: string } | { kind: 'public-key'; pem: string } | { kind: 'secret'; secret: string };

export interface JwtConfig {
  issuer: string;
  audience: string;
  key: JwtKeySource;
  algorithms: string[];
}

export interface AuthConfig {
  /** Null when no JWT key is configured: bearer tokens are then refused. */
  jwt: JwtConfig | null;
  rateLimitPerMinute: number;
  apiKeyCacheTtlMs: number;
}

export class AuthConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
}

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60_000;
const ASYMMETRIC_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];
const MIN_SECRET_LENGTH = 32;

/** Reads and checks the auth settings at boot; the message names the offending variable. */
export function authConfigFromEnv(env: AuthEnv = process.env): AuthConfig {
  return {
    jwt: jwtConfig(env),
    rateLimitPerMinute: positiveInt(env, 'RATE_LIMIT_PER_MINUTE', DEFAULT_RATE_LIMIT_PER_MINUTE),
    apiKeyCacheTtlMs: positiveInt(env, 'API_KEY_CACHE_TTL_MS', DEFAULT_API_KEY_CACHE_TTL_MS, 0),
  };
}

function jwtConfig(env: AuthEnv): JwtConfig | null {
  const sources = (['JWT_JWKS_URL', 'JWT_PUBLIC_KEY', 'JWT_SECRET'] as const).filter((name) => present(env[name]));
  if (sources.length === 0) return null;
  if (sources.length > 1) fail(sources.join(', '), 'set only one of JWT_JWKS_URL, JWT_PUBLIC_KEY, JWT_SECRET');
  const issuer = required(env, 'JWT_ISSUER');
  const audience = required(env, 'JWT_AUDIENCE');
  const key = keySource(env, sources[0]);
  const algorithms = present(env.JWT_ALGORITHMS)
    ? env.JWT_ALGORITHMS!.split(',').map((a) => a.trim()).filter(Boolean)
    : key.kind === 'secret' ? ['HS256'] : ASYMMETRIC_ALGORITHMS;
  if (key.kind !== 'secret' && algorithms.some((a) => a.startsWith('HS'))) {
    fail('JWT_ALGORITHMS', 'HS* algorithms need JWT_SECRET; mixing them with a public key invites algorithm confusion');
  }
  return { issuer, audience, key, algorithms };
}

function keySource(env: AuthEnv, name: 'JWT_JWKS_URL' | 'JWT_PUBLIC_KEY' | 'JWT_SECRET'): JwtKeySource {
  const value = env[name]!.trim();
  if (name === 'JWT_JWKS_URL') {
    if (!URL.canParse(value)) fail(name, 'must be a URL');
    return { kind: 'jwks', url: value };
  }
  if (name === 'JWT_PUBLIC_KEY') {
    if (!value.includes('-----BEGIN PUBLIC KEY-----')) fail(name, 'must be a PEM public key (SPKI)');
    return { kind: 'public-key', pem: value.replace(/\\n/g, '\n') };
  }
  // A shared secret lets anyone who holds it mint tokens for any role: development only.
  if (env.NODE_ENV === 'production') fail(name, 'HS256 shared secrets are for development; use JWT_JWKS_URL or JWT_PUBLIC_KEY');
  if (value.length < MIN_SECRET_LENGTH) fail(name, `must be at least ${MIN_SECRET_LENGTH} characters`);
  return { kind: 'secret', secret: value };
}

function positiveInt(env: AuthEnv, name: 'RATE_LIMIT_PER_MINUTE' | 'API_KEY_CACHE_TTL_MS', fallback: number, min = 1): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) fail(name, `must be an integer >= ${min}`);
  return value;
}

function required(env: AuthEnv, name: 'JWT_ISSUER' | 'JWT_AUDIENCE'): string {
  const value = env[name]?.trim();
  if (!value) fail(name, 'is required when a JWT key is configured');
  return value!;
}

const present = (value: string | undefined): boolean => value !== undefined && value.trim() !== '';

function fail(name: string, message: string): never {
  throw new AuthConfigError(`Invalid configuration:\n  ${name}: ${message}`);
}
