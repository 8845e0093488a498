import { DECISIONS_TOPIC, dlqTopic, eventsTopic, SUBSIDIARIES } from '@lib/contracts';
import { Kafka, logLevel } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testBrokers } from '../infra/kafka';
import { createTestDatabase } from '../infra/postgres';
import { digestDifferences, orderIndependent, settledDigest, type StateDigest } from '../support/coordination-state';
import { CLEAN_VERDICT, checkEffects, effectsVerdict } from '../support/effects';
import { dumpTopics, reproduce } from '../support/kafka-dump';
import { sendPlan, subsidiaryPlan, type TrafficResult } from '../support/plan-traffic';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';
import { startServiceProcess } from '../support/service-process';
import { acceptedClients, crashesOf, describeFaults, FAULT_ENV, log } from './fault-harness';

/**
 * Reordering within what Kafka allows (order is kept per partition only):
 *  A. the run's topics replayed from offset 0 by a fresh consumer group into a second
 *     coordination database (partitions interleave as the fetches happen to return);
 *  B. the same messages re-produced to new topics in the reverse topic order, each
 *     partition contiguous (group's events first, life's last), consumed from scratch.
 * The order-independent outcome must equal the original run's; the full outcome's
 * differences are reported (they are the system's genuine order dependencies).
 */
jest.setTimeout(900_000);

let system: ProcessSystem | undefined;
afterAll(async () => system?.stop());

describeFaults('the same events in another order', () => {
  it('gives the same order-independent outcome, and reports what depends on order', async () => {
    system = await startProcessSystem({ brokers: testBrokers().join(','), env: FAULT_ENV });
    const sys = system;
    const traffic = await sendPlan(subsidiaryPlan({ clients: 150, agents: 24, months: 3, seed: 81 }), sys.urls, sys.keys);
    const ids = [...traffic.accepted.values()].map((a) => a.eventId);
    const original = await settledDigest(sys.database.url, ids);
    expect(effectsVerdict(await checkEffects(sys.database.url, traffic.accepted.values()), acceptedClients(traffic))).toEqual(CLEAN_VERDICT);

    const replayed = await consumeInto(sys, sys.prefix, ids, traffic);
    const prefix = `t${randomBytes(4).toString('hex')}.`;
    await copyReversed(sys, prefix);
    const reordered = await consumeInto(sys, prefix, ids, traffic);

    const report = {
      replayFull: digestDifferences(original, replayed, 1).map((d) => d.split('\n')[0]),
      reorderedFull: digestDifferences(original, reordered, 1).map((d) => d.split('\n')[0]),
    };
    log(JSON.stringify({ fault: 'reordering across partitions', events: original['event_store.events'].rows, ...report }));
    dumpDigests({ original, replayed, reordered });
    expect(digestDifferences(orderIndependent(original), orderIndependent(replayed))).toEqual([]);
    expect(digestDifferences(orderIndependent(original), orderIndependent(reordered))).toEqual([]);
    expect(crashesOf(sys)).toEqual([]);
  });
});

/** REL_DUMP_DIR=<dir> keeps the three outcomes as JSON, to study what differs. */
function dumpDigests(digests: Record<string, StateDigest>): void {
  const dir = process.env.REL_DUMP_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, digest] of Object.entries(digests)) fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(digest));
}

/** A coordination process on a fresh database reading `prefix`'s topics from the start. */
async function consumeInto(sys: ProcessSystem, prefix: string, ids: string[], traffic: TrafficResult): Promise<StateDigest> {
  const db = await createTestDatabase('rel_reorder');
  const instance = await startServiceProcess({
    buildDir: sys.build.dir, name: 'coordination', label: `reorder-${prefix}`, logDir: sys.logDir,
    env: { ...sys.envOf('coordination'), DATABASE_URL: db.url, TOPIC_PREFIX: prefix, KAFKA_GROUP_ID: `${prefix}reorder-${randomBytes(2).toString('hex')}` },
  });
  try {
    const digest = await settledDigest(db.url, ids, { timeoutMs: 300_000 });
    expect(effectsVerdict(await checkEffects(db.url, traffic.accepted.values()), acceptedClients(traffic))).toEqual(CLEAN_VERDICT);
    return digest;
  } finally {
    await instance.kill('SIGTERM');
    await db.drop();
  }
}

/** The run's events topics copied to `prefix`'s, group's first and life's last, partition by partition. */
async function copyReversed(sys: ProcessSystem, prefix: string): Promise<void> {
  const admin = new Kafka({ clientId: 'rel-reorder', brokers: sys.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  const names = [...SUBSIDIARIES.flatMap((s) => [eventsTopic(s), dlqTopic(eventsTopic(s))]), DECISIONS_TOPIC];
  await admin.createTopics({ topics: names.map((n) => ({ topic: `${prefix}${n}`, numPartitions: 3, replicationFactor: 1 })), waitForLeaders: true });
  await admin.disconnect();
  for (const sub of [...SUBSIDIARIES].reverse()) {
    const messages = await dumpTopics(sys.brokers, [`${sys.prefix}${eventsTopic(sub)}`]);
    messages.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
    await reproduce(sys.brokers, messages, (topic) => topic.replace(sys.prefix, prefix));
  }
}
