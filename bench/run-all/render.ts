/**
 * BENCHMARKS.md: the machine and how busy it was, then one section per bench with its
 * settings, every figure next to its target and the ceiling measured in the same run, or
 * the failure when it did not produce one.
 */
import type { LoadSnapshot, Machine } from './machine';
import { mdTable } from './markdown';
import { coordinationSection, eventStoreSection, intakeSection, recomputeSection, type Section } from './sections';

export interface BenchRun {
  id: string;
  title: string;
  command: string;
  exitCode: number | null;
  signal: string | null;
  seconds: number;
  loadBefore?: LoadSnapshot;
  loadAfter?: LoadSnapshot;
  stdout: string;
  stderrTail: string;
  json?: unknown;
  parseError?: string;
}

export interface RunAll {
  startedAt: Date;
  finishedAt: Date;
  machine: Machine;
  runs: BenchRun[];
}

const SECTIONS: Record<string, (run: BenchRun) => Section | null> = {
  'event-store': eventStoreSection,
  intake: intakeSection,
  coordination: coordinationSection,
  recompute: recomputeSection,
};

const loadText = (l?: LoadSnapshot) => (l ? l.loadAverage.join(' / ') : 'n/a');

const minute = (iso: string) => iso.slice(0, 16).replace('T', ' ');

/** The span the benches really ran in (a recomposed file keeps the original times). */
function period(r: RunAll): string {
  const starts = r.runs.map((x) => x.loadBefore?.at).filter((x): x is string => !!x).sort();
  const ends = r.runs.map((x) => x.loadAfter?.at).filter((x): x is string => !!x).sort();
  return `${minute(starts[0] ?? r.startedAt.toISOString())} – ${minute(ends[ends.length - 1] ?? r.finishedAt.toISOString()).slice(11)} UTC`;
}

function header(r: RunAll): string {
  const m = r.machine;
  const first = r.runs.find((x) => x.loadBefore)?.loadBefore;
  return [
    '# Benchmarks',
    '',
    `Measured ${period(r)} by \`npm run bench\` ` +
      '(bench/run-all.ts), one process per bench, each on its own fresh database and, where it needs one, its own Kafka broker. ' +
      'Regenerate with `npm run bench`; every number below comes from that run. Raw JSON per bench is kept in the run directory it prints.',
    '',
    '## Machine',
    '',
    mdTable(['', ''], [
      ['CPU', `${m.cpu}, ${m.cores} cores`], ['Memory', `${m.memoryGiB} GiB`], ['OS', m.os], ['Node.js', m.node],
      ['PostgreSQL', `${m.postgres} (local server, shared)`], ['Kafka', m.kafka],
      ['Load average (1/5/15 min) at start', `${loadText(first)} on ${m.cores} cores`],
      ['Busiest processes at start (share of one core)', first?.busiest.join(', ') ?? 'n/a'],
    ]),
    '',
    `> The machine is shared: other work ran during the benches (load average above ${m.cores} means processes waited for a core). ` +
      'Every figure is depressed by that and varies from run to run; the per-event CPU costs are the more stable comparison.',
    '',
    summary(r),
  ].join('\n');
}

function summary(r: RunAll): string {
  const rows: Array<Array<string | number>> = [];
  for (const run of r.runs) {
    const section = safeSection(run);
    if (!section) rows.push([run.title, 'FAILED (see below)', '', '', '']);
    else for (const f of section.figures) rows.push([run.id, f.figure, f.measured, f.target, f.met]);
  }
  return ['## Summary', '', mdTable(['bench', 'figure', 'measured', 'target', 'met'], rows)].join('\n');
}

function safeSection(run: BenchRun): Section | null {
  try {
    return run.json === undefined && run.id !== 'recompute' ? null : (SECTIONS[run.id]?.(run) ?? null);
  } catch {
    return null;
  }
}

function benchSection(run: BenchRun): string {
  const status = run.signal ? `killed by ${run.signal}` : `exit code ${run.exitCode}`;
  const lines = [
    `## ${run.title}`,
    '',
    `\`${run.command}\` — started ${run.loadBefore ? minute(run.loadBefore.at).slice(11) : '?'} UTC, ${run.seconds} s, ${status}; load average before ${loadText(run.loadBefore)}, after ${loadText(run.loadAfter)}` +
      (run.loadBefore?.busiest.length ? `; busiest processes before: ${run.loadBefore.busiest.join(', ')}` : ''),
    '',
  ];
  const section = safeSection(run);
  if (!section) {
    lines.push(`**Failed: no result.** ${run.parseError ? `Its output could not be parsed (${run.parseError}). ` : ''}Last lines of its error output:`, '', '```', run.stderrTail.trim() || '(empty)', '```');
    return lines.join('\n');
  }
  lines.push(`Settings: ${section.settings}`, '', mdTable(['figure', 'measured', 'target', 'met', 'ceiling (same run)'], section.figures.map((f) => [f.figure, f.measured, f.target, f.met, f.ceiling ?? ''])), '');
  if (section.details) lines.push(section.details, '');
  if (section.notes.length) lines.push(...section.notes.map((n) => `- ${n}`), '');
  return lines.join('\n');
}

export function renderMarkdown(r: RunAll): string {
  return `${[header(r), ...r.runs.map(benchSection)].join('\n\n')}\n`;
}
