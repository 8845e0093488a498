/*
 * A real single-node Apache Kafka broker (KRaft, combined broker+controller) for tests,
 * without Docker. The jars come from Maven Central via test/infra/kafka/pom.xml (which
 * also pins the Kafka version) and are cached under <repo>/.cache/kafka-jars/<version>.
 *
 * Default heap is -Xms256m -Xmx512m: the machine has 2 cores and 24 GiB, and tests only
 * push small volumes, so a bigger heap buys nothing and a smaller fixed floor avoids GC
 * churn during startup; it leaves ample room for jest workers running alongside.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

export interface KafkaBrokerHandle {
  brokers: string;
  /** Final: stops the broker and deletes its data. */
  stop(): Promise<void>;
  /** The current JVM's pid (it changes on restart). */
  pid?: number;
  dataDir: string;
  /**
   * Stops the JVM but keeps its ports, configuration and data, to simulate an outage.
   * SIGTERM shuts down cleanly; SIGKILL is a crash.
   */
  halt(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts the broker again on the same ports and data directory (halting it first if it runs). */
  restart(): Promise<void>;
}

type Log = (s: string) => void;

const HOST = '127.0.0.1';
const DEFAULT_HEAP = '-Xms256m -Xmx512m';
const MAIN_CLASS = 'kafka.Kafka';
const STORAGE_TOOL = 'kafka.tools.StorageTool';
const READY_LINE = 'Kafka Server started';
const READY_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 20_000;
const MARKER = '.complete';
const noop: Log = () => undefined;
const execFileP = promisify(execFile);

export async function ensureKafkaJars(opts: { cacheDir?: string; log?: Log } = {}): Promise<string> {
  const root = findRepoRoot();
  const pom = pomPath(root);
  const version = kafkaVersion(pom);
  const dir = opts.cacheDir ?? path.join(root, '.cache', 'kafka-jars', version);
  if (hasMarker(dir, version)) return dir;

  // Download next to the target and rename, so an interrupted run never looks complete.
  const tmp = `${dir}.partial-${process.pid}-${randomBytes(4).toString('hex')}`;
  (opts.log ?? noop)(`kafka: fetching Kafka ${version} jars with mvn into ${dir}`);
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.rmSync(tmp, { recursive: true, force: true });
    await runMaven(pom, tmp);
    fs.writeFileSync(path.join(tmp, MARKER), `${version}\n`);
    if (!hasMarker(dir, version)) fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
  } catch (err) {
    if (!hasMarker(dir, version)) throw err; // else a concurrent run finished first
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  return dir;
}

export async function startKafkaBroker(opts: { heap?: string; log?: Log } = {}): Promise<KafkaBrokerHandle> {
  const log = opts.log ?? noop;
  const jarDir = await ensureKafkaJars({ log });
  const [port, controllerPort] = await freePorts(2);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-test-'));
  const startedAt = Date.now();
  try {
    writeConfig(dataDir, port, controllerPort);
    await formatStorage(jarDir, dataDir);
  } catch (err) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const heap = opts.heap ?? DEFAULT_HEAP;
  const child = spawnBroker(jarDir, dataDir, heap);
  const handle = brokerHandle(child, dataDir, `${HOST}:${port}`, () => spawnBroker(jarDir, dataDir, heap), port);
  try {
    await waitReady(child, port, path.join(dataDir, 'server.log'));
  } catch (err) {
    const message = `Kafka broker failed to start: ${(err as Error).message}\n${logTail(dataDir)}`;
    await handle.stop();
    throw new Error(message);
  }
  log(`kafka: broker ${handle.brokers} ready in ${Date.now() - startedAt} ms (pid ${child.pid})`);
  return handle;
}

function findRepoRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (['nest-cli.json', '.git'].some((f) => fs.existsSync(path.join(dir, f)))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

function pomPath(root: string): string {
  const besideThisFile = path.join(__dirname, 'kafka', 'pom.xml');
  return fs.existsSync(besideThisFile) ? besideThisFile : path.join(root, 'test', 'infra', 'kafka', 'pom.xml');
}

function kafkaVersion(pom: string): string {
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(fs.readFileSync(pom, 'utf8'));
  if (!match) throw new Error(`no <kafka.version> in ${pom}`);
  return match[1];
}

function hasMarker(dir: string, version: string): boolean {
  return readText(path.join(dir, MARKER)).trim() === version;
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function runMaven(pom: string, outDir: string): Promise<void> {
  const args = ['-B', '-q', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${outDir}`];
  if (process.env.MAVEN_REPO_LOCAL) args.push(`-Dmaven.repo.local=${process.env.MAVEN_REPO_LOCAL}`);
  await run('mvn', args);
}

async function run(cmd: string, args: string[]): Promise<void> {
  try {
    await execFileP(cmd, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

async function freePorts(count: number): Promise<number[]> {
  // Hold all sockets open together so the same port cannot be handed out twice.
  const servers = await Promise.all(Array.from({ length: count }, listenOnAnyPort));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function listenOnAnyPort(): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => resolve(server));
  });
}

function writeConfig(dataDir: string, port: number, controllerPort: number): void {
  const props = {
    'process.roles': 'broker,controller',
    'node.id': '1',
    'controller.quorum.voters': `1@${HOST}:${controllerPort}`,
    listeners: `PLAINTEXT://${HOST}:${port},CONTROLLER://${HOST}:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': path.join(dataDir, 'logs'),
    'num.partitions': '1',
    'group.initial.rebalance.delay.ms': '0',
    // Single node: internal topics must not ask for 3 replicas; 1 partition keeps creation fast.
    'offsets.topic.replication.factor': '1',
    'offsets.topic.num.partitions': '1',
    'transaction.state.log.replication.factor': '1',
    'transaction.state.log.min.isr': '1',
    'transaction.state.log.num.partitions': '1',
    'share.coordinator.state.topic.replication.factor': '1',
    'share.coordinator.state.topic.min.isr': '1',
  };
  const lines = Object.entries(props).map(([k, v]) => `${k}=${v}`);
  fs.writeFileSync(path.join(dataDir, 'server.properties'), `${lines.join('\n')}\n`);
  fs.writeFileSync(path.join(dataDir, 'log4j2.properties'), log4jConfig(path.join(dataDir, 'server.log')));
}

function log4jConfig(file: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = FILE',
    `appender.file.fileName = ${file}`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = FILE',
    '',
  ].join('\n');
}

async function formatStorage(jarDir: string, dataDir: string): Promise<void> {
  const props = path.join(dataDir, 'server.properties');
  const args = [...jvmFlags(jarDir, dataDir), STORAGE_TOOL, 'format', '-t', clusterId(), '-c', props];
  await run(javaBin(), args);
}

function clusterId(): string {
  // Same shape as `kafka-storage random-uuid`; a leading '-' would be parsed as an option.
  let id: string;
  do id = randomBytes(16).toString('base64url');
  while (id.startsWith('-'));
  return id;
}

function javaBin(): string {
  return process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
}

function jvmFlags(jarDir: string, dataDir: string): string[] {
  const log4j = path.join(dataDir, 'log4j2.properties');
  return ['-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${log4j}`, '-cp', path.join(jarDir, '*')];
}

function spawnBroker(jarDir: string, dataDir: string, heap: string): ChildProcess {
  const out = fs.openSync(path.join(dataDir, 'stdout.log'), 'a');
  try {
    const args = [...heap.split(/\s+/).filter(Boolean), ...jvmFlags(jarDir, dataDir), MAIN_CLASS, 'server.properties'];
    return spawn(javaBin(), args, { cwd: dataDir, detached: false, stdio: ['ignore', out, out] });
  } finally {
    fs.closeSync(out);
  }
}

function brokerHandle(first: ChildProcess, dataDir: string, brokers: string, respawn: () => ChildProcess, port: number): KafkaBrokerHandle {
  let child = first;
  // Last resort if the test process exits without calling stop(): never leave a broker behind.
  const killOnExit = (): void => {
    child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);
  const halt = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> => {
    if (!(await terminate(child, signal, STOP_TIMEOUT_MS))) await terminate(child, 'SIGKILL', 5_000);
  };
  const restart = async (): Promise<void> => {
    await halt();
    const serverLog = path.join(dataDir, 'server.log');
    // The log is appended to: only a ready line written after this point counts.
    const from = readText(serverLog).length;
    child = respawn();
    try {
      await waitReady(child, port, serverLog, from);
    } catch (err) {
      throw new Error(`Kafka broker failed to restart: ${(err as Error).message}\n${logTail(dataDir)}`);
    }
  };
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await halt();
    process.off('exit', killOnExit);
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return {
    brokers,
    dataDir,
    get pid() {
      return child.pid;
    },
    stop: () => (stopping ??= stop()),
    halt,
    restart,
  };
}

function hasExited(child: ChildProcess): boolean {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

function terminate(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  if (hasExited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
    child.kill(signal);
  });
}

async function waitReady(child: ChildProcess, port: number, serverLog: string, fromOffset = 0): Promise<void> {
  const state: { failure?: Error } = {};
  child.once('error', (err) => (state.failure = err));
  child.once('exit', (code, signal) => {
    state.failure ??= new Error(`java exited early (code ${code}, signal ${signal})`);
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!state.failure) {
    if (readText(serverLog).slice(fromOffset).includes(READY_LINE) && (await canConnect(port))) return;
    if (Date.now() > deadline) throw new Error(`not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw state.failure;
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: HOST, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function logTail(dataDir: string, lines = 40): string {
  const tails = ['server.log', 'stdout.log'].map((name) => {
    const tail = readText(path.join(dataDir, name)).trimEnd().split('\n').slice(-lines).join('\n');
    return tail && `--- last ${lines} lines of ${name} ---\n${tail}`;
  });
  return tails.filter(Boolean).join('\n');
}
