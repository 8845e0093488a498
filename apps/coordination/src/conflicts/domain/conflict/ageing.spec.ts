import { ageing } from './ageing';

describe('ageing', () => {
  const detectedAt = '2026-03-02T08:00:00Z';

  it('given an open conflict, when 47.5 hours have passed against a 48h SLA, then not breached', () => {
    expect(ageing({ detectedAt }, '2026-03-04T07:30:00Z', 48)).toEqual({ ageHours: 47.5, slaBreached: false });
  });

  it('given an open conflict, when one second past 48 hours, then the SLA is breached', () => {
    expect(ageing({ detectedAt }, '2026-03-04T08:00:01Z', 48)).toEqual({ ageHours: 48, slaBreached: true });
  });

  it('given a conflict decided after 10 hours, when checked a week later, then it aged 10 hours and met the SLA', () => {
    expect(ageing({ detectedAt, closedAt: '2026-03-02T18:00:00Z' }, '2026-03-09T00:00:00Z', 24)).toEqual({ ageHours: 10, slaBreached: false });
  });

  it('given a zero SLA, when checked, then INVALID_CONFIG', () => {
    expect(() => ageing({ detectedAt }, detectedAt, 0)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }) as unknown as Error);
  });
});
