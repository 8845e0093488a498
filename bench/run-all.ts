/**
 * Runs every benchmark once, each as its own process with BENCH_OUT pointing at a file of
 * its own, and writes BENCHMARKS.md at the repository root from what they measured. A bench
 * that fails is recorded as failed; the others still run.
 *
 *   npm run bench                      (builds once, then runs this from dist/)
 *   node dist/bench/run-all.js [--only event-store,intake,coordination,recompute] [--reuse <dir>]
 *
 * --reuse <dir>: a previous run's result directory (printed at the end); benches whose result
 * is there are not run again, so a long run can be finished or recomposed bench by bench.
 * Env: BENCH_COORDINATION_ARGS (flags for the coordination throughput bench),
 * BENCH_RECOMPUTE_TRANSACTIONS (default 1000000), BENCH_PG_URL (PostgreSQL admin URL).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMachine, loadSnapshot, repoRoot, type LoadSnapshot } from './run-all/machine';
import { BenchRun, renderMarkdown } from './run-all/render';

interface Spec {
  id: string;
  title: string;
  script: string;
  args: string[];
  timeoutMinutes: number;
}

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

function specs(): Spec[] {
  const coordinationArgs = (process.env.BENCH_COORDINATION_ARGS ?? '').split(' ').filter(Boolean);
  return [
    { id: 'event-store', title: 'Event store (PostgreSQL adapter)', script: 'event-store/run.js', args: [], timeoutMinutes: 20 },
    { id: 'intake', title: 'Subsidiary intake (POST /v1/policies -> outbox -> Kafka)', script: 'intake/run.js', args: [], timeoutMinutes: 20 },
    { id: 'coordination', title: 'Coordination throughput (Kafka -> coordination -> event store -> 360° view)', script: 'coordination/throughput.js', args: coordinationArgs, timeoutMinutes: 40 },
    { id: 'recompute', title: 'Credit ledger recomputation', script: 'coordination/recompute.js', args: [process.env.BENCH_RECOMPUTE_TRANSACTIONS ?? '1000000'], timeoutMinutes: 20 },
  ];
}

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs one bench to completion (or its time limit), its output in files next to its JSON. */
function runProcess(spec: Spec, dir: string): Promise<{ exitCode: number | null; signal: string | null; seconds: number }> {
  const started = Date.now();
  const out = openSync(join(dir, `${spec.id}.stdout.txt`), 'w');
  const err = openSync(join(dir, `${spec.id}.stderr.txt`), 'w');
  const child = spawn(process.execPath, [join(__dirname, spec.script), ...spec.args], {
    env: { ...process.env, BENCH_OUT: join(dir, `${spec.id}.json`) },
    stdio: ['ignore', out, err],
  });
  closeSync(out);
  closeSync(err);
  const timer = setTimeout(() => child.kill('SIGTERM'), spec.timeoutMinutes * 60_000);
  return new Promise((resolve) => {
    child.once('exit', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, seconds: Math.round((Date.now() - started) / 1000) });
    });
  });
}

function readText(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

/** BENCH_OUT if the bench wrote it, else the last JSON document it printed. */
function resultJson(dir: string, id: string): unknown {
  const file = readText(join(dir, `${id}.json`));
  if (file.trim()) return JSON.parse(file);
  const stdout = readText(join(dir, `${id}.stdout.txt`));
  for (let at = stdout.length; at > 0; ) {
    at = Math.max(stdout.lastIndexOf('\n{', at - 1), stdout.lastIndexOf('\n[', at - 1));
    if (at < 0) break;
    try {
      return JSON.parse(stdout.slice(at + 1));
    } catch {
      // not a JSON document running to the end of the output; look further back
    }
  }
  return undefined;
}

async function runOne(spec: Spec, dir: string): Promise<BenchRun> {
  const metaFile = join(dir, `${spec.id}.meta.json`);
  if (existsSync(metaFile)) {
    process.stderr.write(`[run-all] ${spec.id}: reusing ${metaFile}\n`);
    return JSON.parse(readFileSync(metaFile, 'utf8')) as BenchRun;
  }
  const loadBefore: LoadSnapshot = await loadSnapshot();
  process.stderr.write(`[run-all] ${spec.id}: node dist/bench/${spec.script} ${spec.args.join(' ')} (load ${loadBefore.loadAverage.join(' ')})\n`);
  const { exitCode, signal, seconds } = await runProcess(spec, dir);
  const run: BenchRun = {
    id: spec.id, title: spec.title, command: `node dist/bench/${spec.script} ${spec.args.join(' ')}`.trim(), exitCode, signal, seconds,
    loadBefore, loadAfter: await loadSnapshot(), stdout: readText(join(dir, `${spec.id}.stdout.txt`)),
    stderrTail: readText(join(dir, `${spec.id}.stderr.txt`)).split('\n').slice(-25).join('\n'),
  };
  try {
    run.json = resultJson(dir, spec.id);
  } catch (error) {
    run.parseError = (error as Error).message;
  }
  writeFileSync(metaFile, JSON.stringify(run, null, 2));
  process.stderr.write(`[run-all] ${spec.id}: exit ${exitCode ?? signal} after ${seconds} s\n`);
  return run;
}

async function main(): Promise<void> {
  const only = argValue('only')?.split(',');
  const dir = argValue('reuse') ?? join(tmpdir(), `bench-run-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const startedAt = new Date();
  const machine = await describeMachine(process.env.BENCH_PG_URL ?? process.env.DATABASE_URL ?? LOCAL_PG);
  const runs: BenchRun[] = [];
  for (const spec of specs().filter((s) => !only || only.includes(s.id))) {
    try {
      runs.push(await runOne(spec, dir));
    } catch (error) {
      runs.push({ id: spec.id, title: spec.title, command: spec.script, exitCode: null, signal: null, seconds: 0, stdout: '', stderrTail: String(error) });
    }
  }
  const file = join(repoRoot(), 'BENCHMARKS.md');
  writeFileSync(file, renderMarkdown({ startedAt, finishedAt: new Date(), machine, runs }));
  process.stderr.write(`[run-all] wrote ${file}; raw results in ${dir}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
