/**
 * Business dates in the group are China Standard Time (UTC+8, no daylight saving).
 * Events carry the +08:00 offset, so the calendar date in `occurredAt` is the local
 * "today" that consumers check birth dates against; the service checks with the same day.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

export interface EventTime {
  /** ISO-8601 with +08:00, e.g. 2026-03-01T09:30:00.000+08:00 */
  occurredAt: string;
  /** YYYY-MM-DD in China Standard Time */
  today: string;
}

export function eventTime(now: Date): EventTime {
  const local = new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 23);
  return { occurredAt: `${local}+08:00`, today: local.slice(0, 10) };
}

/** True when an ISO date-time lies more than `skewMs` after `now` (clocks drift a little). */
export function isAfter(isoDateTime: string, now: Date, skewMs = 5 * 60 * 1000): boolean {
  return Date.parse(isoDateTime) > now.getTime() + skewMs;
}
