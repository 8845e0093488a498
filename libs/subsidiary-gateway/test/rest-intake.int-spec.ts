import { identityHash, normaliseIdentityNumber, parseSubsidiaryEvent } from '@lib/contracts';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expectEventually } from '../../../test/infra/expect-eventually';
import { testBrokers } from '../../../test/infra/kafka';
import { accepted, agent, person, policy, send } from './fixtures';
import { GatewayHarness, header, HMAC_KEY, readTopic, startGateway, TopicReader } from './gateway-harness';

/** REST in, canonical event out on Kafka: one life service with the relay running. */
describe('life service: REST intake to Kafka', () => {
  let h: GatewayHarness;
  let events: TopicReader;
  const client = person('LIFE-0000107');

  beforeAll(async () => {
    const brokers = testBrokers().join(',');
    h = await startGateway('life', { brokers });
    events = await readTopic(brokers, `${h.prefix}subsidiary.life.events`);
    await accepted(h, 'post', '/v1/agents', agent('A-1001', 'GX01'));
    await accepted(h, 'post', '/v1/clients', client);
  });

  afterAll(async () => {
    await events?.stop();
    await h?.close();
  });

  const published = (eventId: string) =>
    expectEventually(() => {
      const message = events.messages.find((m) => JSON.parse(m.value!.toString()).eventId === eventId);
      if (!message) throw new Error(`event ${eventId} not on the topic yet`);
      return message;
    }, { timeoutMs: 20_000 });

  it('publishes PolicyIssued under the holder\'s identity key, with envelope, catalogue mapping and standard premium', async () => {
    const res = await request(h.app.getHttpServer())
      .post('/v1/policies')
      .set('X-Api-Key', h.keys.own).set('Idempotency-Key', randomUUID()).set('X-Correlation-Id', 'corr-issue-1')
      .send(policy('LP-2026-000001', client.localId, 'A-1001', 'WL20', { channel: undefined, localChannelCode: 'YB01', premium: { amount: '1000.00', currency: 'CNY', mode: 'MONTHLY' } }));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ eventId: expect.any(String), type: 'PolicyIssued', status: 'accepted', location: '/v1/policies/LP-2026-000001' });

    const message = await published(res.body.eventId);
    const hash = identityHash(HMAC_KEY, 'RESIDENT_ID', normaliseIdentityNumber(client.identity.number));
    expect(message.key!.toString()).toBe(`idh:${hash}`);
    expect(header(message, 'x-event-type')).toBe('PolicyIssued');
    const parsed = parseSubsidiaryEvent(message.value!.toString());
    expect(parsed.ok).toBe(true);
    expect(JSON.parse(message.value!.toString())).toEqual({
      eventId: res.body.eventId, type: 'PolicyIssued', schemaVersion: 2, subsidiary: 'life',
      occurredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+08:00$/),
      correlationId: 'corr-issue-1', causationId: null,
      payload: expect.objectContaining({
        policyNo: 'LP-2026-000001', productCode: 'WL20', productLine: 'LIFE_WHOLE', channel: 'BANCASSURANCE',
        localChannelCode: 'YB01', standardPremium: '12000.00', premium: { amount: '1000.00', currency: 'CNY', mode: 'MONTHLY' },
      }),
    });
  });

  it('keys the client\'s own registration like its policies, and never publishes the clear identity number', async () => {
    const registration = await published(
      events.values().find((v) => v.type === 'ClientRegistered' && v.payload.localId === client.localId)?.eventId ?? 'none',
    );
    expect(registration.key!.toString()).toMatch(/^idh:[0-9a-f]{64}$/);
    expect(registration.value!.toString()).not.toContain(client.identity.number);
    expect(JSON.parse(registration.value!.toString()).payload.identity).toEqual({
      type: 'RESIDENT_ID', hash: expect.stringMatching(/^[0-9a-f]{64}$/), masked: expect.stringMatching(/^\d{3}\*{11}\d{3}[\dX]$/), encrypted: expect.stringMatching(/^v1\./),
    });
    const stored = await h.dataSource.query(`SELECT * FROM sub_life.clients WHERE local_id = $1`, [client.localId]);
    expect(JSON.stringify(stored)).not.toContain(client.identity.number);
  });

  it('replays the first answer for the same key and body, writing nothing more', async () => {
    const key = randomUUID();
    const body = policy('LP-2026-000002', client.localId, 'A-1001', 'TL10');
    const first = await send(h, 'post', '/v1/policies', body, key);
    const outbox = await h.outboxCount();
    const again = await send(h, 'post', '/v1/policies', { ...body, premium: { mode: 'ANNUAL', currency: 'CNY', amount: '12000.00' } }, key);
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await h.outboxCount()).toBe(outbox);
  });

  it('answers 409 IDEMPOTENCY_KEY_REUSED for the same key with another body, writing nothing', async () => {
    const key = randomUUID();
    await accepted(h, 'post', '/v1/policies', policy('LP-2026-000003', client.localId, 'A-1001', 'TL10'), key);
    const outbox = await h.outboxCount();
    const res = await send(h, 'post', '/v1/policies', policy('LP-2026-000004', client.localId, 'A-1001', 'TL10'), key);
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await h.outboxCount()).toBe(outbox);
    expect(await h.count(`policies WHERE policy_no = 'LP-2026-000004'`)).toBe(0);
  });

  it('lets only one of many concurrent duplicates write, and answers all of them alike', async () => {
    const key = randomUUID();
    const body = policy('LP-2026-000005', client.localId, 'A-1001', 'CI01');
    const answers = await Promise.all(Array.from({ length: 8 }, () => send(h, 'post', '/v1/policies', body, key)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(202));
    expect(new Set(answers.map((a) => a.body.eventId)).size).toBe(1);
    const rows = await h.dataSource.query(`SELECT count(*)::int AS n FROM sub_life.outbox WHERE value LIKE $1`, [`%${answers[0].body.eventId}%`]);
    expect(rows[0].n).toBe(1);
  });

  it('lets only one of concurrent requests for the same policy number with different keys win', async () => {
    const body = policy('LP-2026-000006', client.localId, 'A-1001', 'CI01');
    const answers = await Promise.all(Array.from({ length: 6 }, () => send(h, 'post', '/v1/policies', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.code === 'POLICY_ALREADY_ISSUED')).toBe(true);
  });

  it('tracks policy status: unknown 404, cancelled once, then 409', async () => {
    const cancel = { effectiveDate: '2026-03-10', reason: 'cooling-off withdrawal', refund: '12000.00' };
    expect((await send(h, 'post', '/v1/policies/LP-NOPE/cancellation', cancel)).body.code).toBe('POLICY_NOT_FOUND');
    await accepted(h, 'post', '/v1/policies', policy('LP-2026-000007', client.localId, 'A-1001', 'WL20'));
    await accepted(h, 'post', '/v1/policies/LP-2026-000007/cancellation', cancel);
    const twice = await send(h, 'post', '/v1/policies/LP-2026-000007/cancellation', cancel);
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('POLICY_STATUS_CONFLICT');
    expect((await send(h, 'post', '/v1/policies/LP-2026-000007/reinstatement', { effectiveDate: '2026-04-01' })).status).toBe(409);
  });

  it('runs a policy through renewal, endorsement, lapse and reinstatement, and a claim through settlement', async () => {
    await accepted(h, 'post', '/v1/policies', policy('LP-2026-000008', client.localId, 'A-1001', 'TL20'));
    const base = '/v1/policies/LP-2026-000008';
    await accepted(h, 'post', `${base}/renewals`, { newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: { amount: '900.00', currency: 'CNY', mode: 'ANNUAL' }, servicingAgentId: 'A-1001' });
    const endorsed = await accepted(h, 'post', `${base}/endorsements`, { effectiveDate: '2027-06-01', premiumDelta: '-100.00', reason: 'sum assured reduced' });
    await accepted(h, 'post', `${base}/lapse`, { effectiveDate: '2028-05-01', reason: 'premium unpaid after grace period' });
    await accepted(h, 'post', `${base}/reinstatement`, { effectiveDate: '2028-08-01' });
    await accepted(h, 'post', '/v1/claims', { claimNo: 'C-1', policyNo: 'LP-2026-000008', reportedAt: '2026-03-02T10:00:00+08:00', amountClaimed: '8600.00' });
    await accepted(h, 'post', '/v1/claims/C-1/settlement', { policyNo: 'LP-2026-000008', settledAt: '2026-03-05T10:00:00+08:00', amountPaid: '8100.00' });
    expect((await send(h, 'post', '/v1/claims/C-1/settlement', { policyNo: 'LP-2026-000008', settledAt: '2026-03-05T10:00:00+08:00', amountPaid: '1.00' })).body.code).toBe('CLAIM_ALREADY_SETTLED');
    const message = await published(endorsed.eventId);
    expect(JSON.parse(message.value!.toString()).payload.standardPremiumDelta).toBe('-80.00');
  });

  it('names an unknown product or channel code with 422', async () => {
    const unknownProduct = await send(h, 'post', '/v1/policies', policy('LP-X1', client.localId, 'A-1001', 'ZZ99'));
    expect(unknownProduct.status).toBe(422);
    expect(unknownProduct.body).toMatchObject({ code: 'UNKNOWN_PRODUCT_CODE', productCode: 'ZZ99', errors: [{ field: 'productCode' }] });
    const unknownChannel = await send(h, 'post', '/v1/policies', policy('LP-X2', client.localId, 'A-1001', 'WL20', { localChannelCode: 'Q9' }));
    expect(unknownChannel.status).toBe(422);
    expect(unknownChannel.body).toMatchObject({ code: 'UNKNOWN_CHANNEL_CODE', localChannelCode: 'Q9' });
  });

  it('reports Kafka in /health', async () => {
    const res = await request(h.app.getHttpServer()).get('/health');
    expect(res.status).toBe(200);
    expect(res.body.info).toMatchObject({ kafka: { status: 'up' }, database: { status: 'up' } });
  });
});
