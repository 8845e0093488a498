import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `xsk_<id>_<secret>`. The id is the table's primary key, so a key is
 * found with one indexed read instead of hashing against every row; the secret is
 * 256 random bits and only its hash is stored.
 */
export const API_KEY_PREFIX = 'xsk_';
const ID_PATTERN = /^[0-9a-f]{16}$/;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface ParsedApiKey {
  id: string;
  secret: string;
}

export interface GeneratedApiKey extends ParsedApiKey {
  key: string;
  hash: string;
}

export type RandomBytes = (size: number) => Buffer;

/** A fresh key; `random` is injectable so tests can pin it. */
export function generateApiKey(random: RandomBytes = randomBytes): GeneratedApiKey {
  const id = random(8).toString('hex');
  const secret = random(32).toString('base64url');
  return { id, secret, key: formatApiKey(id, secret), hash: hashSecret(secret) };
}

export const formatApiKey = (id: string, secret: string): string => `${API_KEY_PREFIX}${id}_${secret}`;

/** Splits a presented key; null for anything not shaped exactly like one of ours. */
export function parseApiKey(presented: string): ParsedApiKey | null {
  if (!presented.startsWith(API_KEY_PREFIX)) return null;
  const rest = presented.slice(API_KEY_PREFIX.length);
  const separator = rest.indexOf('_');
  if (separator < 0) return null;
  const id = rest.slice(0, separator);
  const secret = rest.slice(separator + 1);
  return ID_PATTERN.test(id) && SECRET_PATTERN.test(secret) ? { id, secret } : null;
}

/**
 * SHA-256, hex. A slow password hash (bcrypt, scrypt) exists to stretch guessable human
 * passwords; a 256-bit random secret cannot be guessed, so one fast hash is as strong and
 * keeps verification cheap enough for every request. A database leak still yields no
 * usable key.
 */
export const hashSecret = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Constant-time comparison of the presented secret's hash with the stored one. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
