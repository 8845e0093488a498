import type { RebuildReport } from '../rebuild/rebuild.types';
import { formatIntegrityReport, formatRebuildReport, parseReplayArgs, parseVerifyArgs, replayExitCode } from './replay-cli';

const report = (equal: boolean, swapped = false): RebuildReport => ({
  projection: 'policy-book',
  position: '00000000000000000010-00000000000000000004',
  live: { rows: 2, checksum: 'aaa' },
  rebuilt: { rows: 2, checksum: equal ? 'aaa' : 'bbb' },
  equal,
  swapped,
  target: 'temp',
  eventsReplayed: 7,
  tables: [{
    table: 'coordination.book',
    live: { rows: 2, checksum: 'aaa' },
    rebuilt: { rows: 2, checksum: equal ? 'aaa' : 'bbb' },
    equal,
    differingKeys: equal ? [] : [{ key: { policy_no: 'P-1' }, inLive: true, inRebuilt: true }],
  }],
});

describe('replay command line', () => {
  it.each([
    [['--projection', 'client-view'], { projection: 'client-view', mode: 'compare', json: false }],
    [['--projection', 'client-view', '--swap'], { projection: 'client-view', mode: 'swap', json: false }],
    [['--shadow', '--projection', 'x', '--json'], { projection: 'x', mode: 'shadow', json: true }],
  ])('given %j, then it parses to %j', (argv, parsed) => {
    expect(parseReplayArgs(argv)).toEqual(parsed);
  });

  it.each([[[]], [['--projection']], [['--projection', '--swap']], [['--projection', 'x', '--shadow', '--swap']], [['--projection', 'x', '--force']]])(
    'given %j, then it is a usage error',
    (argv) => {
      expect(parseReplayArgs(argv)).toEqual({ error: expect.any(String) });
    },
  );

  it('given a comparison, then the table names the differing keys and the exit code tells whether they agree', () => {
    const text = formatRebuildReport(report(false));
    expect(text).toContain('result: DIFFERENT');
    expect(text).toContain('differs coordination.book {"policy_no":"P-1"}');
    expect(replayExitCode(report(false))).toBe(1);
    expect(replayExitCode(report(true))).toBe(0);
    expect(replayExitCode(report(false, true))).toBe(0);
    expect(formatRebuildReport(report(true))).toContain('result: EQUAL');
  });
});

describe('verify command line', () => {
  it('given positions or global position numbers, then they parse; anything else is a usage error', () => {
    expect(parseVerifyArgs(['--from', '12', '--to', '00000000000000000010-00000000000000000004'])).toEqual({
      from: '12',
      to: '00000000000000000010-00000000000000000004',
      json: false,
    });
    expect(parseVerifyArgs(['--from', 'yesterday'])).toEqual({ error: expect.any(String) });
    expect(parseVerifyArgs(['--all'])).toEqual({ error: expect.any(String) });
  });

  it('given a broken chain, then the report says BROKEN and lists each problem', () => {
    const text = formatIntegrityReport({
      ok: false, checkedFrom: '1', checkedTo: '9', checkedCount: 9, head: null, unsealedCount: 0,
      problems: [{ kind: 'EVENT_MODIFIED', eventId: 'e-1', streamId: 'policy-life-P1', streamRevision: '0', detail: 'content hash differs' }],
    });
    expect(text).toMatch(/^integrity BROKEN/);
    expect(text).toContain('EVENT_MODIFIED e-1 policy-life-P1@0');
  });
});
