import { deterministicEventId, INTAKE_EVENT_NAMESPACE, type InboundRequest } from '@lib/contracts';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { expectEventually } from '../../../test/infra/expect-eventually';
import { testBrokers } from '../../../test/infra/kafka';
import { accepted, agent, organization, person, policy } from './fixtures';
import { GatewayHarness, header, readTopic, startGateway, TopicReader } from './gateway-harness';

/** Subsidiary systems that speak Kafka: subsidiary.pnc.inbound in, events or the DLQ out. */
describe('P&C service: Kafka intake', () => {
  let h: GatewayHarness;
  let producer: Producer;
  let events: TopicReader;
  let dlq: TopicReader;
  let inbound: string;

  beforeAll(async () => {
    const brokers = testBrokers().join(',');
    h = await startGateway('pnc', { brokers });
    inbound = `${h.prefix}subsidiary.pnc.inbound`;
    events = await readTopic(brokers, `${h.prefix}subsidiary.pnc.events`);
    dlq = await readTopic(brokers, `${inbound}.dlq`);
    producer = new Kafka({ clientId: 'test-subsidiary-system', brokers: brokers.split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await accepted(h, 'post', '/v1/agents', agent('P-2002', 'JX'));
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all([events?.stop(), dlq?.stop()]);
    await h?.close();
  });

  const request = (operation: InboundRequest['operation'], body: Record<string, unknown>, extra: Partial<InboundRequest> = {}): InboundRequest => ({
    requestId: randomUUID(), operation, sentAt: new Date().toISOString(), body, ...extra,
  });
  const produce = (...values: Array<InboundRequest | string>) =>
    producer.send({ topic: inbound, messages: values.map((v) => ({ key: 'sys-1', value: typeof v === 'string' ? v : JSON.stringify(v) })) });
  const eventIdOf = (requestId: string) => deterministicEventId(INTAKE_EVENT_NAMESPACE, `pnc:${requestId}`);
  const eventsWithId = (eventId: string) => events.values().filter((v) => v.eventId === eventId);
  const onTopic = (eventId: string) =>
    expectEventually(() => {
      const found = eventsWithId(eventId);
      if (found.length === 0) throw new Error(`${eventId} not published yet`);
      return found[0];
    });

  it('takes a valid request the same way as REST: the event appears on the events topic', async () => {
    const org = organization('PNC-0000420');
    const registration = request('RegisterClient', org, { correlationId: 'corr-kafka-1' });
    await produce(registration);
    const event = await onTopic(eventIdOf(registration.requestId));
    expect(event).toMatchObject({ type: 'ClientRegistered', subsidiary: 'pnc', correlationId: 'corr-kafka-1', payload: { localId: 'PNC-0000420', creditCode: org.creditCode } });
    expect(await h.count(`clients WHERE local_id = 'PNC-0000420'`)).toBe(1);
  });

  it('dead-letters invalid requests with the reason in the headers and keeps consuming', async () => {
    const bad = person('PNC-BAD-1');
    const badNumber = bad.identity.number.slice(0, 17) + (bad.identity.number[17] === '0' ? '1' : '0');
    const invalidBody = request('RegisterClient', { ...bad, identity: { type: 'RESIDENT_ID', number: badNumber } });
    const unknownHolder = request('IssuePolicy', policy('PP-X-1', 'PNC-NOBODY', 'P-2002', 'MOT02'));
    const valid = request('RegisterClient', person('PNC-0000501'));
    await produce('{"operation": "RegisterClient", ', invalidBody, unknownHolder, valid);

    await onTopic(eventIdOf(valid.requestId));
    const letters = await expectEventually(() => {
      if (dlq.messages.length < 3) throw new Error(`only ${dlq.messages.length} dead letters`);
      return dlq.messages;
    });
    expect(letters.map((m) => header(m, 'x-dlq-code'))).toEqual(['INVALID_JSON', 'INVALID_BODY', 'UNKNOWN_CLIENT']);
    expect(header(letters[1], 'x-dlq-reason')).toMatch(/body\.identity\.number: is not a valid RESIDENT_ID number/);
    expect(header(letters[1], 'x-dlq-reason')).not.toContain(badNumber);
    expect(header(letters[2], 'x-dlq-reason')).toMatch(/holderLocalId/);
    expect(JSON.parse(letters[2].value!.toString()).requestId).toBe(unknownHolder.requestId);
    expect(await h.count(`clients WHERE local_id = 'PNC-BAD-1'`)).toBe(0);
  });

  it('applies a redelivered request once', async () => {
    const consent = request('ChangeConsent', { scope: 'group-sharing', granted: true, at: '2026-03-01T09:30:00+08:00', source: 'app' }, { target: 'PNC-0000420' });
    const sentinel = request('ChangeConsent', { scope: 'marketing', granted: false, at: '2026-03-01T09:31:00+08:00', source: 'app' }, { target: 'PNC-0000420' });
    await produce(consent, consent, sentinel);
    await onTopic(eventIdOf(sentinel.requestId));
    expect(eventsWithId(eventIdOf(consent.requestId))).toHaveLength(1);
  });

  it('refuses a reused request id with another body to the DLQ', async () => {
    const first = request('RegisterClient', person('PNC-0000601'));
    const reuse = { ...request('RegisterClient', person('PNC-0000602')), requestId: first.requestId };
    const dead = dlq.messages.length;
    await produce(first, reuse);
    await onTopic(eventIdOf(first.requestId));
    await expectEventually(() => expect(dlq.messages.slice(dead).map((m) => header(m, 'x-dlq-code'))).toEqual(['IDEMPOTENCY_KEY_REUSED']));
  });
});
