/**
 * One reader per bench: turns what the bench reported (its JSON, or for recompute its
 * printed lines) into figures with their targets and same-run ceilings. Anything a bench
 * did not report is shown as missing, never filled in.
 */
import { mdTable } from './markdown';
import type { BenchRun } from './render';

export interface Figure {
  figure: string;
  measured: string;
  target: string;
  met: string;
  ceiling?: string;
}

export interface Section {
  settings: string;
  figures: Figure[];
  details?: string;
  notes: string[];
}

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- each bench's own report shape
const yes = (pass: unknown) => (pass ? 'yes' : '**no**');
const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x.toLocaleString('en-US') : String(x));

/** 'batched append (4 writers) >= 20,000 events/s' -> figure and goal. */
function splitTarget(text: string): { figure: string; goal: string } {
  const match = /^(.*?)\s*(>=|<=|<|>)\s*(.*)$/.exec(text);
  return match ? { figure: match[1], goal: `${match[2]} ${match[3]}` } : { figure: text, goal: '' };
}

export function eventStoreSection(run: BenchRun): Section {
  const j: Json = run.json;
  const rate = (prefix: string) => j.results.find((r: Json) => r.name.startsWith(prefix))?.eventsPerSecond;
  const raw = rate('raw INSERT ... unnest, batches of 100, 4 writer');
  const figures = j.targets.map((t: Json): Figure => {
    const { figure, goal } = splitTarget(t.target);
    const unit = goal.includes('%') ? '%' : ' events/s';
    return { figure, measured: `${num(t.value)}${unit}`, target: goal, met: yes(t.pass), ceiling: figure.startsWith('batched append') ? `raw INSERT … unnest, 4 writers: ${num(raw)} events/s` : undefined };
  });
  const rows = j.results.map((r: Json) => [r.name, num(r.events), r.seconds, num(r.eventsPerSecond), r.extra ? JSON.stringify(r.extra) : '']);
  return {
    settings: `BENCH_SCALE=${process.env.BENCH_SCALE ?? 1}, 4 concurrent writers, events of ~450 bytes, fresh database`,
    figures,
    details: mdTable(['workload', 'events', 'seconds', 'events/s', 'extra'], rows),
    notes: ['The raw INSERT rows are the ceiling: the same rows through a plain INSERT ... SELECT unnest(...) with no revision checks, hashing or global ordering.'],
  };
}

function intakePhases(j: Json): Json[] {
  return Array.isArray(j) ? j : Array.isArray(j?.phases) ? j.phases : [];
}

export function intakeSection(run: BenchRun): Section {
  const phases = intakePhases(run.json);
  if (phases.length === 0) throw new Error('no phases in the intake report');
  const saturation = phases[0];
  const paced = phases.find((p: Json) => String(p.name).startsWith('paced')) ?? phases[phases.length - 1];
  const cpu = saturation.cpuMsPerRequest ?? {};
  const ceiling = cpu.service ? `service CPU ${cpu.service} ms/request: one core carries ~${num(Math.round(1000 / cpu.service))} req/s` : undefined;
  const declared: Json[] = Array.isArray((run.json as Json)?.targets) ? (run.json as Json).targets : [];
  const figures: Figure[] = declared.length
    ? declared.map((t: Json) => ({ figure: t.name ?? t.target, measured: `${num(t.value)}${t.unit ? ` ${t.unit}` : ''}`, target: t.goal ?? t.target ?? '', met: yes(t.pass), ceiling }))
    : [
      { figure: 'accepted POST /v1/policies per s at saturation', measured: `${num(saturation.acceptedPerSec)}/s`, target: '>= 1,500/s', met: yes(saturation.acceptedPerSec >= 1_500), ceiling },
      { figure: `p99 latency, ${paced.name} (${num(paced.acceptedPerSec)}/s accepted)`, measured: `${num(paced.latencyMs?.p99)} ms`, target: '< 50 ms', met: yes(paced.latencyMs?.p99 < 50) },
      { figure: `outbox backlog, ${paced.name}`, measured: `max ${num(paced.backlog?.max)}, drained in ${num(paced.publish?.drainMs)} ms`, target: 'bounded', met: yes(paced.backlog?.end === 0 || paced.publish?.drainMs < 120_000) },
    ];
  const rows = phases.map((p: Json) => [
    p.name, num(p.acceptedPerSec), `${p.latencyMs?.p50} / ${p.latencyMs?.p99} / ${p.latencyMs?.max}`, `${p.non2xx} / ${p.errors}`,
    num(p.publish?.perSec), `${p.publish?.lagMsP50} / ${p.publish?.lagMsP99}`, num(p.backlog?.max), JSON.stringify(p.cpuMsPerRequest ?? {}),
  ]);
  return {
    settings: `BENCH_DURATION=${process.env.BENCH_DURATION ?? 20} s per phase, BENCH_CONNECTIONS=${process.env.BENCH_CONNECTIONS ?? 32}, paced phase BENCH_RATE=${process.env.BENCH_RATE ?? 1500} req/s, one life service process`,
    figures,
    details: mdTable(['phase', 'accepted/s', 'latency p50 / p99 / max ms', 'non-2xx / errors', 'published/s', 'publish lag p50 / p99 ms', 'backlog max', 'CPU ms per request'], rows),
    notes: declared.length ? [] : ['The intake bench reported no targets of its own; run-all checked the ones its header states (>= 1,500 accepted req/s, p99 < 50 ms, bounded backlog).'],
  };
}

export { coordinationSection } from './coordination-section';

export function recomputeSection(run: BenchRun): Section {
  const head = /recomputed (\d+) policy transactions \((\d+) policies, (\d+) history items incl\. reassignments, (\d+) credit lines\)/.exec(run.stdout);
  const total = /total ([\d.]+) s, (\d+) transactions\/s \(target < (\d+) s: (met|MISSED)\)/.exec(run.stdout);
  const heap = /heap (\d+) MB/.exec(run.stdout);
  if (!head || !total) throw new Error('recompute printed no result');
  return {
    settings: `${num(Number(head[1]))} generated policy transactions (${num(Number(head[2]))} policies, ${num(Number(head[3]))} history items incl. orphan reassignments), two-segment rule timeline, 5,000 agents with mid-period transfers; pure domain code, one process`,
    figures: [{ figure: 'full credit-ledger recomputation', measured: `${total[1]} s (${num(Number(total[2]))} transactions/s, ${num(Number(head[4]))} credit lines)`, target: `< ${total[3]} s`, met: yes(total[4] === 'met') }],
    notes: [`Heap after the run: ${heap?.[1] ?? '?'} MB (policies are replayed one at a time, so memory stays flat). No I/O: this is the CPU ceiling of the crediting domain itself.`],
  };
}
