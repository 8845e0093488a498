import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from './auth.config';
import { principalFromClaims } from './jwt.claims';
import type { Principal, Role, Subsidiary } from './roles';

type VerificationKey = JWTVerifyGetKey | KeyObject | Uint8Array;

/** Small leeway for clocks that disagree between the identity provider and us. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * Verifies people's bearer tokens: signature (JWKS, PEM public key, or a development
 * HS256 secret), issuer, audience, expiry; then maps the claims to a principal.
 */
export class JwtVerifier {
  private readonly key: VerificationKey;

  constructor(private readonly config: JwtConfig) {
    this.key = verificationKey(config);
  }

  /** Null for any token that does not verify; the reason is deliberately not told to the caller. */
  async verify(token: string): Promise<Principal | null> {
    try {
      const { payload } = await jwtVerify(token, this.key as JWTVerifyGetKey, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: this.config.algorithms,
        requiredClaims: ['sub', 'exp'],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      return principalFromClaims(payload);
    } catch {
      return null;
    }
  }
}

function verificationKey(config: JwtConfig): VerificationKey {
  switch (config.key.kind) {
    case 'jwks':
      return createRemoteJWKSet(new URL(config.key.url));
    case 'public-key':
      return createPublicKey(config.key.pem);
    case 'secret':
      return new TextEncoder().encode(config.key.secret);
    default: {
      const unknown: never = config.key;
      throw new Error(`Unknown JWT key source ${JSON.stringify(unknown)}`);
    }
  }
}

export interface DevJwtInput {
  sub: string;
  name?: string;
  roles: Role[];
  subsidiary?: Subsidiary | null;
  issuer: string;
  audience: string;
  /** jose duration ('1h', '15m') or seconds since epoch; default 1 h. */
  expiresIn?: string | number;
  /** HS256 secret, for development ... */
  secret?: string;
  /** ... or a private key (e.g. from jose's generateKeyPair) with its algorithm. */
  privateKey?: CryptoKey | KeyObject;
  alg?: string;
  kid?: string;
}

/** Signs a token the way an identity provider would; for development and tests only. */
export async function signDevJwt(input: DevJwtInput): Promise<string> {
  const claims: Record<string, unknown> = { roles: input.roles, subsidiary: input.subsidiary ?? null };
  if (input.name) claims.name = input.name;
  const alg = input.privateKey ? (input.alg ?? 'RS256') : 'HS256';
  const key = input.privateKey ?? new TextEncoder().encode(requireSecret(input.secret));
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT', ...(input.kid ? { kid: input.kid } : {}) })
    .setSubject(input.sub)
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setIssuedAt()
    .setExpirationTime(input.expiresIn ?? '1h')
    .sign(key);
}

function requireSecret(secret: string | undefined): string {
  if (!secret) throw new Error('signDevJwt needs either secret or privateKey');
  return secret;
}
