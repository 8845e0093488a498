import Decimal from 'decimal.js';

/**
 * A private Decimal constructor so nobody else's global configuration changes our rounding:
 * money is rounded half-up to the cent, as premium statements are.
 */
export const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof Dec>;

export const ZERO: Dec = new Dec(0);
export const ONE: Dec = new Dec(1);
export const HUNDRED: Dec = new Dec(100);

const MONEY = /^-?\d{1,15}(\.\d{1,2})?$/;
const DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;

export const isMoney = (value: string): boolean => MONEY.test(value);
export const isDecimal = (value: string): boolean => DECIMAL.test(value);

const parsed = new Map<string, Dec>();

/**
 * Parses a money string, memoised: the lines of one leg repeat the same amounts at every level,
 * and parsing dominated recomputation time. Bounded so a long replay cannot grow it without end.
 */
export function parseMoney(value: string): Dec {
  let dec = parsed.get(value);
  if (dec === undefined) {
    if (parsed.size >= 4096) parsed.clear();
    dec = new Dec(value);
    parsed.set(value, dec);
  }
  return dec;
}

/** Rounds to the cent; the only place rounding of money happens. */
export const cents = (value: Dec): Dec => value.toDecimalPlaces(2);

/** Events carry money as strings with exactly two decimals. */
export const fmt = (value: Dec): string => value.toFixed(2);

/** Weights and factors keep their own precision (up to 4 dp) for the explanation. */
export const fmtRate = (value: Dec): string => value.toFixed(4);

/** ISO date (YYYY-MM-DD) to a day number; parsing only, no clock is read. */
export function dayNumber(isoDate: string): number {
  const y = +isoDate.slice(0, 4);
  const m = +isoDate.slice(5, 7);
  const d = +isoDate.slice(8, 10);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** Same day one year later (29 Feb rolls to 1 Mar through the day number). */
export function addOneYear(isoDate: string): string {
  const next = `${+isoDate.slice(0, 4) + 1}${isoDate.slice(4, 10)}`;
  return new Date(dayNumber(next) * 86_400_000).toISOString().slice(0, 10);
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const isIsoDate = (value: string): boolean =>
  ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
