import { testBrokers } from '../infra/kafka';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';
import { crashesOf, describeFaults, openWriteTransaction, processedCount, expectNothingLostNothingDoubled, FAULT_ENV, log, startLoad, summary, until, verdictOf } from './fault-harness';

/**
 * The coordination service is SIGKILLed twice while it is inside a consumer transaction
 * (caught in the act: a backend of its pool holds an open write transaction), under
 * steady traffic, and restarted. The transaction dies with the process, the offsets
 * stored with it too; the restarted process re-reads from the stored offsets.
 */
jest.setTimeout(900_000);

let system: ProcessSystem | undefined;
afterAll(async () => system?.stop());

describeFaults('coordination service killed mid-batch', () => {
  it('loses nothing and doubles nothing across two SIGKILLs and restarts', async () => {
    system = await startProcessSystem({ brokers: testBrokers().join(','), env: FAULT_ENV });
    const sys = system;
    const load = startLoad(sys, { clients: 150, agents: 24, months: 3, seed: 31, traffic: { ratePerSec: 25 } });
    const kills: Array<{ processed: number; caughtInTransaction: boolean }> = [];
    // The first kill early in the run, the second well into it (after the restart has caught up).
    for (const progress of [50, 500]) {
      await until(async () => (await processedCount(sys)) > progress, 180_000, `the coordination service to pass ${progress} events`);
      const caughtInTransaction = await openWriteTransaction(sys, 5_000);
      await sys.services.coordination.kill('SIGKILL');
      kills.push({ processed: await processedCount(sys), caughtInTransaction });
      await sys.services.coordination.start();
    }
    const traffic = await load.done;
    const verdict = await verdictOf(sys, traffic);
    log(summary('coordination SIGKILL x2', sys, traffic, verdict, { kills }));
    expect(kills.filter((k) => k.caughtInTransaction).length).toBeGreaterThanOrEqual(1);
    expectNothingLostNothingDoubled(traffic, verdict);
  });

  it('kept every service process up (apart from the faults injected on purpose)', () => {
    expect(crashesOf(system)).toEqual([]);
  });
});


