/** What a request presents, read from `X-Api-Key` or `Authorization: Bearer`. */
export type Credential =
  | { kind: 'none' }
  | { kind: 'api-key'; key: string }
  | { kind: 'bearer'; token: string }
  | { kind: 'malformed'; reason: string };

export type HeaderBag = Record<string, string | string[] | undefined>;

const BEARER = /^Bearer +([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Reads the one credential a request carries. Both headers at once is refused rather than
 * resolved by precedence: a proxy that adds one must not silently change who is calling.
 */
export function readCredential(headers: HeaderBag): Credential {
  const apiKey = single(headers['x-api-key']);
  const authorization = single(headers['authorization']);
  if (apiKey === null || authorization === null) return { kind: 'malformed', reason: 'A credential header appears more than once.' };
  if (apiKey !== undefined && authorization !== undefined) {
    return { kind: 'malformed', reason: 'Send either X-Api-Key or Authorization, not both.' };
  }
  if (apiKey !== undefined) return { kind: 'api-key', key: apiKey.trim() };
  if (authorization === undefined) return { kind: 'none' };
  const bearer = BEARER.exec(authorization.trim());
  return bearer ? { kind: 'bearer', token: bearer[1] } : { kind: 'malformed', reason: 'Authorization must use the Bearer scheme.' };
}

/** undefined when absent or empty, null when repeated. */
function single(value: string | string[] | undefined): string | undefined | null {
  if (Array.isArray(value)) return value.length === 1 ? single(value[0]) : null;
  return value === undefined || value.trim() === '' ? undefined : value;
}
