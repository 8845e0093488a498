import { dailyStream, partyIdOfAccessStream, partyIdOfAuditPath } from './access-events';

describe('audit access event naming', () => {
  it.each([
    ['2026-03-01T00:00:00.000Z', 'audit-access-2026-03-01'],
    ['2026-03-01T23:59:59.999Z', 'audit-access-2026-03-01'],
    // A read just after midnight in Beijing is still the previous UTC day: one clock for every instance.
    ['2026-03-01T16:30:00.000+08:00', 'audit-access-2026-03-01'],
  ])('given a read at %s, then it goes to stream %s', (at, stream) => {
    expect(dailyStream('audit-access-', new Date(at))).toBe(stream);
  });

  it.each([
    ['/v1/audit/clients/7f1c2d1e-0000-4000-8000-000000000001', '7f1c2d1e-0000-4000-8000-000000000001'],
    ['/v1/audit/clients/abc/', 'abc'],
    ['/v1/audit/clients/a%20b', 'a b'],
    ['/v1/audit/clients/', null],
    ['/v1/audit/clients/abc/extra', null],
    ['/v1/audit/kpi', null],
    ['/v1/clients/abc', null],
  ])('given the audit path %s, then the party read is %s', (path, party) => {
    expect(partyIdOfAuditPath(path)).toBe(party);
  });

  it.each([
    ['party-access-p1', 'p1'],
    ['party-access-', null],
    ['party-p1', null],
  ])('given the access stream %s, then the party is %s', (stream, party) => {
    expect(partyIdOfAccessStream(stream)).toBe(party);
  });
});
