import { describeExpected, expectedFromSql, expectedToSql, isValidExpected, NO_STREAM_REVISION, satisfiesExpected } from './expected-revision';
import type { ExpectedRevision } from './event-store.port';

describe('expected revision', () => {
  const cases: Array<[ExpectedRevision, bigint, boolean]> = [
    ['any', NO_STREAM_REVISION, true],
    ['any', 7n, true],
    ['no_stream', NO_STREAM_REVISION, true],
    ['no_stream', 0n, false],
    ['stream_exists', NO_STREAM_REVISION, false],
    ['stream_exists', 0n, true],
    [0n, 0n, true],
    [0n, NO_STREAM_REVISION, false],
    [3n, 4n, false],
    [4n, 4n, true],
  ];

  it.each(cases)('given expected %p and current revision %p, then satisfied is %p', (expected, current, ok) => {
    expect(satisfiesExpected(expected, current)).toBe(ok);
  });

  it('accepts only the four kinds, with non-negative exact revisions', () => {
    expect(['any', 'no_stream', 'stream_exists', 0n, 12n].every(isValidExpected)).toBe(true);
    expect([-1n, 'exact', 3, null, undefined].some(isValidExpected)).toBe(false);
  });

  it('round-trips through its SQL parameters', () => {
    for (const expected of ['any', 'no_stream', 'stream_exists', 42n] as ExpectedRevision[]) {
      const [kind, revision] = expectedToSql(expected);
      expect(expectedFromSql(kind, revision)).toBe(expected);
    }
    expect(expectedToSql(42n)).toEqual(['exact', '42']);
    expect(() => expectedFromSql('nonsense', null)).toThrow();
  });

  it('describes itself for error messages', () => {
    expect(describeExpected(5n)).toBe('revision 5');
    expect(describeExpected('no_stream')).toBe('no_stream');
  });
});
