import type { ExpectedRevision } from './event-store.port';

/** Revision of a stream that has no events. */
export const NO_STREAM_REVISION = -1n;

/**
 * The rule both adapters implement (PostgreSQL enforces it in SQL, KurrentDB on the
 * server); kept here as the readable specification and for adapters' pre-checks.
 */
export function satisfiesExpected(expected: ExpectedRevision, current: bigint): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === NO_STREAM_REVISION;
    case 'stream_exists':
      return current > NO_STREAM_REVISION;
    default:
      return current === expected;
  }
}

export function isValidExpected(expected: unknown): expected is ExpectedRevision {
  if (typeof expected === 'bigint') return expected >= 0n;
  return expected === 'any' || expected === 'no_stream' || expected === 'stream_exists';
}

export function describeExpected(expected: ExpectedRevision): string {
  return typeof expected === 'bigint' ? `revision ${expected}` : expected;
}

/** Two SQL parameters: the kind, and the revision only for an exact expectation. */
export function expectedToSql(expected: ExpectedRevision): [kind: string, revision: string | null] {
  return typeof expected === 'bigint' ? ['exact', expected.toString()] : [expected, null];
}

export function expectedFromSql(kind: string, revision: string | null): ExpectedRevision {
  if (kind === 'exact' && revision !== null) return BigInt(revision);
  if (kind === 'any' || kind === 'no_stream' || kind === 'stream_exists') return kind;
  throw new Error(`unknown expected-revision kind "${kind}"`);
}
