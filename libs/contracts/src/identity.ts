/**
 * Identity-number rules, pure and dependency-free (node:crypto only for HMAC).
 *
 * - Resident ID (居民身份证号码, GB 11643-1999): 6-digit region, 8-digit birth date,
 *   3-digit sequence (odd = male), ISO 7064 MOD 11-2 check character.
 * - Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
 *   31-symbol alphabet, MOD 31 check character. We check the alphabet, the 6-digit
 *   region block and the check character; we deliberately do not check the embedded
 *   organisation code's own GB 11714 check digit, which newer codes do not honour.
 *
 * Validators expect the canonical form (see normaliseIdentityNumber); callers
 * normalise first so the hash, the mask and the check all see the same string.
 */
import { createHmac } from 'node:crypto';

export const IDENTITY_TYPES = ['RESIDENT_ID', 'PASSPORT', 'HK_MACAO_PERMIT', 'TAIWAN_PERMIT', 'OTHER'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

const RESIDENT_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_CHECK_CHARS = '10X98765432';
/** GB/T 2260 province-level codes, incl. 71/81/82 (TW/HK/MO) and 83 (TW residence permits). */
const PROVINCE_CODES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
  50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
]);

export const CREDIT_CODE_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Full-width to half-width (NFKC), upper case, and no spaces, hyphens or brackets. */
export function normaliseIdentityNumber(number: string): string {
  return number.normalize('NFKC').toUpperCase().replace(/[\s\-()（）]/g, '');
}

export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_WEIGHTS[i];
  return RESIDENT_CHECK_CHARS[sum % 11];
}

export function isValidResidentId(number: string): boolean {
  if (!/^\d{17}[\dX]$/.test(number)) return false;
  if (!PROVINCE_CODES.has(Number(number.slice(0, 2)))) return false;
  if (residentIdBirthDate(number) === null) return false;
  return residentIdCheckChar(number.slice(0, 17)) === number[17];
}

/** The birth date encoded in a resident id as YYYY-MM-DD, or null if it is not a real date. */
export function residentIdBirthDate(number: string): string | null {
  const digits = number.slice(6, 14);
  if (!/^\d{8}$/.test(digits)) return null;
  const iso = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  return isCalendarDate(iso) && iso >= '1900-01-01' ? iso : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * A real YYYY-MM-DD date (Gregorian calendar). Years before 100 are refused, as the
 * Date-based check this replaced refused them (Date.UTC reads them as 19xx); arithmetic
 * because every date field of every request and event is checked.
 */
export function isCalendarDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 100 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

export function creditCodeCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CODE_CHARSET.indexOf(first17[i]) * CREDIT_WEIGHTS[i];
  return CREDIT_CODE_CHARSET[(31 - (sum % 31)) % 31];
}

export function isValidCreditCode(code: string): boolean {
  if (code.length !== 18) return false;
  if ([...code].some((c) => !CREDIT_CODE_CHARSET.includes(c))) return false;
  if (!/^\d{6}$/.test(code.slice(2, 8))) return false;
  return creditCodeCheckChar(code.slice(0, 17)) === code[17];
}

const FORMAT_BY_TYPE: Record<Exclude<IdentityType, 'RESIDENT_ID'>, RegExp> = {
  PASSPORT: /^[A-Z0-9]{5,17}$/,
  HK_MACAO_PERMIT: /^[HM]\d{8}(\d{2})?$/,
  TAIWAN_PERMIT: /^[A-Z0-9]{8,10}$/,
  OTHER: /^[A-Z0-9]{4,30}$/,
};

/** Format (and for resident ids, check-digit) validity of an already normalised number. */
export function isValidIdentityNumber(type: IdentityType, normalised: string): boolean {
  return type === 'RESIDENT_ID' ? isValidResidentId(normalised) : FORMAT_BY_TYPE[type].test(normalised);
}

/**
 * '110***********1234' for an 18-character id: first 3 and last 4 kept. Shorter
 * numbers (passports, permits) keep less so that most of the number stays hidden.
 */
export function maskIdentityNumber(number: string): string {
  const n = normaliseIdentityNumber(number);
  const [head, tail] = n.length >= 15 ? [3, 4] : n.length >= 8 ? [1, 2] : [0, 0];
  return n.slice(0, head) + '*'.repeat(Math.max(n.length - head - tail, 3)) + n.slice(n.length - tail);
}

/** HMAC-SHA256 (hex) of `TYPE:normalised-number`; the key never leaves the services. */
export function identityHash(key: string | Uint8Array, type: IdentityType, number: string): string {
  return createHmac('sha256', key).update(`${type}:${normaliseIdentityNumber(number)}`).digest('hex');
}
