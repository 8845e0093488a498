/**
 * Business time of the simulated period and the waves requests are sent in.
 *
 * Dates are whole days since 1970-01-01 (UTC arithmetic on calendar dates, so no time
 * zone can shift them); date-times are printed in China Standard Time (+08:00).
 *
 * Waves order requests so that prerequisites come first: setup waves for the existing
 * book of business, then SLOTS waves per simulated month. Inside a wave requests run
 * concurrently, so no two requests of one wave may depend on each other.
 */
import type { Random } from './random';

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month 1-12, day] of a day number (civil_from_days). */
export function civilFromDays(day: number): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

export function dayOf(iso: string): number {
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

// Hundreds of thousands of dates are printed per plan; the same few thousand days recur.
const ISO_CACHE = new Map<number, string>();

export function isoDate(day: number): string {
  let iso = ISO_CACHE.get(day);
  if (iso === undefined) {
    const [y, m, d] = civilFromDays(day);
    iso = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    ISO_CACHE.set(day, iso);
  }
  return iso;
}

export function isoDateTime(day: number, minuteOfDay: number): string {
  const h = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
  const m = String(minuteOfDay % 60).padStart(2, '0');
  return `${isoDate(day)}T${h}:${m}:00+08:00`;
}

function daysInMonth(y: number, m: number): number {
  return daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - daysFromCivil(y, m, 1);
}

/** The same calendar date `years` later (29 Feb falls back to 28 Feb). */
export function addYears(day: number, years: number): number {
  const [y, m, d] = civilFromDays(day);
  return daysFromCivil(y + years, m, Math.min(d, daysInMonth(y + years, m)));
}

/** The first day of the month `months` after the month of (y, m). */
export function monthStartDay(y: number, m: number, months: number): number {
  const index = y * 12 + (m - 1) + months;
  return daysFromCivil(Math.floor(index / 12), (index % 12) + 1, 1);
}

export const SETUP_WAVES = { leaders: 0, agents: 1, clients: 2, book: 3 } as const;
export const SLOT = { register: 0, engage: 1, rival: 2, convert: 3, lifecycle: 4, agents: 7 } as const;
/** Lifecycle requests of one policy in one month use slots 4, 5 and 6. */
export const LIFECYCLE_SLOTS = 3;
export const SLOTS = 8;
const FIRST_MONTH_WAVE = 4;

export class Calendar {
  readonly startDay: number;
  private readonly monthStarts: number[];

  constructor(
    start: string,
    readonly months: number,
  ) {
    if (!/^\d{4}-\d{2}-01$/.test(start)) throw new RangeError(`start must be the first day of a month (YYYY-MM-01), got ${start}`);
    const [y, m] = start.split('-').map(Number);
    this.monthStarts = Array.from({ length: months + 1 }, (_, i) => monthStartDay(y, m, i));
    this.startDay = this.monthStarts[0];
  }

  get endDay(): number {
    return this.monthStarts[this.months] - 1;
  }

  monthStart(month: number): number {
    return this.monthStarts[month];
  }

  monthEnd(month: number): number {
    return this.monthStarts[month + 1] - 1;
  }

  /** The simulated month a day falls in, or -1 before the period and `months` after it. */
  monthOf(day: number): number {
    if (day < this.startDay) return -1;
    for (let m = 0; m < this.months; m++) if (day <= this.monthEnd(m)) return m;
    return this.months;
  }

  wave(month: number, slot: number): number {
    return FIRST_MONTH_WAVE + month * SLOTS + slot;
  }

  /** The wave after every month: requests that need the coordination service to have caught up. */
  get finalWave(): number {
    return FIRST_MONTH_WAVE + this.months * SLOTS;
  }

  /** The first month whose `slot` wave comes after `wave`. */
  firstMonthAfter(wave: number, slot: number): number {
    for (let m = 0; m < this.months; m++) if (this.wave(m, slot) > wave) return m;
    return this.months;
  }

  randomDayIn(rng: Random, month: number): number {
    return rng.int(this.monthStart(month), this.monthEnd(month));
  }

  /** Office hours, where sales activity happens. */
  randomWorkMinute(rng: Random): number {
    return rng.int(9 * 60, 18 * 60 - 1);
  }
}
