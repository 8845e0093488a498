import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { testBrokers } from '../infra/kafka';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';
import { crashesOf, describeFaults, processedCount, expectNothingLostNothingDoubled, FAULT_ENV, log, startLoad, summary, until, verdictOf } from './fault-harness';

/**
 * Two coordination instances in one consumer group (same database), each owning some of
 * the nine partitions; under steady traffic one is SIGKILLed. Its partitions move to the
 * survivor, which resumes from the offsets stored in PostgreSQL with the effects: no event
 * is lost and none is applied twice in effect.
 */
jest.setTimeout(900_000);

let system: ProcessSystem | undefined;
afterAll(async () => system?.stop());

describeFaults('two coordination instances in one group, one killed', () => {
  it('moves the partitions to the survivor without losing or doubling anything', async () => {
    system = await startProcessSystem({ brokers: testBrokers().join(','), env: FAULT_ENV });
    const sys = system;
    const survivor = await sys.addCoordination('coordination-b');
    await until(async () => (await assignment(sys)).filter((m) => m.partitions > 0).length === 2, 90_000, 'both instances to own partitions');
    const before = await assignment(sys);
    const load = startLoad(sys, { clients: 150, agents: 24, months: 3, seed: 61, traffic: { ratePerSec: 25 } });
    await until(async () => (await processedCount(sys)) > 300, 180_000, 'both instances to be consuming');
    await sys.services.coordination.kill('SIGKILL');
    const killedAt = await processedCount(sys);
    await until(async () => {
      const members = await assignment(sys);
      return members.length === 1 && members[0].partitions === 9;
    }, 120_000, 'the survivor to own all nine partitions');
    const traffic = await load.done;
    const verdict = await verdictOf(sys, traffic);
    log(summary('one of two coordination instances SIGKILLed', sys, traffic, verdict, { before, killedAt, survivorPid: survivor.pid }));
    expect(before.map((m) => m.partitions).sort()).toEqual([4, 5]);
    expect(verdict.effects.accepted - killedAt).toBeGreaterThan(100); // the survivor did real work after the kill
    expectNothingLostNothingDoubled(traffic, verdict);
  });

  it('kept every service process up (apart from the faults injected on purpose)', () => {
    expect(crashesOf(system)).toEqual([]);
  });
});


/** Members of the coordination group and how many partitions each owns. */
async function assignment(sys: ProcessSystem): Promise<Array<{ clientId: string; partitions: number }>> {
  const admin = new Kafka({ clientId: 'rel-group', brokers: sys.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([sys.groupId]);
    if (groups[0].state !== 'Stable') return [];
    return groups[0].members.map((m) => {
      const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
      return { clientId: m.clientId, partitions: Object.values(decoded?.assignment ?? {}).reduce((n, ps) => n + ps.length, 0) };
    });
  } finally {
    await admin.disconnect();
  }
}
