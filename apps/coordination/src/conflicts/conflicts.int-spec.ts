import { openApiDocument } from '@lib/platform';
import { Harness, company, onboardAgents, policy, referral } from './testing/harness';
import { RecordingCrediting } from './testing/stand-ins';

jest.setTimeout(120_000);

// Real PostgreSQL; identity and portfolio are stand-ins writing their wiring-brief tables (testing/stand-ins.ts).
const h = new Harness();
beforeAll(async () => {
  await h.start('conflicts');
  await onboardAgents(h);
});
afterAll(() => h.stop());

let auth: string;
const coordinator = async () => (auth ??= await h.bearer('coord-wang', ['coordinator']));
const SAME_MEETING = '2026-03-02T09:00:00+08:00';

describe('two registrations for one company and GROUP_HEALTH', () => {
  let conflictId: string;
  let partyId: string;

  beforeAll(async () => {
    await h.feed('ClientRegistered', 'life', company('LIFE-ORG-1', 1));
    await h.feed('ClientRegistered', 'group', company('GRP-ORG-1', 1));
    partyId = await h.partyOf('group', 'GRP-ORG-1');
    await h.feed('ReferralRegistered', 'life', referral('R-L1', 'LIFE-ORG-1', 'group', 'GROUP_HEALTH', 'A-1001', SAME_MEETING));
    await h.feed('ReferralRegistered', 'group', referral('R-G1', 'GRP-ORG-1', 'group', 'GROUP_HEALTH', 'G-3001', SAME_MEETING));
  });

  it('given the second registration inside the first one’s window, then a duplicate-registration conflict is queued (a tie no rule decides)', async () => {
    const row = await h.conflict("party_id = $1 AND kind = 'duplicate-registration'", [partyId], 'queued');
    conflictId = row.conflict_id;
    expect(row.state.conflict.claimants.map((c: { agentId: string }) => c.agentId).sort()).toEqual(['A-1001', 'G-3001']);
    expect(row.state.triage).toEqual({ outcome: 'queue', reason: 'no-rule-decided' });
  });

  it('given 50 hours pass against a 48-hour SLA, when the queue is listed, then the conflict is flagged as breached', async () => {
    h.clock.at = new Date('2026-03-04T12:00:00Z');
    const res = await h.http().get('/v1/admin/conflicts?status=queued&slaBreached=true').set('Authorization', await coordinator()).expect(200);
    expect(res.body.items.map((c: { conflictId: string }) => c.conflictId)).toContain(conflictId);
    expect(res.body.items.find((c: { conflictId: string }) => c.conflictId === conflictId)).toMatchObject({ ageHours: 50, slaBreached: true });
  });

  it('when a coordinator assigns and then splits it 60/40, then the view, crediting and the decisions outbox all show the split', async () => {
    const auth = await coordinator();
    await h.http().post(`/v1/admin/conflicts/${conflictId}/assignment`).set('Authorization', auth).send({ assignee: 'coord-li' })
      .expect(200).expect((res) => expect(res.body.assignee).toBe('coord-li'));
    const shares = [{ subsidiary: 'life', agentId: 'A-1001', pct: 60 }, { subsidiary: 'group', agentId: 'G-3001', pct: '40' }];
    const res = await h.http().post(`/v1/admin/conflicts/${conflictId}/resolution`).set('Authorization', auth)
      .send({ mode: 'split', shares, rationale: 'both introduced the client at the same meeting' }).expect(200);
    expect(res.body).toMatchObject({ status: 'resolved', outcome: { mode: 'split', decidedBy: 'coord-wang' } });

    const row = await h.conflict('conflict_id = $1', [conflictId], 'resolved');
    expect(row.state.outcome.shares).toEqual([{ subsidiary: 'life', agentId: 'A-1001', pct: '60.00' }, { subsidiary: 'group', agentId: 'G-3001', pct: '40.00' }]);
    const messages = await h.decisions('ConflictResolved', 'conflictId', conflictId);
    expect(messages.map((m) => m.event.subsidiary)).toEqual(['life', 'group']);
    expect(messages[0]).toMatchObject({ topic: 'coordination.decisions', key: partyId, event: { payload: { outcome: 'split', decidedBy: 'coord-wang' } } });
    const [credited] = await h.ds.query('SELECT decision FROM test_credit_decisions WHERE conflict_id = $1', [conflictId]);
    // Filed at the same instant: business order breaks the tie by referral id, so R-L1 is the later filing and the subject.
    expect(credited.decision).toMatchObject({ mode: 'split', referralId: 'R-L1', productSubsidiary: 'group' });
  });

  it('given the split, when the group issues the policy for R-G1, then the referral converts, no new conflict opens and crediting gets the split', async () => {
    await h.feed('PolicyIssued', 'group', policy('GP-1', 'GRP-ORG-1', 'GROUP_HEALTH', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', 'R-G1'), '2026-03-05T10:00:00+08:00');
    await h.referralView('R-G1', 'converted');
    const received = h.app.get(RecordingCrediting).issued.get('GP-1');
    expect(received?.decision).toMatchObject({ status: 'decided', decision: { mode: 'split', policyNo: 'GP-1', conflictId } });
    const [{ n }] = await h.ds.query('SELECT count(*)::int AS n FROM coordination.conflict_index WHERE party_id = $1', [partyId]);
    expect(n).toBe(1);
  });
});

describe('a registration for a client another agent services', () => {
  it('then the servicing relationship auto-resolves it for the servicer and both sides hear the decision', async () => {
    h.clock.at = new Date('2026-03-06T10:00:00Z');
    await h.feed('ClientRegistered', 'pnc', company('PNC-ORG-2', 2));
    await h.feed('ClientRegistered', 'life', company('LIFE-ORG-2', 2));
    await h.feed('PolicyIssued', 'pnc', policy('PP-2', 'PNC-ORG-2', 'MOTOR', 'P-2001', 'P-2001', 'AGENCY', null), '2026-03-03T10:00:00+08:00');
    await h.feed('ReferralRegistered', 'life', referral('R-S2', 'LIFE-ORG-2', 'pnc', 'MOTOR', 'A-1001'), '2026-03-06T09:00:00+08:00');
    const partyId = await h.partyOf('pnc', 'PNC-ORG-2');
    const row = await h.conflict("party_id = $1 AND kind = 'servicing-relationship'", [partyId], 'auto-resolved');
    expect(row.state.outcome).toMatchObject({ mode: 'award', rule: 'servicing-relationship', decidedBy: 'system', shares: [{ subsidiary: 'pnc', agentId: 'P-2001', pct: '100.00' }] });
    const [message] = await h.decisions('ConflictResolved', 'conflictId', row.conflict_id);
    expect(message.event.payload).toMatchObject({ rule: 'servicing-relationship', outcome: 'award', referralId: 'R-S2' });
    expect((await h.decisions('ReferralStatusChanged', 'referralId', 'R-S2')).map((m) => m.event.subsidiary)).toEqual(['life', 'pnc']);
  });
});

describe('an approach to a top-strategic client from outside its relationship team', () => {
  const visit = (activityId: string, agentId: string, clientLocalId: string, at = '2026-03-06T10:00:00+08:00') =>
    ({ activityId, agentId, clientLocalId, kind: 'visit', at });
  // 600k of group life from 6 March (issued 2 March): top-strategic from then, by the portfolio, whatever identity's view says.
  const account = (policyNo: string, clientLocalId: string) =>
    ({ ...policy(policyNo, clientLocalId, 'GROUP_LIFE', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', null), premium: { amount: '600000.00', currency: 'CNY', mode: 'ANNUAL' } });
  const strategicAccount = (partyId: string) =>
    h.ds.query("SELECT conflict_id FROM coordination.conflict_index WHERE party_id = $1 AND kind = 'strategic-account'", [partyId]);

  it('then a strategic-account conflict is decided for the team that services the account; the team’s own visits are no conflict', async () => {
    await h.feed('ClientRegistered', 'group', company('GRP-ORG-10', 10));
    await h.feed('ClientRegistered', 'life', company('LIFE-ORG-10', 10));
    await h.feed('PolicyIssued', 'group', account('GP-10', 'GRP-ORG-10'));
    const partyId = await h.partyOf('group', 'GRP-ORG-10');
    // Identity's client view is not composed here and has not caught up: the approach is judged by the tier as of its time.
    await h.feed('ActivityLogged', 'group', visit('ACT-100', 'G-3001', 'GRP-ORG-10'));
    await h.feed('ActivityLogged', 'life', visit('ACT-101', 'A-1001', 'LIFE-ORG-10'));
    const row = await h.conflict('party_id = $1', [partyId], 'auto-resolved');
    expect(row.state.conflict).toMatchObject({ kind: 'strategic-account', productLine: '*' });
    expect(row.state.conflict.evidence).toMatchObject({ via: 'activity', tier: 'TOP_STRATEGIC' });
    expect(row.state.outcome.shares).toEqual([{ subsidiary: 'group', agentId: 'G-3001', pct: '100.00' }]);
  });

  it('given identity’s view says top-strategic now, when the visit was made before the account’s policy took effect, then no conflict', async () => {
    await h.feed('ClientRegistered', 'group', company('GRP-ORG-13', 13));
    await h.feed('ClientRegistered', 'life', company('LIFE-ORG-13', 13));
    await h.feed('PolicyIssued', 'group', account('GP-13', 'GRP-ORG-13'));
    const partyId = await h.partyOf('group', 'GRP-ORG-13');
    await h.ds.query("INSERT INTO coordination.client_view (party_id, tier) VALUES ($1, 'top-strategic')", [partyId]);
    await h.feed('ActivityLogged', 'life', visit('ACT-130', 'A-1001', 'LIFE-ORG-13', '2026-03-04T10:00:00+08:00'));
    expect(await strategicAccount(partyId)).toEqual([]);
  });

  it('given a client whose premium never reaches top-strategic, when it is visited from outside its servicers, then no conflict', async () => {
    await h.feed('ClientRegistered', 'group', company('GRP-ORG-14', 14));
    await h.feed('ClientRegistered', 'life', company('LIFE-ORG-14', 14));
    await h.feed('PolicyIssued', 'group', policy('GP-14', 'GRP-ORG-14', 'GROUP_LIFE', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', null));
    const partyId = await h.partyOf('group', 'GRP-ORG-14');
    await h.feed('ActivityLogged', 'life', visit('ACT-140', 'A-1001', 'LIFE-ORG-14'));
    expect(await strategicAccount(partyId)).toEqual([]);
  });
});

describe('admin input errors', () => {
  let clashId: string;

  beforeAll(async () => {
    await coordinator();
    await h.feed('ClientRegistered', 'group', company('GRP-ORG-6', 6));
    const quote = (activityId: string, agentId: string, at: string, quotedPrice: string) =>
      ({ activityId, agentId, clientLocalId: 'GRP-ORG-6', kind: 'quote', at, productLine: 'GROUP_HEALTH', quotedPrice });
    await h.feed('ActivityLogged', 'group', quote('ACT-61', 'G-BROKER-1', '2026-03-03T10:00:00+08:00', '92000.00'));
    await h.feed('ActivityLogged', 'group', quote('ACT-62', 'G-DIRECT-1', '2026-03-05T10:00:00+08:00', '85000.00'));
    const row = await h.conflict("party_id = $1 AND kind = 'channel-quote-clash'", [await h.partyOf('group', 'GRP-ORG-6')], 'queued');
    expect(row.state.conflict.evidence).toMatchObject({ priceSpread: '7000.00' });
    clashId = row.conflict_id;
  });

  const resolve = (id: string, body: object) => h.http().post(`/v1/admin/conflicts/${id}/resolution`).set('Authorization', auth).send(body);
  const split = (a: number, b: number) => ({
    mode: 'split', rationale: 'joint pursuit', shares: [{ subsidiary: 'group', agentId: 'G-BROKER-1', pct: a }, { subsidiary: 'group', agentId: 'G-DIRECT-1', pct: b }],
  });

  it('given a malformed id or body, then 400 VALIDATION_FAILED naming the field', async () => {
    await resolve('not-a-uuid', split(50, 50)).expect(400).expect((r) => expect(r.body.code).toBe('VALIDATION_FAILED'));
    const res = await resolve(clashId, { mode: 'award', winner: { subsidiary: 'group', agentId: 'G-DIRECT-1' } }).expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'rationale' })]);
  });

  it('given shares summing to 90 or a stranger as winner, then 400 with the domain code', async () => {
    await resolve(clashId, split(60, 30)).expect(400).expect((r) => expect(r.body.code).toBe('SPLIT_TOTAL_NOT_100'));
    const stranger = { mode: 'award', rationale: 'x', winner: { subsidiary: 'pnc', agentId: 'P-2001' } };
    await resolve(clashId, stranger).expect(400).expect((r) => expect(r.body.code).toBe('CONFLICT_UNKNOWN_CLAIMANT'));
  });

  it('given an unknown conflict, then 404; given a decided one, then 409', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await resolve(unknown, split(50, 50)).expect(404).expect((r) => expect(r.body.code).toBe('CONFLICT_NOT_FOUND'));
    await h.http().get(`/v1/admin/conflicts/${unknown}`).set('Authorization', await coordinator()).expect(404);
    await resolve(clashId, { mode: 'reject', rationale: 'neither channel may quote below tariff' }).expect(200);
    await resolve(clashId, split(50, 50)).expect(409).expect((r) => expect(r.body.code).toBe('CONFLICT_ALREADY_RESOLVED'));
  });

  it('given an auditor, then reads pass and decisions are refused', async () => {
    const auditor = await h.bearer('auditor-1', ['auditor']);
    await h.http().get(`/v1/admin/conflicts/${clashId}`).set('Authorization', auditor).expect(200).expect((r) => expect(r.body.facts.quotes).toHaveLength(1));
    await h.http().post(`/v1/admin/conflicts/${clashId}/assignment`).set('Authorization', auditor).send({ assignee: 'x' }).expect(403);
  });
});

describe('conflict precedence', () => {
  it('given a dry run with first-valid-registration only, then the servicing award moves to the registrant and the strategic one would queue; a bad rule is 400', async () => {
    const auth = await coordinator();
    const candidate = { order: ['first-valid-registration'], alwaysQueue: ['channel-quote-clash'] };
    const res = await h.http().post('/v1/admin/conflict-precedence/dry-run').set('Authorization', auth).send({ precedence: candidate }).expect(200);
    expect(res.body.examined).toBe(4);
    expect(res.body.changes).toEqual([
      expect.objectContaining({ kind: 'servicing-relationship', after: expect.objectContaining({ winner: expect.objectContaining({ agentId: 'A-1001' }) }) }),
      expect.objectContaining({ kind: 'strategic-account', after: { outcome: 'queue', reason: 'no-rule-decided' } }),
    ]);
    await h.http().put('/v1/admin/conflict-precedence').set('Authorization', auth).send({ order: ['coin-toss'], alwaysQueue: [] })
      .expect(400).expect((r) => expect(r.body.code).toBe('PRECEDENCE_INVALID'));
  });

  it('when an admin changes it, then it is versioned with its author and applies to the next conflict', async () => {
    const admin = await h.bearer('admin-zhao', ['admin']);
    await h.http().put('/v1/admin/conflict-precedence').set('Authorization', admin).send({ order: [], alwaysQueue: [] }).expect(200);
    const res = await h.http().get('/v1/admin/conflict-precedence').set('Authorization', admin).expect(200);
    expect(res.body).toMatchObject({ version: 1, changedBy: 'admin-zhao', precedence: { order: [], alwaysQueue: [] } });
    await h.feed('ClientRegistered', 'pnc', company('PNC-ORG-7', 7));
    await h.feed('ClientRegistered', 'life', company('LIFE-ORG-7', 7));
    await h.feed('PolicyIssued', 'pnc', policy('PP-7', 'PNC-ORG-7', 'MOTOR', 'P-2001', 'P-2001', 'AGENCY', null));
    await h.feed('ReferralRegistered', 'life', referral('R-7', 'LIFE-ORG-7', 'pnc', 'MOTOR', 'A-1001'));
    await h.conflict("party_id = $1 AND kind = 'servicing-relationship'", [await h.partyOf('pnc', 'PNC-ORG-7')], 'queued');
  });
});

describe('OpenAPI', () => {
  it('documents every conflicts route with its body schema', () => {
    const doc = openApiDocument(h.app, { title: 't', description: 'd' });
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/v1/referrals', '/v1/referrals/pipeline', '/v1/referrals/{referralId}/quote', '/v1/admin/conflicts', '/v1/admin/conflicts/{conflictId}/resolution',
      '/v1/admin/conflict-precedence', '/v1/admin/conflict-precedence/dry-run',
    ]));
    const body = doc.paths['/v1/admin/conflicts/{conflictId}/resolution'].post?.requestBody as { content: Record<string, { schema: { oneOf?: unknown[] } }> };
    expect(body.content['application/json'].schema.oneOf).toHaveLength(3);
  });
});
