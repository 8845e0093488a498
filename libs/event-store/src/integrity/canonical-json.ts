/**
 * Canonical JSON (the RFC 8785 shape): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as JSON.stringify writes them. Values follow
 * JSON.stringify's rules (toJSON, undefined members dropped, undefined in arrays and
 * non-finite numbers become null) so that a value hashes the same before it is stored
 * as jsonb and after it is read back. Written for speed: every sealed and every verified
 * event goes through it.
 */
export function canonicalJson(value: unknown): string {
  const out = write(value);
  if (out === undefined) throw new TypeError('canonicalJson: value has no JSON representation');
  return out;
}

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      return value === null ? 'null' : writeComposite(value);
    case 'bigint':
      throw new TypeError('canonicalJson: bigint has no JSON representation; use a string');
    default:
      return undefined;
  }
}

function writeComposite(value: object): string | undefined {
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return write((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + (write(value[i]) ?? 'null');
    return `${out}]`;
  }
  // Array.prototype.sort without a comparator orders strings by UTF-16 code units, as RFC 8785 asks.
  const keys = Object.keys(value).sort();
  let out = '{';
  for (const key of keys) {
    const member = write((value as Record<string, unknown>)[key]);
    if (member !== undefined) out += (out.length === 1 ? '' : ',') + JSON.stringify(key) + ':' + member;
  }
  return `${out}}`;
}
