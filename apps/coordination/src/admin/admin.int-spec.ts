import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../../../../test/infra/postgres';
import { startAuditTestApp, type AuditTestApp } from '../audit/testing/audit-test-app';

jest.setTimeout(120_000);

let db: TestDatabase;
let t: AuditTestApp;
const http = () => request(t.app.getHttpServer());
const as = (role: 'auditor' | 'admin' | 'coordinator' | 'subsidiary:life') => ({ 'X-Api-Key': t.keys[role] });
const today = () => new Date().toISOString().slice(0, 10);
const adminActions = async () => (await t.store.readStream(`admin-actions-${today()}`).catch(() => [])).map((e) => ({ type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata }));

beforeAll(async () => {
  db = await createTestDatabase('admin');
  t = await startAuditTestApp(db.url);
});

afterAll(async () => {
  await t?.app.close();
  await db?.drop();
});

describe('API keys', () => {
  it('given an admin, when a key is created, then it works at once, its creation is recorded without the key, and revoking it shuts it out', async () => {
    const created = await http().post('/v1/admin/api-keys').set(as('admin')).send({ name: 'audit firm', role: 'auditor' }).expect(201);
    expect(created.body).toMatchObject({ name: 'audit firm', role: 'auditor', subsidiary: null, createdBy: t.principalIds.admin, revokedAt: null });
    const key: string = created.body.key;
    await http().get('/v1/audit/integrity').set('X-Api-Key', key).expect(200);

    const recorded = (await adminActions()).filter((a) => a.type === 'ApiKeyCreated' && a.data.id === created.body.id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].data).toMatchObject({ role: 'auditor', by: t.principalIds.admin });
    expect(recorded[0].metadata.actor).toBe(t.principalIds.admin);
    expect(JSON.stringify(recorded)).not.toContain(key.split('_').pop());

    const listed = await http().get('/v1/admin/api-keys').set(as('admin')).expect(200);
    expect(listed.body.keys.find((k: { id: string }) => k.id === created.body.id)).toBeDefined();
    expect(JSON.stringify(listed.body)).not.toContain('hash');

    const revoked = await http().delete(`/v1/admin/api-keys/${created.body.id}`).set(as('admin')).expect(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, revokedBy: t.principalIds.admin });
    await http().get('/v1/audit/integrity').set('X-Api-Key', key).expect(401);
    await http().delete(`/v1/admin/api-keys/${created.body.id}`).set(as('admin')).expect(200);
    expect((await adminActions()).filter((a) => a.type === 'ApiKeyRevoked' && a.data.id === created.body.id)).toHaveLength(1);
  });

  it('given a subsidiary role, then the key is bound to that subsidiary; a mismatch or an unknown role is 400, an unknown id 404', async () => {
    const life = await http().post('/v1/admin/api-keys').set(as('admin')).send({ name: 'life core', role: 'subsidiary:life' }).expect(201);
    expect(life.body.subsidiary).toBe('life');
    await http().post('/v1/admin/api-keys').set(as('admin')).send({ name: 'x', role: 'subsidiary:life', subsidiary: 'pnc' }).expect(400);
    await http().post('/v1/admin/api-keys').set(as('admin')).send({ name: 'x', role: 'root' }).expect(400);
    await http().delete('/v1/admin/api-keys/0123456789abcdef').set(as('admin')).expect(404);
  });

  it('given a coordinator or an auditor, then keys are out of reach', async () => {
    await http().get('/v1/admin/api-keys').set(as('coordinator')).expect(403);
    await http().post('/v1/admin/api-keys').set(as('auditor')).send({ name: 'x', role: 'admin' }).expect(403);
  });
});

describe('dead letters', () => {
  const insertLetter = async (topic: string): Promise<string> => {
    const [row] = await t.dataSource.query(
      `INSERT INTO coordination.dead_letters (group_id, topic, "partition", "offset", "key", value, headers, reason, code)
       VALUES ('coordination', $1, 2, 41, 'k-1', $2, '{"x-trace":"t1"}', 'payload failed validation', 'INVALID_PAYLOAD') RETURNING id::text AS id`,
      [topic, JSON.stringify({ eventId: randomUUID(), type: 'PolicyIssued' })],
    );
    return row.id;
  };

  it('given a dead letter, then lists omit its message, the detail shows it, and a retry re-enqueues it once and is recorded', async () => {
    const topic = `subsidiary.life.events.${randomUUID()}`;
    const id = await insertLetter(topic);
    const list = await http().get('/v1/admin/dead-letters').query({ status: 'open', topic }).set(as('coordinator')).expect(200);
    expect(list.body.deadLetters).toEqual([expect.objectContaining({ id, topic, status: 'open', code: 'INVALID_PAYLOAD' })]);
    expect(list.body.deadLetters[0].value).toBeUndefined();
    const detail = await http().get(`/v1/admin/dead-letters/${id}`).set(as('admin')).expect(200);
    expect(JSON.parse(detail.body.value)).toMatchObject({ type: 'PolicyIssued' });

    const retried = await http().post(`/v1/admin/dead-letters/${id}/retry`).set(as('coordinator')).expect(200);
    expect(retried.body).toMatchObject({ id, status: 'retried', resolvedBy: t.principalIds.coordinator });
    const outbox = await t.dataSource.query(`SELECT topic, message_key, headers FROM coordination.outbox WHERE topic = $1`, [topic]);
    expect(outbox).toEqual([{ topic, message_key: 'k-1', headers: { 'x-trace': 't1', 'x-dlq-retry-of': id } }]);
    await http().post(`/v1/admin/dead-letters/${id}/retry`).set(as('coordinator')).expect(409);
    expect((await adminActions()).filter((a) => a.type === 'DeadLetterRetried' && a.data.id === id)).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ topic, partition: 2, offset: '41', by: t.principalIds.coordinator }) }),
    ]);
  });

  it('given a discard, then a reason is required, and the discard and its reason are recorded', async () => {
    const id = await insertLetter(`subsidiary.pnc.events.${randomUUID()}`);
    await http().post(`/v1/admin/dead-letters/${id}/discard`).set(as('admin')).send({}).expect(400);
    const discarded = await http().post(`/v1/admin/dead-letters/${id}/discard`).set(as('admin')).send({ reason: 'duplicate of a corrected resubmission' }).expect(200);
    expect(discarded.body.status).toBe('discarded');
    expect((await adminActions()).find((a) => a.type === 'DeadLetterDiscarded' && a.data.id === id)?.data).toMatchObject({
      reason: 'duplicate of a corrected resubmission',
      by: t.principalIds.admin,
    });
    await http().post(`/v1/admin/dead-letters/${id}/retry`).set(as('admin')).expect(409);
  });

  it('given unknown ids or roles that may not act, then 404 and 403', async () => {
    await http().get('/v1/admin/dead-letters/999999').set(as('admin')).expect(404);
    await http().post('/v1/admin/dead-letters/999999/retry').set(as('admin')).expect(404);
    await http().get('/v1/admin/dead-letters/abc').set(as('admin')).expect(400);
    await http().get('/v1/admin/dead-letters').set(as('subsidiary:life')).expect(403);
    await http().post('/v1/admin/dead-letters/1/retry').set(as('auditor')).expect(403);
  });
});

describe('parked events', () => {
  it('given an event waiting for a prerequisite, then it is listed with what it awaits', async () => {
    const eventId = randomUUID();
    await t.dataSource.query(
      `INSERT INTO coordination.parked_events (event_id, awaits, event, source, reason) VALUES ($1, 'client:life:LIFE-1', $2, '{}', 'holder not registered yet')`,
      [eventId, JSON.stringify({ eventId, type: 'PolicyIssued', subsidiary: 'life' })],
    );
    const res = await http().get('/v1/admin/parked-events').set(as('coordinator')).expect(200);
    expect(res.body.parkedEvents).toEqual([expect.objectContaining({ eventId, awaits: 'client:life:LIFE-1', type: 'PolicyIssued', subsidiary: 'life' })]);
  });
});
