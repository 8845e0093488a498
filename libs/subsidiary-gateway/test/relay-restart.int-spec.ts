import request from 'supertest';
import { expectEventually } from '../../../test/infra/expect-eventually';
import { startKafkaBroker, type KafkaBrokerHandle } from '../../../test/infra/kafka-broker';
import { accepted, agent, organization, policy } from './fixtures';
import { GatewayHarness, readTopic, relayOf, startGateway } from './gateway-harness';

/**
 * The outbox relay against a broker that goes away mid-stream: requests keep being
 * accepted (they only need PostgreSQL), the backlog grows, and after the restart every
 * accepted event reaches the topic. Its own broker, so stopping it disturbs no other test.
 */
describe('group service: outbox relay across a broker restart', () => {
  let broker: KafkaBrokerHandle;
  let h: GatewayHarness;
  const holder = organization('GRP-0000001');

  beforeAll(async () => {
    broker = await startKafkaBroker();
    h = await startGateway('group', { brokers: broker.brokers, env: { KAFKA_INBOUND: 'off', OUTBOX_BATCH_SIZE: '20' } });
    await accepted(h, 'post', '/v1/agents', agent('G-1', 'TX'));
    await accepted(h, 'post', '/v1/clients', holder);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
    await broker?.stop();
  });

  /** Issues policies one after another until told to stop; the accepted event ids, in order. */
  function keepIssuing(): { ids: string[]; stop(): Promise<void> } {
    const ids: string[] = [];
    let running = true;
    const loop = (async () => {
      for (let n = 1; running; n++) {
        const body = policy(`GP-${String(n).padStart(6, '0')}`, holder.localId, 'G-1', 'GH01', { channel: undefined, localChannelCode: 'TX' });
        ids.push((await accepted(h, 'post', '/v1/policies', body)).eventId);
      }
    })();
    return { ids, stop: async () => { running = false; await loop; } };
  }
  const atLeast = (ids: string[], n: number) => expectEventually(() => expect(ids.length).toBeGreaterThanOrEqual(n), { timeoutMs: 60_000 });

  it('publishes every accepted event exactly as accepted, none lost, when the broker crashes mid-stream', async () => {
    const writer = keepIssuing();
    await atLeast(writer.ids, 30);
    await broker.halt('SIGKILL');
    await atLeast(writer.ids, 70);
    await expectEventually(async () => expect(await relayOf(h).backlog()).toBeGreaterThan(0));
    // Readiness fails while the broker is away (the platform's filter reports it as a plain 503 problem).
    expect((await request(h.app.getHttpServer()).get('/health')).status).toBe(503);

    await broker.restart();
    await atLeast(writer.ids, writer.ids.length + 30);
    await writer.stop();
    await expectEventually(async () => expect(await relayOf(h).backlog()).toBe(0), { timeoutMs: 90_000, intervalMs: 250 });

    const expected = writer.ids;
    const reader = await readTopic(broker.brokers, `${h.prefix}subsidiary.group.events`);
    try {
      await expectEventually(() => expect(new Set(reader.values().map((v) => v.eventId)).size).toBeGreaterThanOrEqual(expected.length + 2), { timeoutMs: 30_000 });
      const byId = new Map<string, string[]>();
      for (const m of reader.messages) {
        const id = JSON.parse(m.value!.toString()).eventId as string;
        byId.set(id, [...(byId.get(id) ?? []), m.value!.toString()]);
      }
      expect(expected.filter((id) => !byId.has(id))).toEqual([]);
      // At-least-once: a resend after the outage is allowed, but only as an identical copy.
      for (const copies of byId.values()) expect(new Set(copies).size).toBe(1);
      // All policies share their holder's key, so one partition carries them in the order they were accepted.
      const policyEvents = reader.values().filter((v) => v.type === 'PolicyIssued');
      const order = policyEvents.map((v) => v.payload.policyNo).filter((no, i, all) => all.indexOf(no) === i);
      expect(order).toEqual([...order].sort());
    } finally {
      await reader.stop();
    }
  }, 240_000);
});
