/**
 * The machine a benchmark run measured: hardware, versions, and how busy it was with
 * other work, which on a shared 2-core box moves every figure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { Client } from 'pg';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  kafka: string;
}

export function repoRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'nest-cli.json'))) return dir;
  }
  return process.cwd();
}

function cpuModel(): string {
  const match = /^model name\s*:\s*(.+)$/m.exec(safeRead('/proc/cpuinfo'));
  return match?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>('SELECT version() AS v');
    return rows[0].v.split(',')[0];
  } catch (error) {
    return `unreachable (${(error as Error).message})`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The version the test broker runs: pinned in the pom that fetches its jars. */
function kafkaVersion(root: string): string {
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(safeRead(join(root, 'test', 'infra', 'kafka', 'pom.xml')));
  return match ? `${match[1]} (KRaft, single node, from Maven Central jars)` : 'unknown';
}

export async function describeMachine(pgUrl: string): Promise<Machine> {
  const memKb = Number(/^MemTotal:\s+(\d+)/m.exec(safeRead('/proc/meminfo'))?.[1] ?? 0);
  const os = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(safeRead('/etc/os-release'))?.[1] ?? process.platform;
  return {
    cpu: cpuModel(), cores: cpus().length, memoryGiB: Math.round((memKb ? memKb * 1024 : totalmem()) / 2 ** 30),
    os, node: process.version, postgres: await postgresVersion(pgUrl), kafka: kafkaVersion(repoRoot()),
  };
}

export interface LoadSnapshot {
  at: string;
  loadAverage: number[];
  /** The busiest processes over one second (name and share of one core), to say what else was running. */
  busiest: string[];
}

function cpuTicksByProcess(): Map<string, { name: string; ticks: number }> {
  const out = new Map<string, { name: string; ticks: number }>();
  for (const pid of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    const stat = safeRead(`/proc/${pid}/stat`);
    const open = stat.indexOf('(');
    const close = stat.lastIndexOf(')');
    if (open < 0 || close < 0) continue;
    const fields = stat.slice(close + 2).split(' ');
    out.set(pid, { name: stat.slice(open + 1, close), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return out;
}

export async function loadSnapshot(): Promise<LoadSnapshot> {
  const before = cpuTicksByProcess();
  await new Promise((r) => setTimeout(r, 1_000));
  const usage = new Map<string, number>();
  for (const [pid, now] of cpuTicksByProcess()) {
    const delta = now.ticks - (before.get(pid)?.ticks ?? now.ticks);
    if (delta > 0) usage.set(now.name, (usage.get(now.name) ?? 0) + delta);
  }
  // 100 ticks per second: one tick in one second is 1% of one core.
  const busiest = [...usage].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([name, ticks]) => `${name} ${ticks}%`);
  return { at: new Date().toISOString(), loadAverage: loadavg().map((x) => Math.round(x * 100) / 100), busiest };
}
