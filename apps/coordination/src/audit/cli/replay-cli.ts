import type { IntegrityReport } from '@lib/event-store';
import type { RebuildReport } from '../rebuild/rebuild.types';

/**
 * The auditors' command-line tools on the database host, as pure functions: argument
 * parsing and report formatting (scripts/replay.ts and scripts/verify.ts do the I/O).
 */
export type ReplayMode = 'compare' | 'shadow' | 'swap';

export interface ReplayArgs {
  projection: string;
  mode: ReplayMode;
  json: boolean;
}

export const REPLAY_USAGE = [
  'usage: npm run replay -- --projection <name> [--shadow | --swap] [--json]',
  '  (default)  rebuild in temporary tables and compare with the live read model; writes nothing',
  '  --shadow   rebuild into <table>_rebuild tables (kept for inspection) and compare',
  '  --swap     rebuild into <table>_rebuild, compare, and swap it in as the live read model',
].join('\n');

export function parseReplayArgs(argv: string[]): ReplayArgs | { error: string } {
  const at = argv.indexOf('--projection');
  const projection = at >= 0 ? argv[at + 1] : undefined;
  if (!projection || projection.startsWith('--')) return { error: 'missing --projection <name>' };
  const known = new Set(['--projection', projection, '--shadow', '--swap', '--json']);
  const unknown = argv.find((a) => !known.has(a));
  if (unknown) return { error: `unknown argument ${unknown}` };
  if (argv.includes('--shadow') && argv.includes('--swap')) return { error: '--shadow and --swap exclude each other' };
  const mode: ReplayMode = argv.includes('--swap') ? 'swap' : argv.includes('--shadow') ? 'shadow' : 'compare';
  return { projection, mode, json: argv.includes('--json') };
}

/** 0 when live and rebuilt agree (or the rebuild was swapped in), 1 when they differ. */
export const replayExitCode = (report: RebuildReport): number => (report.equal || report.swapped ? 0 : 1);

export function formatRebuildReport(r: RebuildReport): string {
  const rows = r.tables.map((t) => [t.table, String(t.live.rows), t.live.checksum, String(t.rebuilt.rows), t.rebuilt.checksum, t.equal ? 'yes' : 'NO']);
  const lines = [
    `projection ${r.projection} compared at position ${r.position} (${r.eventsReplayed} events replayed into ${r.target} tables)`,
    ...table([['table', 'live rows', 'live checksum', 'rebuilt rows', 'rebuilt checksum', 'equal'], ...rows]),
    ...r.tables.flatMap((t) => t.differingKeys.map((d) => `  differs ${t.table} ${JSON.stringify(d.key)}${d.inLive ? '' : ' (missing live)'}${d.inRebuilt ? '' : ' (missing in rebuild)'}`)),
    `result: ${r.equal ? 'EQUAL' : 'DIFFERENT'}${r.swapped ? ', rebuilt tables swapped in' : ''}`,
  ];
  return lines.join('\n');
}

export interface VerifyArgs {
  from?: string;
  to?: string;
  json: boolean;
}

export const VERIFY_USAGE = 'usage: npm run verify [-- --from <position|global position> --to <position|global position>] [--json]';

export function parseVerifyArgs(argv: string[]): VerifyArgs | { error: string } {
  const args: VerifyArgs = { json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') args.json = true;
    else if (a === '--from' || a === '--to') {
      const value = argv[++i];
      if (!value || !/^(\d{1,19}|\d{20}-\d{20})$/.test(value)) return { error: `${a} needs a position (from nextPosition) or a global position number` };
      args[a === '--from' ? 'from' : 'to'] = value;
    } else return { error: `unknown argument ${a}` };
  }
  return args;
}

export function formatIntegrityReport(r: IntegrityReport): string {
  return [
    `integrity ${r.ok ? 'OK' : 'BROKEN'}: ${r.checkedCount} sealed events checked (audit sequence ${r.checkedFrom ?? '-'} to ${r.checkedTo ?? '-'})`,
    `head: ${r.head ? `audit sequence ${r.head.auditSeq} at ${r.head.position}, hash ${r.head.hash} (keep this outside the database)` : 'nothing sealed yet'}`,
    `not sealed yet: ${r.unsealedCount}`,
    ...r.problems.map((p) => {
      const where = [p.eventId, p.streamId && `${p.streamId}${p.streamRevision ? `@${p.streamRevision}` : ''}`, p.globalPosition].filter(Boolean).join(' ');
      return `  ${p.kind}${where ? ` ${where}` : ''}: ${p.detail}`;
    }),
  ].join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd());
}
