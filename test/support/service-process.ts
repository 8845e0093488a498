/*
 * The services as real child processes (`node <build>/apps/<name>/src/main.js`), for tests
 * that kill, restart or measure them. CI runs `npm test` without `npm run build`, and other
 * engineers rebuild dist/ at any moment, so each test file compiles apps and libs with SWC
 * into its own directory under .cache/ (about 3 s); node resolves node_modules from there.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../infra/ports';
import { serviceNodeArgs } from '../../scripts/lib/service-node-args';

export type ServiceName = 'life' | 'pnc' | 'group' | 'coordination';

const REPO = path.resolve(__dirname, '..', '..');
const execFileP = promisify(execFile);

export interface ServiceBuild {
  dir: string;
  remove(): void;
}

/** Compiles apps/ and libs/ into a fresh directory (the same SWC settings as `npm run build`). */
export async function buildServices(): Promise<ServiceBuild> {
  const dir = path.join(REPO, '.cache', 'service-builds', `${process.pid}-${randomBytes(3).toString('hex')}`);
  fs.mkdirSync(dir, { recursive: true });
  const swc = path.join(REPO, 'node_modules', '.bin', 'swc');
  await execFileP(swc, ['apps', 'libs', '-d', dir, '--config-file', '.swcrc', '-q', '--copy-files'], { cwd: REPO, maxBuffer: 16 << 20 });
  if (!fs.existsSync(mainOf(dir, 'coordination'))) throw new Error(`SWC build in ${dir} produced no coordination main.js`);
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const mainOf = (buildDir: string, name: ServiceName) => path.join(buildDir, 'apps', name, 'src', 'main.js');

export interface ServiceProcess {
  name: ServiceName;
  /** Distinguishes instances of one service (e.g. two coordination instances). */
  label: string;
  url: string;
  port: number;
  readonly pid: number | undefined;
  /** Everything the process wrote to stdout and stderr, across restarts. */
  logFile: string;
  running(): boolean;
  /** Sends a signal and waits for the process to exit (SIGKILL after 20 s). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and environment, waiting for /health/live. */
  start(): Promise<void>;
  /** Resident set size of the process in bytes (Linux /proc). */
  rssBytes(): number;
  /** Exits nobody asked for (with `supervise`, each was followed by a restart, as an orchestrator would). */
  crashes: Crash[];
}

export interface Crash {
  label: string;
  at: string;
  exit: string;
  logTail: string;
}

export interface ServiceProcessOptions {
  buildDir: string;
  name: ServiceName;
  label?: string;
  env: Record<string, string | undefined>;
  logDir: string;
  port?: number;
  /** After the services' own V8 settings (`serviceNodeArgs`); a later flag wins. */
  nodeArgs?: string[];
  /** Restart the process when it exits on its own (recorded in `crashes`). */
  supervise?: boolean;
}

/** Starts one service and waits until it answers /health/live (migrations done, listening). */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = options.port ?? (await freePort());
  const label = options.label ?? options.name;
  const logFile = path.join(options.logDir, `${label}.log`);
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let wanted = false;
  const crashes: Crash[] = [];
  const start = async () => {
    const out = fs.openSync(logFile, 'a');
    try {
      child = spawn(process.execPath, [...serviceNodeArgs(), ...(options.nodeArgs ?? []), mainOf(options.buildDir, options.name)], {
        cwd: REPO,
        env: { ...cleanEnv(), ...options.env, PORT: String(port), HOST: '127.0.0.1' } as NodeJS.ProcessEnv,
        stdio: ['ignore', out, out],
      });
    } finally {
      fs.closeSync(out);
    }
    wanted = true;
    const mine = child;
    mine.once('exit', (code, signal) => {
      if (!wanted || child !== mine) return;
      crashes.push({ label, at: new Date().toISOString(), exit: `${code ?? signal}`, logTail: tail(logFile, 40) });
      if (options.supervise) setTimeout(() => void start().catch(() => undefined), 1_000);
    });
    await waitLive(url, child, logFile);
  };
  const handle: ServiceProcess = {
    name: options.name, label, url, port, logFile, crashes,
    get pid() {
      return child?.pid;
    },
    running: () => child !== null && !exited(child),
    kill: (signal = 'SIGTERM') => {
      wanted = false;
      return stopChild(child, signal);
    },
    start,
    rssBytes: () => rssOf(child?.pid),
  };
  process.on('exit', () => child?.kill('SIGKILL'));
  await start();
  return handle;
}

/** Jest's own variables (JEST_WORKER_ID...) must not leak into the services' config. */
function cleanEnv(): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'LANG', 'TZ', 'JAVA_HOME', 'TMPDIR'];
  return Object.fromEntries(keep.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]]));
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopChild(child: ChildProcess | null, signal: NodeJS.Signals): Promise<void> {
  if (!child || exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await gone;
  clearTimeout(timer);
}

async function waitLive(url: string, child: ChildProcess, logFile: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited(child)) throw new Error(`${path.basename(logFile, '.log')} exited (${child.exitCode ?? child.signalCode}) at start:\n${tail(logFile)}`);
    const ok = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} not live within ${timeoutMs / 1000} s:\n${tail(logFile)}`);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

