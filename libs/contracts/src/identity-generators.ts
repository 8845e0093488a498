/**
 * Valid-by-construction identity numbers for the simulator and tests. Pure: the
 * random source is injected, so a seed reproduces the same people every run.
 */
import { CREDIT_CODE_CHARSET, creditCodeCheckChar, isCalendarDate, residentIdCheckChar } from './identity';

/** Returns a float in [0, 1), like Math.random. */
export type Rng = () => number;

/** mulberry32: tiny, fast, good enough for test data (not for secrets). */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function digits(rng: Rng, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(Math.floor(rng() * 10));
  return out;
}

/** Real district codes (GB/T 2260) in cities the group sells in. */
export const SAMPLE_REGION_CODES = [
  '110105', '110108', '310104', '310115', '440305', '440106', '420106', '510107',
  '330106', '320102', '350102', '370202', '500103', '610113', '210102', '120101',
] as const;

export interface ResidentIdOptions {
  birthDate?: string;
  gender?: 'M' | 'F';
  regionCode?: string;
}

function randomBirthDate(rng: Rng): string {
  const start = Date.UTC(1940, 0, 1);
  const end = Date.UTC(2005, 11, 31);
  return new Date(start + Math.floor(rng() * ((end - start) / 86_400_000)) * 86_400_000).toISOString().slice(0, 10);
}

export function generateResidentId(rng: Rng, options: ResidentIdOptions = {}): string {
  const birthDate = options.birthDate ?? randomBirthDate(rng);
  if (!isCalendarDate(birthDate)) throw new RangeError(`birthDate must be YYYY-MM-DD, got ${birthDate}`);
  const region = options.regionCode ?? pick(rng, SAMPLE_REGION_CODES);
  if (!/^\d{6}$/.test(region)) throw new RangeError(`regionCode must be 6 digits, got ${region}`);
  const gender = options.gender ?? (rng() < 0.5 ? 'M' : 'F');
  const genderDigit = pick(rng, gender === 'M' ? [1, 3, 5, 7, 9] : [0, 2, 4, 6, 8]);
  const first17 = region + birthDate.replaceAll('-', '') + digits(rng, 2) + genderDigit;
  return first17 + residentIdCheckChar(first17);
}

/** Gender encoded in a resident id (17th digit odd = male). */
export function residentIdGender(number: string): 'M' | 'F' {
  return Number(number[16]) % 2 === 1 ? 'M' : 'F';
}

/** '91' = enterprise registered with market regulation; then region, then organisation code. */
export function generateCreditCode(rng: Rng, regionCode: string = pick(rng, SAMPLE_REGION_CODES)): string {
  let org = '';
  for (let i = 0; i < 9; i++) org += pick(rng, [...CREDIT_CODE_CHARSET]);
  const first17 = '91' + regionCode + org;
  return first17 + creditCodeCheckChar(first17);
}
