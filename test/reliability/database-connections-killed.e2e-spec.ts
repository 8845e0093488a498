import { testBrokers } from '../infra/kafka';
import { withPg } from '../support/coordination-state';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';
import { crashesOf, describeFaults, expectNothingLostNothingDoubled, FAULT_ENV, log, startLoad, summary, verdictOf } from './fault-harness';

/**
 * PostgreSQL cannot be restarted here: the test server is the machine's shared local
 * server. Instead, every connection the four services hold is terminated
 * (pg_terminate_backend, as a server restart would sever them), again and again under
 * steady traffic. The services must reconnect by themselves; requests that failed with a
 * 503 (transient, with Retry-After) meanwhile are retried by the client with the same
 * Idempotency-Key; a 500 would mean an unclassified failure and fails the test.
 */
jest.setTimeout(900_000);

let system: ProcessSystem | undefined;
afterAll(async () => system?.stop());

const ROUNDS = Number(process.env.REL_DB_KILL_ROUNDS ?? 12);

describeFaults('every service connection to PostgreSQL terminated, repeatedly', () => {
  it('loses nothing and doubles nothing: the services reconnect, clients retry', async () => {
    system = await startProcessSystem({ brokers: testBrokers().join(','), env: FAULT_ENV });
    const sys = system;
    const load = startLoad(sys, { clients: 150, agents: 24, months: 3, seed: 41, traffic: { ratePerSec: 25 } });
    const terminated: number[] = [];
    let finished = false;
    void load.done.finally(() => (finished = true));
    for (let round = 0; round < ROUNDS && !finished; round++) {
      await new Promise((resolve) => setTimeout(resolve, 2_500)); // the fault's rhythm, not a wait for a condition
      terminated.push(await terminateServiceConnections(sys));
    }
    const traffic = await load.done;
    const verdict = await verdictOf(sys, traffic);
    log(summary('PostgreSQL connections terminated', sys, traffic, verdict, { rounds: terminated.length, terminated }));
    expect(terminated.filter((n) => n > 0).length).toBeGreaterThanOrEqual(Math.min(ROUNDS, 8));
    expectNothingLostNothingDoubled(traffic, verdict);
    // A severed connection is a transient failure: 503 with Retry-After, never a 500 ("a bug").
    expect(traffic.attempts['500'] ?? 0).toBe(0);
  });

  it('kept every service process up (apart from the faults injected on purpose)', () => {
    expect(crashesOf(system)).toEqual([]);
  });
});

/** Severs every connection of the services (application_name xsell-*) to the run's database. */
async function terminateServiceConnections(sys: ProcessSystem): Promise<number> {
  return withPg(sys.database.url, async (c) => (await c.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'xsell-%'`,
  )).rowCount ?? 0);
}
