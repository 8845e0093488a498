import { eventTime, isAfter } from './event-time';

describe('event time in China Standard Time', () => {
  it('stamps +08:00 and takes today from the local calendar', () => {
    expect(eventTime(new Date('2026-03-01T16:30:00.123Z'))).toEqual({ occurredAt: '2026-03-02T00:30:00.123+08:00', today: '2026-03-02' });
  });

  it('keeps the UTC day before 16:00 UTC', () => {
    expect(eventTime(new Date('2026-03-01T15:59:59.999Z')).today).toBe('2026-03-01');
  });

  it('tolerates a few minutes of clock skew for business times', () => {
    const now = new Date('2026-03-01T00:00:00Z');
    expect(isAfter('2026-03-01T08:04:00+08:00', now)).toBe(false);
    expect(isAfter('2026-03-01T08:06:00+08:00', now)).toBe(true);
  });
});
