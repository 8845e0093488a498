import { ConflictsDomainError } from './conflicts.errors';
import { IsoTimestamp } from './conflicts.types';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

// An offset is required: a local-time string would be read in the server's zone and two
// instances in different zones would disagree about the end of an exclusivity window.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function toMs(at: IsoTimestamp, field = 'timestamp'): number {
  const ms = ISO_WITH_OFFSET.test(at) ? Date.parse(at) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw new ConflictsDomainError('INVALID_TIMESTAMP', `${field} is not an ISO-8601 timestamp with offset`, {
      field,
      value: at,
    });
  }
  return ms;
}

/** The business day (Asia/Shanghai, UTC+8) of an instant: policies count from their effective date, reassignments from theirs. */
export function businessDayOf(at: IsoTimestamp): string {
  return new Date(toMs(at) + 8 * HOUR_MS).toISOString().slice(0, 10);
}

export function addDays(at: IsoTimestamp, days: number): IsoTimestamp {
  return new Date(toMs(at) + days * DAY_MS).toISOString();
}

export function isBefore(a: IsoTimestamp, b: IsoTimestamp): boolean {
  return toMs(a) < toMs(b);
}
