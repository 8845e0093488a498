import { openApiDocument } from '@lib/platform';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import type { ClientView } from '../domain';
import { ClientEvents, residentId } from '../testing/client-events';
import { startIdentityApp, type IdentityTestApp } from '../testing/identity-app';
import { appendPolicyEvent, policyRecorded } from '../testing/portfolio-events';

jest.setTimeout(120_000);

let db: TestDatabase;
let t: IdentityTestApp;
const events = new ClientEvents();
const keys = {} as Record<'life' | 'pnc' | 'coordinator' | 'auditor', { id: string; key: string }>;
const idNumber = residentId('1985-08-08');
let partyId: string;

beforeAll(async () => {
  db = await createTestDatabase('identity_http');
  t = await startIdentityApp(db.url);
  keys.life = await t.apiKey('subsidiary:life', 'life');
  keys.pnc = await t.apiKey('subsidiary:pnc', 'pnc');
  keys.coordinator = await t.apiKey('coordinator');
  keys.auditor = await t.apiKey('auditor');
  // Life has the client's group-sharing consent; P&C has not asked yet.
  await t.feed(events.registered('life', 'LIFE-0000500', { name: '陈静', gender: 'F', birthDate: '1985-08-08', idNumber, phones: ['13800005555'], address: '上海市南京西路8号' }));
  await t.feed(events.registered('pnc', 'PNC-0000500', { name: '陈静', gender: 'F', idNumber, phones: ['13800006666'], address: '上海市延安路1号' }));
  await t.feed(events.consent('life', 'LIFE-0000500', 'group-sharing', true));
  partyId = (await t.partyOf('life', 'LIFE-0000500'))!;
  await appendPolicyEvent(t.store, policyRecorded('pnc', 'PM-500', partyId, 'PNC-0000500', { standardPremium: '3000.00' }));
  await t.settle();
});

afterAll(async () => {
  await t?.close();
  await db?.drop();
});

const http = () => request(t.app.getHttpServer());
const get = (path: string, who: keyof typeof keys, correlationId?: string) => {
  const req = http().get(path).set('X-Api-Key', keys[who].key);
  return correlationId ? req.set('X-Correlation-Id', correlationId) : req;
};

describe('GET /v1/clients/{partyId}', () => {
  it('given the life key, then P&C data (no consent there) is redacted to "a relationship exists"', async () => {
    const view: ClientView = (await get(`/v1/clients/${partyId}`, 'life').expect(200)).body;
    expect(view.redactedSubsidiaries).toEqual(['pnc']);
    expect(view.identities).toContainEqual({ redacted: true, subsidiary: 'pnc', relationshipExists: true });
    expect(view.holdings).toEqual([]);
    expect(view.tier).toEqual({ tier: 'standard', annualStandardPremium: null });
    expect(JSON.stringify(view)).not.toContain('上海市延安路1号');
  });

  it('given the P&C key, then life data shows (the client consented there) with P&C own holdings', async () => {
    const view: ClientView = (await get(`/v1/clients/${partyId}`, 'pnc').expect(200)).body;
    expect(view.redactedSubsidiaries).toEqual([]);
    expect(view.holdings.map((h) => h.policyNo)).toEqual(['PM-500']);
  });

  it('given a coordinator, then everything; after P&C consent arrives, the life key sees P&C too', async () => {
    const full: ClientView = (await get(`/v1/clients/${partyId}`, 'coordinator').expect(200)).body;
    expect(full.redactedSubsidiaries).toEqual([]);
    expect(full.tier).toEqual({ tier: 'standard', annualStandardPremium: '3000.00' });
    await t.feed(events.consent('pnc', 'PNC-0000500', 'group-sharing', true));
    await t.settle();
    const after: ClientView = (await get(`/v1/clients/${partyId}`, 'life').expect(200)).body;
    expect(after.redactedSubsidiaries).toEqual([]);
    expect(after.holdings.map((h) => h.policyNo)).toEqual(['PM-500']);
  });

  it('given every read, then a ClientViewRead access event names viewer, role, time and correlation id', async () => {
    await get(`/v1/clients/${partyId}`, 'auditor', 'audit-read-42').expect(200);
    const reads = await t.store.readStream(`party-access-${partyId}`);
    const last = reads[reads.length - 1];
    expect(last).toMatchObject({ type: 'ClientViewRead', data: { partyId, viewer: keys.auditor.id, role: 'auditor', correlationId: 'audit-read-42', via: 'party-id' } });
    expect(Date.parse((last.data as { at: string }).at)).not.toBeNaN();
    expect(reads.map((r) => (r.data as { role: string }).role)).toEqual(expect.arrayContaining(['subsidiary:life', 'subsidiary:pnc', 'coordinator']));
  });

  it('given many reads at once (read and recorded in groups), then each gets its own redacted view or 404, and each is recorded exactly once before it is answered', async () => {
    await t.feed(events.registered('life', 'LIFE-0000600', { name: '王伟', gender: 'M', birthDate: '1990-01-01', idNumber: residentId('1990-01-01') }));
    const other = (await t.partyOf('life', 'LIFE-0000600'))!;
    await t.settle();
    const missing = '00000000-0000-4000-8000-00000000abcd';
    const asks = Array.from({ length: 24 }, (_, i) => {
      const who = (['life', 'pnc', 'coordinator', 'auditor'] as const)[i % 4];
      const target = [partyId, other, missing][Math.floor(i / 4) % 3];
      return { who, target, correlationId: `burst-${i}` };
    });
    const before = (await t.store.readStream(`party-access-${partyId}`)).length + (await t.store.readStream(`party-access-${other}`)).length;
    const answers = await Promise.all(asks.map(async (a) => {
      const res = await get(`/v1/clients/${a.target}`, a.who, a.correlationId);
      // Answered, so the read's access event is already committed.
      const recorded = a.target === missing ? [] : (await t.store.readStream(`party-access-${a.target}`)).filter((e) => (e.data as { correlationId: string }).correlationId === a.correlationId);
      return { ...a, status: res.status, body: res.body as ClientView, recorded };
    }));
    for (const a of answers) {
      if (a.target === missing) {
        expect(a.status).toBe(404);
        expect(a.recorded).toEqual([]);
        continue;
      }
      expect(a.status).toBe(200);
      expect(a.body.partyId).toBe(a.target);
      expect(a.recorded).toHaveLength(1);
      const role = a.who === 'life' || a.who === 'pnc' ? `subsidiary:${a.who}` : a.who;
      expect(a.recorded[0].data).toMatchObject({ partyId: a.target, viewer: keys[a.who].id, role, redactedSubsidiaries: a.body.redactedSubsidiaries });
    }
    // P&C has no consent for the other party's life record: redacted for P&C, shown to life and the group roles.
    expect(answers.find((a) => a.target === other && a.who === 'pnc')?.body.redactedSubsidiaries).toEqual(['life']);
    expect(answers.find((a) => a.target === other && a.who === 'coordinator')?.body.redactedSubsidiaries).toEqual([]);
    const after = (await t.store.readStream(`party-access-${partyId}`)).length + (await t.store.readStream(`party-access-${other}`)).length;
    expect(after - before).toBe(answers.filter((a) => a.target !== missing).length);
  });

  it('given an unknown party, then 404 problem+json; a malformed id, then 400 with the field', async () => {
    const missing = await get('/v1/clients/00000000-0000-4000-8000-000000000000', 'coordinator').expect(404);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.body).toMatchObject({ status: 404, code: 'IDENTITY_PARTY_NOT_FOUND' });
    const bad = await get('/v1/clients/not-a-uuid', 'coordinator').expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'partyId' })]);
  });

  it('given the tier rules, then the tier follows holdings as they change', async () => {
    await appendPolicyEvent(t.store, policyRecorded('pnc', 'PM-501', partyId, 'PNC-0000500', { productLine: 'HOME', standardPremium: '60000.00' }));
    await t.settle();
    expect((await t.view(partyId))?.tier).toEqual({ tier: 'strategic', annualStandardPremium: '63000.00' });
    await appendPolicyEvent(t.store, {
      type: 'PolicyStatusChanged',
      data: { subsidiary: 'pnc', policyNo: 'PM-501', partyId, from: 'in-force', to: 'cancelled', cause: 'cancelled', effectiveDate: '2026-06-01', reason: 'x', refund: null },
    });
    await t.settle();
    const view = await t.view(partyId);
    expect(view?.tier).toEqual({ tier: 'standard', annualStandardPremium: '3000.00' });
    expect(view?.productLines.held).toEqual([{ subsidiary: 'pnc', productLine: 'MOTOR' }]);
    expect(view?.productLines.notHeld).toContainEqual({ subsidiary: 'life', productLine: 'CRITICAL_ILLNESS' });
  });
});

describe('open referrals and conflicts', () => {
  it("given the conflicts feature's read tables, then open items of the party show in the served view", async () => {
    // Only the columns identity reads; the real tables come with the conflicts feature's migrations.
    await t.dataSource.query('CREATE TABLE coordination.referral_view (referral_id text PRIMARY KEY, party_id text NOT NULL, status text NOT NULL)');
    await t.dataSource.query('CREATE TABLE coordination.conflict_view (conflict_id text PRIMARY KEY, party_id text NOT NULL, status text NOT NULL)');
    await t.dataSource.query(`INSERT INTO coordination.referral_view VALUES ('R-2', $1, 'accepted'), ('R-1', $1, 'registered'), ('R-3', $1, 'converted'), ('R-9', 'other', 'registered')`, [partyId]);
    await t.dataSource.query(`INSERT INTO coordination.conflict_view VALUES ('C-1', $1, 'queued'), ('C-2', $1, 'resolved')`, [partyId]);
    const view: ClientView = (await get(`/v1/clients/${partyId}`, 'coordinator').expect(200)).body;
    expect(view.openReferralIds).toEqual(['R-1', 'R-2']);
    expect(view.openConflictIds).toEqual(['C-1']);
  });

  it('given a party merged into this one, then its open items show in the survivor\'s view, read alone or together with others', async () => {
    const absorbed = '00000000-0000-4000-8000-0000000a6501';
    await t.dataSource.query('INSERT INTO coordination.party_redirects (from_party_id, to_party_id) VALUES ($1, $2)', [absorbed, partyId]);
    await t.dataSource.query(`INSERT INTO coordination.referral_view VALUES ('R-7', $1, 'quoted'), ('R-8', $1, 'lost')`, [absorbed]);
    await t.dataSource.query(`INSERT INTO coordination.conflict_view VALUES ('C-7', $1, 'detected')`, [absorbed]);
    const views: ClientView[] = (await Promise.all([1, 2, 3].map(() => get(`/v1/clients/${partyId}`, 'coordinator').expect(200)))).map((r) => r.body);
    for (const view of views) {
      expect(view.openReferralIds).toEqual(['R-1', 'R-2', 'R-7']);
      expect(view.openConflictIds).toEqual(['C-1', 'C-7']);
    }
  });
});

describe('look-ups', () => {
  it('given a subsidiary client id, then its party view; another subsidiary\'s id with a subsidiary key, then 403', async () => {
    const view: ClientView = (await get('/v1/clients?subsidiary=pnc&localId=PNC-0000500', 'pnc').expect(200)).body;
    expect(view.partyId).toBe(partyId);
    await get('/v1/clients?subsidiary=life&localId=LIFE-0000500', 'pnc').expect(403);
    await get('/v1/clients?subsidiary=life&localId=LIFE-NOPE', 'coordinator').expect(404);
  });

  it('given an identity number in a POST body, then the party view, and the read is recorded as by identity', async () => {
    const res = await http().post('/v1/clients/lookup-by-identity').set('X-Api-Key', keys.coordinator.key)
      .send({ type: 'RESIDENT_ID', number: idNumber }).expect(200);
    expect(res.body.partyId).toBe(partyId);
    const reads = await t.store.readStream(`party-access-${partyId}`);
    expect(reads[reads.length - 1].data).toMatchObject({ via: 'identity', viewer: keys.coordinator.id });
    expect(JSON.stringify(reads.map((r) => r.data))).not.toContain(idNumber);
    await http().post('/v1/clients/lookup-by-identity').set('X-Api-Key', keys.coordinator.key)
      .send({ type: 'RESIDENT_ID', number: residentId('1990-01-01') }).expect(404);
    const invalid = await http().post('/v1/clients/lookup-by-identity').set('X-Api-Key', keys.coordinator.key)
      .send({ type: 'RESIDENT_ID', number: '110101199001011230' }).expect(400);
    expect(JSON.stringify(invalid.body)).not.toContain('110101199001011230');
  });

  it('given the OpenAPI document, then the identity routes are described', () => {
    const doc = openApiDocument(t.app, { title: 't', description: 'd' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/v1/clients', '/v1/clients/{partyId}', '/v1/clients/lookup-by-identity',
      '/v1/admin/parties/{id}/merge', '/v1/admin/parties/{id}/unmerge', '/v1/admin/match-reviews', '/v1/admin/match-reviews/{id}/decision',
    ]));
  });
});
