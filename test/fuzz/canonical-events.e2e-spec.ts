import { DECISIONS_TOPIC, dlqTopic, eventsTopic, exampleEnvelope, SUBSIDIARY_EVENT_TYPES, SUBSIDIARIES, type SubsidiaryEventType } from '@lib/contracts';
import { DLQ_HEADERS } from '@lib/messaging';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import { randomBytes, randomUUID } from 'node:crypto';
import { createCoordinationApp } from '../../apps/coordination/src/coordination-app';
import { expectEventually } from '../infra/expect-eventually';
import { createTopics, testBrokers, testKafka } from '../infra/kafka';
import { createTestDatabase, type TestDatabase } from '../infra/postgres';
import { withPg } from '../support/coordination-state';
import { pathsOf, REMOVE, setPath } from './rest-fixtures';

/**
 * Malformed canonical events on the coordination service's inbound topic (every event
 * type of the contracts, envelope and payload mutated by fast-check): each one is
 * dead-lettered with a code and a reason, or (when the mutation happens to be valid)
 * applied or parked; never retried forever. After each type's poison, a valid event on
 * the SAME partition must be applied: the partition keeps flowing.
 */
jest.setTimeout(300_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const PER_TYPE = Number(process.env.FUZZ_RUNS ?? 6);
const kafka = testKafka('fuzz-events');
const prefix = `t${randomBytes(4).toString('hex')}.`;
const topic = `${prefix}${eventsTopic('life')}`;
let db: TestDatabase;
let app: INestApplication;

beforeAll(async () => {
  db = await createTestDatabase('fuzz_events');
  const topics = [...SUBSIDIARIES.flatMap((s) => [eventsTopic(s), dlqTopic(eventsTopic(s))]), DECISIONS_TOPIC].map((name) => `${prefix}${name}`);
  await createTopics(kafka, topics.map((t) => ({ topic: t, numPartitions: 1 })));
  const env = {
    NODE_ENV: 'test', DATABASE_URL: db.url, KAFKA_BROKERS: testBrokers().join(','), TOPIC_PREFIX: prefix,
    KAFKA_GROUP_ID: `${prefix}coordination`, LOG_LEVEL: 'silent', DATABASE_POOL_SIZE: '5',
  };
  app = (await createCoordinationApp({ env, logger: false })).app;
  await app.init();
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

interface Poison {
  label: string;
  value: string;
  /** The dead-letter codes it may get, when the mutation certainly breaks the contract. */
  code?: string | string[];
}

const envelope = (type: SubsidiaryEventType) => ({ ...exampleEnvelope(type, 'life'), eventId: randomUUID() });

/** Poison that breaks the envelope: the same for every type, each with the code it must be filed under. */
function envelopePoison(type: SubsidiaryEventType): Poison[] {
  const e = envelope(type);
  const json = (label: string, v: unknown, code: string | string[]): Poison => ({ label, value: JSON.stringify(v), code });
  return [
    { label: 'truncated JSON', value: JSON.stringify(e).slice(0, 40), code: 'INVALID_JSON' },
    json('an array', [e], 'INVALID_ENVELOPE'),
    json('no eventId', { ...e, eventId: undefined }, 'INVALID_ENVELOPE'),
    json('eventId not a UUID', { ...e, eventId: "1'; DROP TABLE coordination.processed_events; --" }, 'INVALID_ENVELOPE'),
    json('unknown type', { ...e, type: `${type}Exploded` }, 'UNKNOWN_EVENT_TYPE'),
    json('future schemaVersion', { ...e, schemaVersion: 99 }, 'UNSUPPORTED_SCHEMA_VERSION'),
    // The payload may already be invalid for pnc (a life product line): either refusal is right.
    json('another subsidiary on this topic', { ...e, subsidiary: 'pnc' }, ['WRONG_TOPIC', 'INVALID_PAYLOAD']),
    json('payload null', { ...e, payload: null }, 'INVALID_ENVELOPE'),
    json('unknown envelope field', { ...e, debug: true }, 'INVALID_ENVELOPE'),
    json('payload field removed', { ...e, payload: setPath(e.payload, [Object.keys(e.payload)[0]], REMOVE) }, 'INVALID_PAYLOAD'),
    json('unknown payload field', { ...e, payload: { ...e.payload, injected: '$..*' } }, 'INVALID_PAYLOAD'),
  ];
}

const odd = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', '\u0000', "'; DROP TABLE event_store.events; --", '$..*', '\n{"level":50}', '9'.repeat(400), '-1.00', '2026-02-30', null, 1e308, -1),
);

/** fast-check mutations of one payload field each: mostly invalid, sometimes still valid. */
function payloadPoison(type: SubsidiaryEventType, index: number): Poison[] {
  const base = envelope(type);
  const paths = pathsOf(base.payload).filter((p) => p.length > 0);
  const samples = fc.sample(fc.record({ path: fc.constantFrom(...paths), to: odd }), { seed: SEED + index, numRuns: PER_TYPE });
  return samples.map(({ path, to }) => {
    const e = envelope(type);
    return { label: `payload.${path.join('.')} = ${JSON.stringify(to)?.slice(0, 40)}`, value: JSON.stringify({ ...e, payload: setPath(e.payload, path, to) }) };
  });
}

function sentinel(n: number): { eventId: string; agentId: string; value: string } {
  const e = envelope('AgentOnboarded');
  const agentId = `FZ-SENTINEL-${n}`;
  return { eventId: e.eventId, agentId, value: JSON.stringify({ ...e, payload: { ...e.payload, agentId, leaderId: null } }) };
}

describe('malformed canonical events on subsidiary.life.events', () => {
  const poisons = SUBSIDIARY_EVENT_TYPES.map((type, i) => ({ type, list: [...envelopePoison(type), ...payloadPoison(type, i)] }));
  const sentinels = SUBSIDIARY_EVENT_TYPES.map((_, i) => sentinel(i));

  it('dead-letters what breaks the contract with its code and reason, and applies the valid event after each batch', async () => {
    const producer = kafka.producer();
    await producer.connect();
    const messages = poisons.flatMap(({ list }, i) => [
      ...list.map((p) => ({ key: 'fuzz', value: p.value, partition: 0 })),
      { key: 'fuzz', value: sentinels[i].value, partition: 0 },
    ]);
    await producer.send({ topic, messages });
    await producer.disconnect();

    // The partition flows: every sentinel, each produced after a batch of poison, is applied.
    await expectEventually(async () => {
      const applied = await withPg(db.url, async (c) => (await c.query('SELECT agent_id FROM coordination.agents WHERE agent_id LIKE $1', ['FZ-SENTINEL-%'])).rows);
      expect(applied).toHaveLength(sentinels.length);
    }, { timeoutMs: 120_000, intervalMs: 500 });

    const letters = await withPg(db.url, async (c) => (await c.query(`SELECT "offset"::int AS offset, code, reason FROM coordination.dead_letters WHERE topic = $1 ORDER BY "offset"`, [topic])).rows);
    const byOffset = new Map(letters.map((l) => [l.offset, l]));
    let offset = 0;
    const misfiled: string[] = [];
    for (const { type, list } of poisons) {
      for (const p of list) {
        const letter = byOffset.get(offset++);
        if (letter && !(letter.reason.length > 0)) misfiled.push(`${type} ${p.label}: empty reason`);
        if (p.code && ![p.code].flat().includes(letter?.code)) misfiled.push(`${type} ${p.label}: expected ${p.code}, got ${letter?.code ?? 'not dead-lettered'}`);
      }
      offset += 1; // the sentinel
    }
    expect(misfiled).toEqual([]);
    // Nothing else is stuck: every message is dead-lettered, handled or parked, and the stored offset is the end.
    const stored = await withPg(db.url, async (c) => (await c.query(`SELECT next_offset::int AS n FROM coordination.consumer_offsets WHERE topic = $1`, [topic])).rows);
    expect(stored).toEqual([{ n: messages.length }]);
    expect(letters.length).toBeGreaterThanOrEqual(poisons.reduce((n, p) => n + p.list.filter((x) => x.code).length, 0));
  });

  it('publishes the dead letters to subsidiary.life.events.dlq with code and reason headers', async () => {
    const consumer = kafka.consumer({ groupId: `${prefix}fuzz-dlq-reader`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: `${topic}.dlq`, fromBeginning: true });
    const seen: Array<{ code?: string; reason?: string }> = [];
    await consumer.run({ eachMessage: async ({ message }) => void seen.push({ code: message.headers?.[DLQ_HEADERS.code]?.toString(), reason: message.headers?.[DLQ_HEADERS.reason]?.toString() }) });
    const expected = await withPg(db.url, async (c) => Number((await c.query('SELECT count(*) AS n FROM coordination.dead_letters WHERE topic = $1', [topic])).rows[0].n));
    try {
      await expectEventually(() => expect(seen.length).toBe(expected), { timeoutMs: 60_000, intervalMs: 250 });
      expect(seen.every((m) => m.code && m.reason)).toBe(true);
    } finally {
      await consumer.disconnect();
    }
  });
});
