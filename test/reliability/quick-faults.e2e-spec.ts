import { eventsTopic, exampleEnvelope, inboundTopic, SUBSIDIARIES, type Subsidiary } from '@lib/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { expectEventually } from '../infra/expect-eventually';
import { testBrokers } from '../infra/kafka';
import { coordinationDigest, digestDifferences, settledDigest, type StateDigest, withPg } from '../support/coordination-state';
import { waitConsumed, highWatermarks } from '../support/consumer-progress';
import { CLEAN_VERDICT, checkEffects, effectsVerdict } from '../support/effects';
import { dumpTopics, reproduce } from '../support/kafka-dump';
import { sendPlan, subsidiaryPlan, type TrafficResult } from '../support/plan-traffic';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';
import { acceptedClients, compareProjections, crashesOf, FAULT_ENV, openWriteTransaction, until } from './fault-harness';

/**
 * The quick fault checks that run in `npm test` (the heavy ones: `npm run test:faults`).
 * The services as processes, a simulated quarter of traffic through REST during which the
 * coordination service is SIGKILLed inside a consumer transaction and restarted, then:
 * - every accepted request became exactly its events, once;
 * - every message of the three events topics delivered a second time (re-produced to its
 *   own partition, so after everything else): the coordination state must not change;
 * - a poison message on every topic the system consumes (three events topics, three
 *   inbound topics), each followed on the same partition by a valid message: the poison is
 *   dead-lettered with its reason, the valid message is applied.
 */
jest.setTimeout(300_000);

let system: ProcessSystem;
let traffic: TrafficResult;
let clean: StateDigest;
let killedInTransaction = false;

beforeAll(async () => {
  system = await startProcessSystem({ brokers: testBrokers().join(','), env: FAULT_ENV });
  const sending = sendPlan(subsidiaryPlan({ clients: 40, agents: 20, months: 3, seed: 21 }), system.urls, system.keys, { ratePerSec: 30 });
  await until(async () => (await count('coordination.processed_events')) > 40, 120_000, 'the coordination service to be consuming');
  killedInTransaction = await openWriteTransaction(system, 5_000);
  await system.services.coordination.kill('SIGKILL');
  await system.services.coordination.start();
  traffic = await sending;
  clean = await settledDigest(system.database.url, [...traffic.accepted.values()].map((a) => a.eventId));
}, 300_000);
afterAll(async () => system?.stop());

const events = () => SUBSIDIARIES.map((s) => `${system.prefix}${eventsTopic(s)}`);

describe('the coordination service SIGKILLed mid-batch and restarted', () => {
  it('still turned every accepted request into exactly its events, once', async () => {
    expect(killedInTransaction).toBe(true);
    expect(crashesOf(system)).toEqual([]);
    expect(traffic.run).toMatchObject({ problems: 0, failures: 0 });
    expect(traffic.accepted.size).toBeGreaterThan(250);
    expect(effectsVerdict(await checkEffects(system.database.url, traffic.accepted.values()), acceptedClients(traffic))).toEqual(CLEAN_VERDICT);
  });

  it('kept every read model equal to a rebuild from the event store', async () => {
    const checks = await compareProjections(system);
    expect(checks.length).toBeGreaterThanOrEqual(4);
    expect(checks.filter((c) => !c.equal)).toEqual([]);
  });
});

describe('every message delivered twice', () => {
  it('changes nothing: the same events, the same read models', async () => {
    const messages = await dumpTopics(system.brokers, events());
    expect(messages.length).toBeGreaterThanOrEqual(traffic.accepted.size);
    const processedBefore = await count('coordination.processed_events');
    await reproduce(system.brokers, messages);
    await waitConsumed(system.database.url, 'coordination', system.groupId, await highWatermarks(system.brokers, events()));
    const again = await coordinationDigest(system.database.url);
    expect(digestDifferences(clean, again)).toEqual([]);
    expect(await count('coordination.processed_events')).toBe(processedBefore);
    expect(await count('coordination.dead_letters')).toBe(0);
    expect(effectsVerdict(await checkEffects(system.database.url, traffic.accepted.values()), acceptedClients(traffic))).toEqual(CLEAN_VERDICT);
  });
});

describe('a poison message on every consumed topic', () => {
  const kafka = () => new Kafka({ clientId: 'rel-poison', brokers: system.brokers.split(','), logLevel: logLevel.NOTHING });

  it('is dead-lettered with its reason while the valid message behind it on the partition is applied', async () => {
    const producer = kafka().producer();
    await producer.connect();
    const agents: string[] = [];
    for (const [i, sub] of SUBSIDIARIES.entries()) {
      const partition = i % 3;
      const canonical = validCanonical(sub, `POISON-E-${sub}`);
      const request = validInbound(`POISON-I-${sub}`);
      agents.push(`POISON-E-${sub}`, `POISON-I-${sub}`);
      await producer.send({ topic: `${system.prefix}${eventsTopic(sub)}`, messages: [
        { partition, key: 'p', value: '{"eventId": "not closed' },
        { partition, key: 'p', value: JSON.stringify({ ...exampleEnvelope('PolicyIssued', sub), eventId: randomUUID(), payload: { policyNo: 'X' } }) },
        { partition, key: 'p', value: canonical },
      ] });
      await producer.send({ topic: `${system.prefix}${inboundTopic(sub)}`, messages: [
        { partition, key: 'p', value: 'DROP TABLE sub_life.clients' },
        { partition, key: 'p', value: JSON.stringify({ ...JSON.parse(request), operation: 'ExplodePolicy' }) },
        { partition, key: 'p', value: request },
      ] });
    }
    await producer.disconnect();

    await expectEventually(async () => {
      const rows = await withPg(system.database.url, async (c) => (await c.query('SELECT agent_id FROM coordination.agents WHERE agent_id LIKE $1 ORDER BY 1', ['POISON-%'])).rows);
      expect(rows.map((r) => r.agent_id)).toEqual([...agents].sort());
    }, { timeoutMs: 120_000, intervalMs: 500 });

    const letters = await withPg(system.database.url, async (c) => {
      const schemas = ['coordination', ...SUBSIDIARIES.map((s) => `sub_${s}`)];
      const all: Array<{ schema: string; topic: string; code: string; reason: string }> = [];
      for (const s of schemas) all.push(...(await c.query(`SELECT '${s}' AS schema, topic, code, reason FROM "${s}".dead_letters`)).rows);
      return all;
    });
    const byTopic = (topic: string) => letters.filter((l) => l.topic === `${system.prefix}${topic}`).map((l) => l.code).sort();
    for (const sub of SUBSIDIARIES) {
      expect({ sub, codes: byTopic(eventsTopic(sub)) }).toEqual({ sub, codes: ['INVALID_JSON', 'INVALID_PAYLOAD'] });
      expect({ sub, codes: byTopic(inboundTopic(sub)) }).toEqual({ sub, codes: ['INVALID_JSON', 'INVALID_REQUEST'] });
    }
    expect(letters.every((l) => l.reason.length > 10)).toBe(true);
  });
});

async function count(table: string): Promise<number> {
  return withPg(system.database.url, async (c) => Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n));
}

function validCanonical(sub: Subsidiary, agentId: string): string {
  const e = exampleEnvelope('AgentOnboarded', sub);
  return JSON.stringify({ ...e, eventId: randomUUID(), payload: { ...e.payload, agentId, leaderId: null } });
}

function validInbound(agentId: string): string {
  return JSON.stringify({
    requestId: `poison-test-${agentId}`, operation: 'OnboardAgent', sentAt: new Date().toISOString(),
    body: { agentId, name: '赵磊', channel: 'AGENCY', branchId: 'BJ-09', teamId: 'BJ-09-T1', leaderId: null, joinedAt: '2026-01-05' },
  });
}
