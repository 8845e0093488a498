import { START_POSITION } from '@lib/event-store';
import request from 'supertest';
import { createTestDatabase, type TestDatabase } from '../../../../../test/infra/postgres';
import type { ClientView } from '../domain';
import { ClientViewProjection } from '../projections/client-view.projection';
import { ClientEvents, residentId } from '../testing/client-events';
import { startIdentityApp, type IdentityTestApp } from '../testing/identity-app';
import { appendPolicyEvent, policyRecorded } from '../testing/portfolio-events';

jest.setTimeout(120_000);

const events = new ClientEvents();
const withoutStamp = ({ asOf: _asOf, ...rest }: ClientView) => rest;

describe('merge and unmerge (default thresholds)', () => {
  let db: TestDatabase;
  let t: IdentityTestApp;
  let admin: { id: string; key: string };
  let survivor: string;
  let absorbed: string;

  beforeAll(async () => {
    db = await createTestDatabase('identity_admin');
    t = await startIdentityApp(db.url);
    admin = await t.apiKey('admin');
    // Two records of one person that resolution kept apart: different ids (one mistyped), different phones.
    await t.feed(events.registered('life', 'LIFE-M-1', { name: '赵文', birthDate: '1978-02-03', idNumber: residentId('1978-02-03'), phones: ['13300001111'] }));
    await t.feed(events.registered('pnc', 'PNC-M-1', { name: '赵雯', gender: 'F', idNumber: residentId('1978-02-04', 'F'), phones: ['13300002222'] }));
    await t.feed(events.registered('life', 'LIFE-M-2', { name: '钱亮', birthDate: '1990-09-09', phones: ['13300003333'] }));
    [survivor, absorbed] = [(await t.partyOf('life', 'LIFE-M-1'))!, (await t.partyOf('pnc', 'PNC-M-1'))!];
    await t.feed(events.relationship('pnc', 'PNC-M-1', 'spouse', 'PNC-M-2'));
    await t.feed(events.registered('pnc', 'PNC-M-2', { name: '孙丽', gender: 'F', phones: ['13300004444'] }));
    await appendPolicyEvent(t.store, policyRecorded('pnc', 'PM-M-1', absorbed, 'PNC-M-1'));
    await t.settle();
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const post = (path: string, body: object) => request(t.app.getHttpServer()).post(path).set('X-Api-Key', admin.key).send(body);

  it('given a merge, then one view holds both, the absorbed view points to it, and an unmerge restores both views exactly', async () => {
    expect(absorbed).not.toBe(survivor);
    const [beforeSurvivor, beforeAbsorbed] = [(await t.view(survivor))!, (await t.view(absorbed))!];
    const spouse = (await t.partyOf('pnc', 'PNC-M-2'))!;

    const merged = await post(`/v1/admin/parties/${survivor}/merge`, { absorbedPartyId: absorbed, reason: 'same client, id typo at P&C' }).expect(200);
    expect(merged.body).toMatchObject({ survivorId: survivor, absorbedId: absorbed, links: [{ subsidiary: 'pnc', localId: 'PNC-M-1' }] });
    await t.settle();
    const one = (await t.view(survivor))!;
    expect(one.subsidiaries).toEqual(['life', 'pnc']);
    expect(one.holdings.map((h) => h.policyNo)).toEqual(['PM-M-1']);
    expect(await t.view(absorbed)).toMatchObject({ status: 'merged', mergedInto: survivor, identities: [] });
    expect((await t.view(spouse))?.relationships.map((r) => r.otherPartyId)).toEqual([survivor]);
    expect(await t.partyOf('pnc', 'PNC-M-1')).toBe(survivor);
    // Both streams changed in one transaction, with the acting user.
    const [s, a] = [await t.store.readStream(`party-${survivor}`), await t.store.readStream(`party-${absorbed}`)];
    expect([s[s.length - 1].type, a[a.length - 1].type]).toEqual(['PartiesMerged', 'PartyMergedInto']);
    expect([s[s.length - 1].metadata.actor, a[a.length - 1].metadata.actor]).toEqual([admin.id, admin.id]);

    await post(`/v1/admin/parties/${survivor}/unmerge`, { absorbedPartyId: absorbed, reason: 'two people after all' }).expect(200);
    await t.settle();
    expect(withoutStamp((await t.view(survivor))!)).toEqual(withoutStamp(beforeSurvivor));
    expect(withoutStamp((await t.view(absorbed))!)).toEqual(withoutStamp(beforeAbsorbed));
    expect((await t.view(spouse))?.relationships.map((r) => r.otherPartyId)).toEqual([absorbed]);
    expect(await t.partyOf('pnc', 'PNC-M-1')).toBe(absorbed);
    expect(await t.dataSource.query('SELECT count(*)::int AS n FROM coordination.identity_keys WHERE party_id = $1', [absorbed])).toEqual([{ n: 1 }]);
  });

  it('given illegal merges, then problem+json with stable codes', async () => {
    const self = await post(`/v1/admin/parties/${survivor}/merge`, { absorbedPartyId: survivor, reason: 'x' }).expect(422);
    expect(self.body.code).toBe('IDENTITY_SELF_MERGE');
    const unknown = await post(`/v1/admin/parties/${survivor}/merge`, { absorbedPartyId: '00000000-0000-4000-8000-000000000000', reason: 'x' }).expect(404);
    expect(unknown.body.code).toBe('IDENTITY_PARTY_NOT_FOUND');
    const notMerged = await post(`/v1/admin/parties/${survivor}/unmerge`, { absorbedPartyId: absorbed, reason: 'x' }).expect(404);
    expect(notMerged.body.code).toBe('IDENTITY_MERGE_NOT_FOUND');
    const coordinatorless = await request(t.app.getHttpServer()).post(`/v1/admin/parties/${survivor}/merge`)
      .set('X-Api-Key', (await t.apiKey('subsidiary:life', 'life')).key).send({ absorbedPartyId: absorbed, reason: 'x' });
    expect(coordinatorless.status).toBe(403);
  });

  it('given a motor client known by name and phone only, then with default thresholds it links automatically', async () => {
    await t.feed(events.registered('pnc', 'PNC-MOTOR-1', { name: '钱亮', phones: ['13300003333'] }));
    const life = await t.partyOf('life', 'LIFE-M-2');
    expect(await t.partyOf('pnc', 'PNC-MOTOR-1')).toBe(life);
    const linked = (await t.store.readStream(`party-${life}`)).find((e) => e.type === 'SourceRecordLinked' && (e.data as { method: string }).method === 'probabilistic');
    expect((linked?.data as { evidence: Array<{ field: string }> }).evidence.map((e) => e.field)).toEqual(expect.arrayContaining(['name', 'phone']));
  });

  it('given the whole history replayed in small batches into shadow tables, then the rebuild equals the live read model', async () => {
    await t.settle();
    const projection = t.app.get(ClientViewProjection);
    const shadow = (name: string) => `${name}_rebuild`;
    for (const { name } of projection.tables) await t.dataSource.query(`CREATE TABLE ${shadow(name)} (LIKE ${name} INCLUDING ALL)`);
    let from = START_POSITION;
    for (;;) {
      const page = await t.store.readAll({ fromPosition: from, types: projection.types, maxCount: 3 });
      if (page.events.length > 0) await t.dataSource.transaction((manager) => projection.apply(page.events, { manager, table: shadow }));
      from = page.nextPosition;
      if (page.isEnd) break;
    }
    for (const { name, primaryKey } of projection.tables) {
      const [live, rebuilt] = await Promise.all([name, shadow(name)].map((n) => t.dataSource.query(`SELECT * FROM ${n} ORDER BY ${primaryKey}`)));
      expect(rebuilt).toEqual(live);
      expect(live.length).toBeGreaterThan(0);
    }
  });
});

describe('probable matches in the review band (strict auto-link threshold)', () => {
  let db: TestDatabase;
  let t: IdentityTestApp;
  let coordinator: { id: string; key: string };

  beforeAll(async () => {
    db = await createTestDatabase('identity_review');
    t = await startIdentityApp(db.url, { autoLink: 0.99999, review: 0.5 });
    coordinator = await t.apiKey('coordinator');
  });

  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  const http = () => request(t.app.getHttpServer());
  const openReviews = async () => (await http().get('/v1/admin/match-reviews?status=open').set('X-Api-Key', coordinator.key).expect(200)).body;

  it('given a motor client known by name and phone only, then a new party and an open review; approval merges them', async () => {
    await t.feed(events.registered('life', 'LIFE-R-1', { name: '吴刚', birthDate: '1983-03-03', idNumber: residentId('1983-03-03'), phones: ['13200001111'] }));
    await t.feed(events.registered('pnc', 'PNC-R-1', { name: '吴刚', phones: ['13200001111'] }));
    const [life, motor] = [await t.partyOf('life', 'LIFE-R-1'), await t.partyOf('pnc', 'PNC-R-1')];
    expect(motor).not.toBe(life);
    const [review] = await openReviews();
    expect(review).toMatchObject({ status: 'open', candidate: { subsidiary: 'pnc', localId: 'PNC-R-1' }, partyId: life });
    expect(review.score).toBeGreaterThanOrEqual(0.5);
    expect(review.score).toBeLessThan(0.99999);
    const opened = await t.store.readStream(`match-review-${review.reviewId}`);
    expect(opened.map((e) => e.type)).toEqual(['MatchReviewOpened']);

    const decided = await http().post(`/v1/admin/match-reviews/${review.reviewId}/decision`).set('X-Api-Key', coordinator.key)
      .send({ decision: 'approve', reason: 'same phone, same name, confirmed by call' }).expect(200);
    expect(decided.body).toMatchObject({ resolution: 'approved', merge: { survivorId: life, absorbedId: motor } });
    expect(await t.partyOf('pnc', 'PNC-R-1')).toBe(life);
    expect(await openReviews()).toEqual([]);
    await t.settle();
    expect((await t.view(life!))?.subsidiaries).toEqual(['life', 'pnc']);
    await http().post(`/v1/admin/match-reviews/${review.reviewId}/decision`).set('X-Api-Key', coordinator.key)
      .send({ decision: 'reject', reason: 'again' }).expect(409);
  });

  it('given a rejected review, then the parties stay apart', async () => {
    await t.feed(events.registered('life', 'LIFE-R-2', { name: '郑洁', gender: 'F', birthDate: '1991-01-01', phones: ['13200002222'] }));
    await t.feed(events.registered('group', 'GRP-R-2', { name: '郑洁', gender: 'F', phones: ['13200002222'] }));
    const [review] = await openReviews();
    await http().post(`/v1/admin/match-reviews/${review.reviewId}/decision`).set('X-Api-Key', coordinator.key)
      .send({ decision: 'reject', reason: 'namesakes sharing a family phone' }).expect(200);
    expect(await t.partyOf('group', 'GRP-R-2')).not.toBe(await t.partyOf('life', 'LIFE-R-2'));
    const all = (await http().get('/v1/admin/match-reviews').set('X-Api-Key', coordinator.key).expect(200)).body;
    expect(all.map((r: { status: string }) => r.status).sort()).toEqual(['approved', 'rejected']);
  });
});
