import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { accepted, agent, organization, person, policy, send } from './fixtures';
import { GatewayHarness, startGateway } from './gateway-harness';

/**
 * Strictness: every bad request is a clear 4xx problem+json naming the field, and
 * nothing is written. Embedded mode (no broker): the outbox is the observable output.
 */
describe('life service: bad input, authentication, documentation', () => {
  let h: GatewayHarness;
  const holder = person('LIFE-0000001');

  beforeAll(async () => {
    h = await startGateway('life', { brokers: null });
    await accepted(h, 'post', '/v1/agents', agent('A-1'));
    await accepted(h, 'post', '/v1/clients', holder);
  });

  afterAll(async () => h?.close());

  const snapshot = async () => [await h.outboxCount(), await h.count('clients'), await h.count('policies'), await h.count('idempotency_keys')];
  const badId = (number: string) => number.slice(0, 17) + (number[17] === '0' ? '1' : '0');
  const tomorrow = new Date(Date.now() + 36 * 3600 * 1000).toISOString();

  it.each([
    ['wrong type (premium as a number)', '/v1/policies', 'premium.amount', () => policy('LP-B1', holder.localId, 'A-1', 'WL20', { premium: { amount: 12000, currency: 'CNY', mode: 'ANNUAL' } })],
    ['negative premium', '/v1/policies', 'premium.amount', () => policy('LP-B2', holder.localId, 'A-1', 'WL20', { premium: { amount: '-100.00', currency: 'CNY', mode: 'ANNUAL' } })],
    ['zero premium', '/v1/policies', 'premium.amount', () => policy('LP-B3', holder.localId, 'A-1', 'WL20', { premium: { amount: '0.00', currency: 'CNY', mode: 'ANNUAL' } })],
    ['expiry before effective date', '/v1/policies', 'expiryDate', () => policy('LP-B4', holder.localId, 'A-1', 'WL20', { expiryDate: '2020-01-01' })],
    ['unknown field', '/v1/policies', 'discount', () => policy('LP-B5', holder.localId, 'A-1', 'WL20', { discount: '10%' })],
    ['unknown nested field', '/v1/clients', 'identity.issuedBy', () => ({ ...person('LIFE-B6'), identity: { type: 'RESIDENT_ID', number: person('x').identity.number, issuedBy: 'x' } })],
    ['birth date in the future', '/v1/clients', 'birthDate', () => ({ ...person('LIFE-B7'), identity: undefined, birthDate: '2099-01-01' })],
    ['bad resident-id check digit', '/v1/clients', 'identity.number', () => { const p = person('LIFE-B8'); return { ...p, identity: { ...p.identity, number: badId(p.identity.number) } }; }],
    ['birth date not the one in the id', '/v1/clients', 'birthDate', () => ({ ...person('LIFE-B9'), birthDate: '1990-01-01' })],
    ['bad credit-code check character', '/v1/clients', 'creditCode', () => { const o = organization('LIFE-B10'); return { ...o, creditCode: badId(o.creditCode) }; }],
    ['consent given in the future', '/v1/clients/LIFE-0000001/consents', 'at', () => ({ scope: 'group-sharing', granted: true, at: tomorrow, source: 'app' })],
    ['missing required field', '/v1/agents', 'branchId', () => ({ agentId: 'A-B12', name: '王' })],
    ['body is an array', '/v1/agents', '(body)', () => [agent('A-B13')]],
  ])('%s (POST %s): 400 VALIDATION_FAILED naming %s, nothing written', async (_label, path, field, body) => {
    const before = await snapshot();
    const res = await send(h, 'post', path, body());
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', correlationId: expect.any(String) });
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(JSON.stringify(res.body)).not.toMatch(/\d{17}[\dX]/);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['malformed JSON', 400, 'MALFORMED_JSON', (r: request.Test) => r.set('Content-Type', 'application/json').send('{"localId": "L-1", ')],
    ['not JSON at all', 415, 'UNSUPPORTED_MEDIA_TYPE', (r: request.Test) => r.set('Content-Type', 'text/plain').send('localId=L-1')],
    ['a huge body', 413, 'PAYLOAD_TOO_LARGE', (r: request.Test) => r.send({ ...person('LIFE-H'), address: 'x'.repeat(300_000) })],
  ])('%s: %i %s, nothing written', async (_label, status, code, build) => {
    const before = await snapshot();
    const res = await build(request(h.app.getHttpServer()).post('/v1/clients').set('X-Api-Key', h.keys.own).set('Idempotency-Key', randomUUID()));
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe(code);
    expect(await snapshot()).toEqual(before);
  });

  it('requires an Idempotency-Key on every write', async () => {
    const before = await snapshot();
    const res = await request(h.app.getHttpServer()).post('/v1/agents').set('X-Api-Key', h.keys.own).send(agent('A-NK'));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['too long', 'k'.repeat(201)],
    ['with spaces', 'my key'],
  ])('refuses an Idempotency-Key %s', async (_label, key) => {
    const res = await send(h, 'post', '/v1/agents', agent('A-IK'), key);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_INVALID');
  });

  it('answers 422 naming a holder that is not registered, and 400 for a PUT whose body names another client', async () => {
    const unknownHolder = await send(h, 'post', '/v1/policies', policy('LP-U1', 'LIFE-NOBODY', 'A-1', 'WL20'));
    expect(unknownHolder.status).toBe(422);
    expect(unknownHolder.body).toMatchObject({ code: 'UNKNOWN_CLIENT', errors: [{ field: 'holderLocalId' }] });
    const mismatch = await send(h, 'put', '/v1/clients/LIFE-0000001', person('LIFE-0000002'));
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.errors[0].field).toBe('localId');
  });

  it.each([
    ['no credentials', 401, 'UNAUTHENTICATED', {}],
    ['an unknown key', 401, 'UNAUTHENTICATED', { 'X-Api-Key': 'xsk_nope_nope' }],
  ])('%s: %i %s', async (_label, status, code, headers) => {
    const res = await request(h.app.getHttpServer()).post('/v1/agents').set(headers).set('Idempotency-Key', randomUUID()).send(agent('A-X'));
    expect(res.status).toBe(status);
    expect(res.body.code).toBe(code);
  });

  it("refuses another subsidiary's key and the auditor's with 403, writing nothing", async () => {
    const before = await snapshot();
    expect((await send(h, 'post', '/v1/agents', agent('A-P'), randomUUID(), h.keys.other)).status).toBe(403);
    expect((await send(h, 'post', '/v1/agents', agent('A-Q'), randomUUID(), h.keys.auditor)).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it('serves /health and /docs without credentials', async () => {
    const server = h.app.getHttpServer();
    expect((await request(server).get('/health')).status).toBe(200);
    expect((await request(server).get('/docs')).status).toBe(200);
  });

  it('documents every route with its body schema, the strictness rule and the catalogue codes', async () => {
    const doc = (await request(h.app.getHttpServer()).get('/docs/openapi.json')).body;
    expect(doc.info.description).toContain('`WL20`');
    expect(doc.info.description).toContain('Unknown fields are REJECTED');
    for (const path of ['/v1/clients', '/v1/clients/{localId}/consents', '/v1/policies', '/v1/policies/{policyNo}/cancellation', '/v1/claims/{claimNo}/settlement', '/v1/agents/{agentId}/transfer']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    const body = doc.paths['/v1/policies'].post.requestBody.content['application/json'].schema;
    expect(body).toMatchObject({ type: 'object', additionalProperties: false, required: expect.arrayContaining(['policyNo', 'premium']) });
    expect(doc.paths['/v1/policies'].post.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
  });
});
