import { InvalidPositionError } from './errors';
import { comparePositions, decodePosition, encodePosition, isPosition, maxPosition, START_POSITION } from './position';

describe('positions', () => {
  it('encode two 64-bit numbers, fixed width, and decode back', () => {
    const p = encodePosition(751n, '12');
    expect(p).toBe('00000000000000000751-00000000000000000012');
    expect(decodePosition(p)).toEqual({ major: 751n, minor: 12n });
    expect(decodePosition(encodePosition((1n << 64n) - 1n, 0n)).major).toBe((1n << 64n) - 1n);
  });

  it('sort as strings in the order of (major, minor)', () => {
    const ordered = [START_POSITION, encodePosition(9n, 100n), encodePosition(10n, 1n), encodePosition(10n, 2n), encodePosition(100n, 0n)];
    expect([...ordered].reverse().sort(comparePositions)).toEqual(ordered);
    expect(maxPosition(ordered[2], ordered[4], ordered[1])).toBe(ordered[4]);
  });

  it('reject anything that is not a position', () => {
    for (const bad of ['', '1-2', 'start', `${'9'.repeat(20)}-${'0'.repeat(20)}`]) {
      expect(() => decodePosition(bad)).toThrow(InvalidPositionError);
    }
    expect(() => encodePosition(-1n, 0n)).toThrow(InvalidPositionError);
    expect(isPosition(START_POSITION)).toBe(true);
    expect(isPosition('x')).toBe(false);
  });
});
