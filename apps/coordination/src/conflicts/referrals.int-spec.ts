import type { EventStore } from '@lib/event-store';
import { expectEventually } from '../../../../test/infra/expect-eventually';
import { Scheduler } from '../infrastructure/scheduling/scheduler';
import { EVENT_STORE } from '../infrastructure/tokens';
import { ReferralExpiryTask } from './scheduling/referral-expiry.task';
import { Harness, company, onboardAgents, policy, referral } from './testing/harness';
import { RecordingCrediting } from './testing/stand-ins';

jest.setTimeout(120_000);

// Real PostgreSQL; identity and portfolio are stand-ins writing their wiring-brief tables (testing/stand-ins.ts).
const h = new Harness();
beforeAll(async () => {
  await h.start('referrals');
  await onboardAgents(h);
  for (const seed of [3, 4, 5, 8]) {
    await h.feed('ClientRegistered', 'life', company(`LIFE-ORG-${seed}`, seed));
    await h.feed('ClientRegistered', 'pnc', company(`PNC-ORG-${seed}`, seed));
  }
});
afterAll(() => h.stop());

const ISSUED = '2026-03-05T10:00:00+08:00';
const parkedFor = async (awaits: string) => (await h.ds.query('SELECT count(*)::int AS n FROM coordination.parked_events WHERE awaits = $1', [awaits]))[0].n;

describe('conversion by PolicyIssued', () => {
  it('given a life agent’s referral, when P&C issues the policy naming it, then it converts and crediting learns the referrer', async () => {
    await h.feed('ReferralRegistered', 'life', referral('R-3', 'LIFE-ORG-3', 'pnc', 'MOTOR', 'A-1001'));
    await h.feed('PolicyIssued', 'pnc', policy('PP-3', 'PNC-ORG-3', 'MOTOR', 'A-1001', 'P-2001', 'AGENCY', 'R-3'), ISSUED);
    const row = await h.referralView('R-3', 'converted');
    expect(row).toMatchObject({ policy_no: 'PP-3', linked_by: 'referralId' });
    expect(h.app.get(RecordingCrediting).issued.get('PP-3')).toEqual({
      decision: undefined, referral: { referralId: 'R-3', linkedBy: 'referralId', referrer: { subsidiary: 'life', agentId: 'A-1001', channel: 'AGENCY' } },
    });
    const converted = (await h.decisions('ReferralStatusChanged', 'referralId', 'R-3')).filter((m) => m.event.payload.status === 'converted');
    expect(converted.map((m) => [m.event.subsidiary, m.event.payload.previousStatus, m.event.payload.policyNo])).toEqual([['life', 'registered', 'PP-3'], ['pnc', 'registered', 'PP-3']]);
  });

  it('given a referral, when another agent sells the line without naming it, then it converts by party and line and the registration wins the credit', async () => {
    await h.feed('ReferralRegistered', 'life', referral('R-8', 'LIFE-ORG-8', 'pnc', 'HOME', 'A-1001'));
    await h.feed('PolicyIssued', 'pnc', policy('PP-8', 'PNC-ORG-8', 'HOME', 'P-2001', 'P-2001', 'AGENCY', null), ISSUED);
    expect(await h.referralView('R-8', 'converted')).toMatchObject({ linked_by: 'party-and-line' });
    const conflict = await h.conflict("kind = 'policy-vs-registration' AND party_id = $1", [await h.partyOf('pnc', 'PNC-ORG-8')], 'auto-resolved');
    expect(conflict.state.outcome).toMatchObject({ rule: 'first-valid-registration', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }] });
    expect(h.app.get(RecordingCrediting).issued.get('PP-8')?.decision).toMatchObject({
      status: 'decided', decision: { mode: 'award', policyNo: 'PP-8', productSubsidiary: 'pnc', shares: [{ agentId: 'A-1001', pct: '100.00' }] },
    });
  });

  it('given a policy naming a referral not seen yet, then it is parked and converts it once the referral arrives', async () => {
    await h.feed('PolicyIssued', 'pnc', policy('PP-4', 'PNC-ORG-4', 'MOTOR', 'A-1001', 'P-2001', 'AGENCY', 'R-4'), ISSUED);
    expect(await parkedFor('referral:R-4')).toBe(1);
    expect(await h.ds.query("SELECT 1 FROM coordination.policies WHERE policy_no = 'PP-4'")).toHaveLength(0);
    await h.feed('ReferralRegistered', 'life', referral('R-4', 'LIFE-ORG-4', 'pnc', 'MOTOR', 'A-1001', '2026-03-01T09:00:00+08:00'));
    expect(await parkedFor('referral:R-4')).toBe(0);
    expect(await h.referralView('R-4', 'converted')).toMatchObject({ policy_no: 'PP-4' });
  });

  it('given a referral for a client identity has not registered, then it waits for the client', async () => {
    await h.feed('ReferralRegistered', 'group', referral('R-9', 'GRP-ORG-9', 'group', 'GROUP_LIFE', 'G-3001'));
    expect(await parkedFor('client:group:GRP-ORG-9')).toBe(1);
    await h.feed('ClientRegistered', 'group', company('GRP-ORG-9', 9));
    await h.referralView('R-9', 'registered');
  });
});

describe('referrals over REST', () => {
  it('given subsidiary principals, when they list referrals, then each sees only those it is party to', async () => {
    const ids = async (sub: 'group' | 'pnc') => {
      const res = await h.http().get('/v1/referrals').set('Authorization', await h.bearer(`${sub}-system`, [`subsidiary:${sub}`], sub)).expect(200);
      return res.body.items.map((r: { referralId: string }) => r.referralId).sort();
    };
    expect(await ids('group')).toEqual(['R-9']);
    expect(await ids('pnc')).toEqual(['R-3', 'R-4', 'R-8']);
    const auditor = await h.bearer('auditor-1', ['auditor']);
    const converted = await h.http().get('/v1/referrals?status=converted&productLine=MOTOR&limit=1').set('Authorization', auditor).expect(200);
    expect(converted.body).toMatchObject({ total: 2, limit: 1, offset: 0 });
    await h.http().get('/v1/referrals?status=won').set('Authorization', auditor).expect(400);
  });

  it('when the product side accepts and quotes, then the referral moves along; the referrer may not, an illegal move is 409', async () => {
    const group = await h.bearer('group-system', ['subsidiary:group'], 'group');
    const life = await h.bearer('life-system', ['subsidiary:life'], 'life');
    await h.http().post('/v1/referrals/R-9/acceptance').set('Authorization', life).send({ acceptedBy: 'G-3001' }).expect(403);
    await h.http().post('/v1/referrals/R-9/acceptance').set('Authorization', group).send({ acceptedBy: 'G-3001' })
      .expect(200, { referralId: 'R-9', status: 'accepted', previousStatus: 'registered' });
    await h.http().post('/v1/referrals/R-9/quote').set('Authorization', group).send({ price: '12.345' }).expect(400);
    await h.http().post('/v1/referrals/R-9/quote').set('Authorization', group).send({ price: '120000.00' }).expect(200);
    expect(await h.referralView('R-9', 'quoted')).toMatchObject({ quoted_price: '120000.00', accepted_by: 'G-3001' });
    const pnc = await h.bearer('pnc-system', ['subsidiary:pnc'], 'pnc');
    // R-3 was converted by a sale naming it (issued 5 March): a loss dated after that sale is refused, its conversion
    // standing, but kept as the loss R-3 has; a later-dated report is refused without being kept, naming the one that stands.
    await h.http().post('/v1/referrals/R-3/loss').set('Authorization', pnc).send({ reason: 'client declined', lostAt: '2026-03-06T00:00:00+08:00' })
      .expect(409).expect((r) => expect(r.body).toMatchObject({
        code: 'REFERRAL_ILLEGAL_TRANSITION', details: { from: 'converted', lossKept: true, reportedLostAt: '2026-03-06T00:00:00+08:00', lostAt: '2026-03-06T00:00:00+08:00' },
      }));
    await h.http().post('/v1/referrals/R-3/loss').set('Authorization', pnc).send({ reason: 'client declined', lostAt: '2026-03-08T00:00:00+08:00' })
      .expect(409).expect((r) => expect(r.body).toMatchObject({
        code: 'REFERRAL_ILLEGAL_TRANSITION', details: { from: 'converted', reportedLostAt: '2026-03-08T00:00:00+08:00', lostAt: '2026-03-06T00:00:00+08:00' },
      }));
    const [r3] = await h.ds.query("SELECT status, lost_at FROM coordination.referral_index WHERE referral_id = 'R-3'");
    expect(r3).toEqual({ status: 'converted', lost_at: new Date('2026-03-06T00:00:00+08:00') });
    await h.http().post('/v1/referrals/R-404/loss').set('Authorization', pnc).send({ reason: 'x' }).expect(404);
  });

  it('when the pipeline is asked for, then it counts stages and the conversion rate', async () => {
    const res = await h.http().get('/v1/referrals/pipeline').set('Authorization', await h.bearer('coord', ['coordinator'])).expect(200);
    expect(res.body).toEqual({
      total: 4, byStage: { registered: 0, accepted: 0, quoted: 1, converted: 3, lost: 0, expired: 0 }, conversionRate: '0.7500', closedWinRate: '1.0000',
    });
  });
});

describe('referral expiry on the injected clock', () => {
  it('given an open HOME referral (60-day window), when the task runs a second before and at the window end, then it expires only at the end, once', async () => {
    await h.feed('ReferralRegistered', 'life', referral('R-5', 'LIFE-ORG-5', 'pnc', 'HOME', 'A-1001', '2026-03-01T00:00:00Z'));
    await h.referralView('R-5', 'registered');
    const scheduler = h.app.get(Scheduler);
    const task = h.app.get(ReferralExpiryTask);
    h.clock.at = new Date('2026-04-29T23:59:59Z');
    expect(await scheduler.tick(task)).toBe(true);
    const [row] = await h.ds.query("SELECT status FROM coordination.referral_index WHERE referral_id = 'R-5'");
    expect(row.status).toBe('registered');
    h.clock.at = new Date('2026-04-30T00:00:00Z');
    await scheduler.tick(task);
    await scheduler.tick(task);
    expect(await h.referralView('R-5', 'expired')).toMatchObject({ closed_at: new Date('2026-04-30T00:00:00Z') });
    const stream = await h.app.get<EventStore>(EVENT_STORE).readStream('referral-R-5');
    expect(stream.map((e) => e.type)).toEqual(['ReferralRegistered', 'ReferralExpired']);
    expect(stream[1].metadata.actor).toBe('system:referral-expiry');
    expect((await h.decisions('ReferralStatusChanged', 'referralId', 'R-5')).map((m) => m.event.payload.status)).toEqual(['registered', 'registered', 'expired', 'expired']);
    await h.referralView('R-9', 'quoted');
  });
});

describe('a loss while a sale naming no referral converts it', () => {
  const pnc = () => h.bearer('pnc-system', ['subsidiary:pnc'], 'pnc');
  const convertedByLine = async (seed: number) => {
    await h.feed('ClientRegistered', 'life', company(`LIFE-ORG-${seed}`, seed));
    await h.feed('ClientRegistered', 'pnc', company(`PNC-ORG-${seed}`, seed));
    await h.feed('ReferralRegistered', 'life', referral(`R-${seed}`, `LIFE-ORG-${seed}`, 'pnc', 'HOME', 'A-1001', '2026-03-01T09:00:00+08:00'));
    await h.feed('PolicyIssued', 'pnc', policy(`PP-${seed}`, `PNC-ORG-${seed}`, 'HOME', 'P-2001', 'P-2001', 'AGENCY', null), ISSUED);
    await h.referralView(`R-${seed}`, 'converted');
  };

  it('given the loss dated after the sale, then it is refused as before (409 problem+json) and the referral stays converted, the loss kept', async () => {
    await convertedByLine(6);
    const res = await h.http().post('/v1/referrals/R-6/loss').set('Authorization', await pnc()).send({ reason: 'client declined', lostAt: '2026-03-10T00:00:00+08:00' })
      .expect(409).expect('content-type', /application\/problem\+json/);
    expect(res.body).toMatchObject({
      code: 'REFERRAL_ILLEGAL_TRANSITION',
      details: { referralId: 'R-6', from: 'converted', to: 'lost', lossKept: true, reportedLostAt: '2026-03-10T00:00:00+08:00', lostAt: '2026-03-10T00:00:00+08:00' },
    });
    await expectEventually(async () => expect(await h.referralView('R-6', 'converted')).toMatchObject({ policy_no: 'PP-6', lost_reason: 'client declined' }));
    const [row] = await h.ds.query("SELECT status, lost_at FROM coordination.referral_index WHERE referral_id = 'R-6'");
    expect(row).toEqual({ status: 'converted', lost_at: new Date('2026-03-10T00:00:00+08:00') });
    expect((await h.decisions('ReferralStatusChanged', 'referralId', 'R-6')).map((m) => m.event.payload.status)).not.toContain('lost');
  });

  it('given the loss dated before the sale, then the conversion is withdrawn, the referral is lost and the sale\'s conflict with it is superseded', async () => {
    await convertedByLine(7);
    const party = await h.partyOf('pnc', 'PNC-ORG-7');
    await h.conflict("kind = 'policy-vs-registration' AND party_id = $1", [party], 'auto-resolved');
    await h.http().post('/v1/referrals/R-7/loss').set('Authorization', await pnc()).send({ reason: 'client declined', lostAt: '2026-03-04T00:00:00+08:00' })
      .expect(200, { referralId: 'R-7', status: 'lost', previousStatus: 'converted' });
    expect(await h.referralView('R-7', 'lost')).toMatchObject({ policy_no: null, linked_by: null, closed_at: new Date('2026-03-04T00:00:00+08:00') });
    const changes = (await h.decisions('ReferralStatusChanged', 'referralId', 'R-7')).filter((m) => m.event.subsidiary === 'pnc');
    expect(changes.map((m) => [m.event.payload.previousStatus, m.event.payload.status])).toEqual([
      [null, 'registered'], ['registered', 'converted'], ['converted', 'registered'], ['registered', 'lost'],
    ]);
    await h.conflict("kind = 'policy-vs-registration' AND party_id = $1", [party], 'superseded');
  });
});
