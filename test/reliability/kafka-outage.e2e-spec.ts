import { startKafkaBroker, type KafkaBrokerHandle } from '../infra/kafka-broker';
import type { AcceptedRequest } from '../support/plan-traffic';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';
import { crashesOf, describeFaults, expectNothingLostNothingDoubled, FAULT_ENV, log, startLoad, summary, verdictOf } from './fault-harness';

/**
 * A broker of its own, killed (SIGKILL) for 30 s under steady traffic and started again on
 * the same ports and data directory. The subsidiaries keep accepting into their outboxes
 * (the outbox is the buffer), the relays and consumers reconnect by themselves.
 */
jest.setTimeout(1_200_000);

const OUTAGE_MS = Number(process.env.REL_KAFKA_OUTAGE_MS ?? 30_000);
let broker: KafkaBrokerHandle | undefined;
let system: ProcessSystem | undefined;
afterAll(async () => {
  await system?.stop();
  await broker?.stop();
});

describeFaults('the Kafka broker down for 30 s', () => {
  it('loses nothing and doubles nothing: requests are accepted during the outage and flow after it', async () => {
    broker = await startKafkaBroker({ log });
    system = await startProcessSystem({ brokers: broker.brokers, env: FAULT_ENV });
    const load = startLoad(system, { clients: 150, agents: 24, months: 3, seed: 51, traffic: { ratePerSec: 20 } });
    await new Promise((resolve) => setTimeout(resolve, 10_000)); // traffic before the outage
    const halted = Date.now();
    await broker.halt('SIGKILL');
    const probes = await acceptDuring(system, OUTAGE_MS);
    await broker.restart();
    const restartedAfterMs = Date.now() - halted;
    const traffic = await load.done;
    const verdict = await verdictOf(system, traffic, { timeoutMs: 600_000, extra: probes });
    log(summary('Kafka broker SIGKILL + 30 s + restart', system, traffic, verdict, { outageMs: restartedAfterMs, probesAcceptedDuringOutage: probes.length }));
    expect(probes.length).toBeGreaterThan(OUTAGE_MS / 1000); // the subsidiaries kept taking requests while Kafka was gone
    expectNothingLostNothingDoubled(traffic, verdict, probes);
  });

  it('kept every service process up (apart from the faults injected on purpose)', () => {
    expect(crashesOf(system)).toEqual([]);
  });
});

/** Agents onboarded at the life service while the broker is down (a probe client of its own, two a second, for `ms`). */
async function acceptDuring(system: ProcessSystem, ms: number): Promise<AcceptedRequest[]> {
  const end = Date.now() + ms;
  const accepted: AcceptedRequest[] = [];
  for (let i = 0; Date.now() < end; i++) {
    const body = { agentId: `OUTAGE-${i}`, name: '周杰', channel: 'AGENCY', branchId: 'BJ-09', teamId: 'BJ-09-T1', leaderId: null, joinedAt: '2026-01-05' };
    const res = await fetch(`${system.urls.life}/v1/agents`, {
      method: 'POST',
      headers: { 'X-Api-Key': system.keys.life, 'Idempotency-Key': `outage-probe-${i}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    }).catch(() => null);
    if (res?.status === 202) accepted.push({ kind: 'OnboardAgent', service: 'life', path: '/v1/agents', body, eventId: ((await res.json()) as { eventId: string }).eventId });
    await new Promise((resolve) => setTimeout(resolve, 500)); // pacing of the probe client
  }
  return accepted;
}
