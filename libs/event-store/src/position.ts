import { InvalidPositionError } from './errors';

/**
 * Positions are two unsigned 64-bit numbers, zero-padded so that plain string comparison
 * is global order. PostgreSQL: (commit transaction id, global sequence); KurrentDB:
 * (commit, prepare). Callers treat them as opaque.
 */
const WIDTH = 20;
const PATTERN = /^(\d{20})-(\d{20})$/;
const MAX_U64 = (1n << 64n) - 1n;

export interface PositionParts {
  major: bigint;
  minor: bigint;
}

export const START_POSITION = encodePosition(0n, 0n);

const SHORT_DIGITS = /^\d{1,19}$/;

export function encodePosition(major: bigint | string, minor: bigint | string): string {
  // Hot path (every row read): digit strings from the database below 20 digits always fit in 64 bits.
  if (typeof major === 'string' && typeof minor === 'string' && SHORT_DIGITS.test(major) && SHORT_DIGITS.test(minor)) {
    return `${major.padStart(WIDTH, '0')}-${minor.padStart(WIDTH, '0')}`;
  }
  const a = BigInt(major);
  const b = BigInt(minor);
  if (a < 0n || b < 0n || a > MAX_U64 || b > MAX_U64) throw new InvalidPositionError(`${a}-${b}`);
  return `${a.toString().padStart(WIDTH, '0')}-${b.toString().padStart(WIDTH, '0')}`;
}

export function decodePosition(position: string): PositionParts {
  const match = PATTERN.exec(position);
  if (!match) throw new InvalidPositionError(position);
  const parts = { major: BigInt(match[1]), minor: BigInt(match[2]) };
  if (parts.major > MAX_U64 || parts.minor > MAX_U64) throw new InvalidPositionError(position);
  return parts;
}

export function isPosition(value: unknown): value is string {
  return typeof value === 'string' && PATTERN.test(value);
}

export function comparePositions(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxPosition(...positions: string[]): string {
  return positions.reduce((max, p) => (p > max ? p : max));
}
