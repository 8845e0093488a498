import type { ApiKeyStore } from './api-key.store';
import { readCredential, type HeaderBag } from './credentials';
import type { JwtVerifier } from './jwt.verifier';
import type { Principal } from './roles';

export type Authentication =
  | { status: 'authenticated'; principal: Principal }
  | { status: 'anonymous' }
  | { status: 'rejected'; reason: string };

export interface AuthenticatableRequest {
  headers: HeaderBag;
}

/**
 * Turns a request's credential into a principal, once per request: the auth guard and the
 * rate limiter both ask, in whichever order Nest runs them, and the answer is shared.
 * A database failure propagates (a 500), so an outage never looks like a bad key.
 */
export class Authenticator {
  private readonly results = new WeakMap<object, Promise<Authentication>>();

  constructor(
    private readonly apiKeys: ApiKeyStore,
    private readonly jwt: JwtVerifier | null,
  ) {}

  authenticate(request: AuthenticatableRequest): Promise<Authentication> {
    let result = this.results.get(request);
    if (!result) {
      result = this.resolve(request);
      this.results.set(request, result);
    }
    return result;
  }

  private async resolve(request: AuthenticatableRequest): Promise<Authentication> {
    const credential = readCredential(request.headers);
    switch (credential.kind) {
      case 'none':
        return { status: 'anonymous' };
      case 'malformed':
        return { status: 'rejected', reason: credential.reason };
      case 'api-key':
        return outcome(await this.apiKeys.verify(credential.key), 'The API key is invalid or revoked.');
      case 'bearer':
        if (!this.jwt) return { status: 'rejected', reason: 'Bearer tokens are not accepted by this service.' };
        return outcome(await this.jwt.verify(credential.token), 'The bearer token is invalid or expired.');
      default: {
        const unknown: never = credential;
        throw new Error(`Unknown credential ${JSON.stringify(unknown)}`);
      }
    }
  }
}

const outcome = (principal: Principal | null, reason: string): Authentication =>
  principal ? { status: 'authenticated', principal } : { status: 'rejected', reason };
