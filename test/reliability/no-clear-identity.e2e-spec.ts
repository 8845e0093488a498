import { generateResidentId, normaliseIdentityNumber, seededRng } from '@lib/contracts';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { testBrokers } from '../infra/kafka';
import { settledDigest } from '../support/coordination-state';
import { dumpDatabase } from '../support/database-dump';
import { dumpTopics, topicsWithPrefix } from '../support/kafka-dump';
import { sendPlan, subsidiaryPlan } from '../support/plan-traffic';
import { startProcessSystem, type ProcessSystem } from '../support/process-system';

/**
 * After a simulated run through the four services as real processes (LOG_LEVEL=info, so
 * every request is logged), no identity number sent in clear appears in any service's
 * output, on any Kafka topic of the run, or in any table of the database (coordination,
 * sub_*, event_store, auth). A canary number written into a free-text field (where the
 * system cannot know it is one) proves the scan finds what is there.
 */
jest.setTimeout(300_000);

let system: ProcessSystem;
const canary = generateResidentId(seededRng(99), { birthDate: '1977-07-07', gender: 'M' });
const found = { logs: [] as string[], topics: [] as string[], tables: [] as string[] };
let numbers: string[] = [];
let logLines: string[] = [];

beforeAll(async () => {
  system = await startProcessSystem({ brokers: testBrokers().join(','), logLevel: 'info' });
  const plan = subsidiaryPlan({ clients: 40, agents: 20, months: 3, seed: 11 });
  numbers = [...new Set(plan.requests.flatMap((r) => {
    const number = (r.body.identity as { number?: string } | undefined)?.number;
    return number ? [normaliseIdentityNumber(number)] : [];
  }))];
  const canaryClient = {
    service: 'life', as: 'life', method: 'POST', path: '/v1/clients', kind: 'RegisterClient', seq: 0, wave: 0, idempotencyKey: 'canary-1',
    body: { localId: 'LIFE-CANARY', kind: 'person', name: '金丝雀', gender: 'M', address: `身份证 ${canary} 北京市`, phones: ['13900001111'] },
  } as const;
  const traffic = await sendPlan({ requests: [...plan.requests, { ...canaryClient, wave: plan.requests[plan.requests.length - 1].wave + 1, seq: plan.requests.length }] as never }, system.urls, system.keys);
  expect(traffic.run.problems).toBe(0);
  await sendLogInjections();
  await settledDigest(system.database.url, [...traffic.accepted.values()].map((a) => a.eventId));
  logLines = fs.readdirSync(system.logDir).flatMap((f) => fs.readFileSync(path.join(system.logDir, f), 'utf8').split('\n'));
}, 300_000);
afterAll(async () => system?.stop());

/** Requests whose path and headers try to forge a log line. */
async function sendLogInjections(): Promise<void> {
  const forged = encodeURIComponent('\n{"level":50,"msg":"forged log line"}\n');
  for (const url of [`${system.urls.life}/v1/clients/${forged}/consents`, `${system.urls.life}/v1/policies/${forged}/lapse`]) {
    await fetch(url, {
      method: 'POST',
      headers: { 'X-Api-Key': system.keys.life, 'Idempotency-Key': 'forge-1', 'Content-Type': 'application/json', 'X-Correlation-Id': 'x"y{"level":50}' },
      body: JSON.stringify({ reason: '\n{"level":50,"msg":"forged log line"}', effectiveDate: '2026-01-01' }),
    });
  }
}

const clearIn = (text: string, list: string[]) => list.filter((n) => text.includes(n) || text.includes(n.toLowerCase()));

describe('identity numbers in clear', () => {
  it('generated enough numbers to mean something', () => {
    expect(numbers.length).toBeGreaterThanOrEqual(20);
  });

  it('appear in no service log line', () => {
    expect(logLines.length).toBeGreaterThan(100); // info level: one line per request at least
    found.logs = logLines.flatMap((line) => clearIn(line, [...numbers, canary]));
    expect(found.logs).toEqual([]);
  });

  it('appear on no Kafka topic of the run (keys, values, headers)', async () => {
    const topics = await topicsWithPrefix(system.brokers, system.prefix);
    expect(topics.length).toBeGreaterThanOrEqual(13);
    const messages = await dumpTopics(system.brokers, topics);
    expect(messages.length).toBeGreaterThan(300);
    for (const m of messages) {
      const text = `${m.key ?? ''} ${m.value ?? ''} ${JSON.stringify(m.headers)}`;
      for (const n of clearIn(text, numbers)) found.topics.push(`${m.topic}@${m.offset}: ${n}`);
      if (text.includes(canary)) found.topics.push(`canary@${m.topic}`);
    }
    expect(found.topics.filter((f) => !f.startsWith('canary'))).toEqual([]);
    expect(found.topics.some((f) => f.startsWith('canary'))).toBe(true); // the scan does see what is there
  });

  it('appear in no table of the database (read models, event store, registries, outboxes, dead letters)', async () => {
    const tables = await dumpDatabase(system.database.url);
    expect(tables.map((t) => t.table)).toEqual(expect.arrayContaining(['event_store.events', 'coordination.client_view', 'sub_life.clients', 'sub_pnc.outbox']));
    for (const { table, rows } of tables) {
      for (const row of rows) {
        for (const n of clearIn(row, numbers)) found.tables.push(`${table}: ${n}`);
        if (row.includes(canary)) found.tables.push(`canary@${table}`);
      }
    }
    expect(found.tables.filter((f) => !f.startsWith('canary'))).toEqual([]);
    expect(found.tables).toEqual(expect.arrayContaining(['canary@event_store.events', 'canary@coordination.client_view']));
  });
});

describe('log injection', () => {
  it('cannot forge a log line: every JSON line parses, none carries the forged message', () => {
    const jsonLines = logLines.filter((l) => l.startsWith('{'));
    const parsed = jsonLines.map((l) => {
      try {
        return JSON.parse(l) as { msg?: string };
      } catch {
        return { msg: `UNPARSEABLE ${l.slice(0, 100)}` };
      }
    });
    expect(parsed.filter((p) => p.msg?.startsWith('UNPARSEABLE'))).toEqual([]);
    expect(parsed.filter((p) => p.msg === 'forged log line')).toEqual([]);
    expect(logLines.filter((l) => l.trim().startsWith('"msg":"forged') || l.startsWith('{"level":50,"msg":"forged'))).toEqual([]);
  });
});
