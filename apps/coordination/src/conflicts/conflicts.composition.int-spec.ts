import { Harness, company, onboardAgents, policy, referral } from './testing/harness';
import { RecordingCrediting } from './testing/stand-ins';

jest.setTimeout(120_000);

// Conflicts composed with the real identity and portfolio modules, in the app's handler order.
const h = new Harness();
beforeAll(async () => {
  await h.start('conflicts_real', 'real');
  await onboardAgents(h);
});
afterAll(() => h.stop());

describe('conflicts between the real identity and portfolio modules', () => {
  it('given one company known to life and group, then rival registrations meet on identity’s party and the sale converts through portfolio’s row', async () => {
    await h.feed('ClientRegistered', 'life', company('LIFE-ORG-21', 21));
    await h.feed('ClientRegistered', 'group', company('GRP-ORG-21', 21));
    await h.feed('ReferralRegistered', 'life', referral('R-21L', 'LIFE-ORG-21', 'group', 'GROUP_HEALTH', 'A-1001', '2026-03-01T09:00:00+08:00'));
    await h.feed('ReferralRegistered', 'group', referral('R-21G', 'GRP-ORG-21', 'group', 'GROUP_HEALTH', 'G-3001', '2026-03-02T09:00:00+08:00'));
    const [lifeRef, groupRef] = await Promise.all([h.referralView('R-21L', 'registered'), h.referralView('R-21G', 'registered')]);
    expect(groupRef.party_id).toBe(lifeRef.party_id);
    const conflict = await h.conflict("kind = 'duplicate-registration' AND party_id = $1", [lifeRef.party_id], 'auto-resolved');
    expect(conflict.state.outcome).toMatchObject({ rule: 'first-valid-registration', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }] });

    await h.feed('PolicyIssued', 'group', policy('GP-21', 'GRP-ORG-21', 'GROUP_HEALTH', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', 'R-21G'), '2026-03-05T10:00:00+08:00');
    await h.referralView('R-21G', 'converted');
    expect(h.app.get(RecordingCrediting).issued.get('GP-21')?.decision).toMatchObject({
      status: 'decided', decision: { conflictId: conflict.conflict_id, mode: 'award', policyNo: 'GP-21', productSubsidiary: 'group' },
    });
  });
});

// A client holds 300k of life cover from 1 February (A-1001) and 300k of group health from 1 April (G-3001):
// top-strategic from 1 April, until the life policy is cancelled from 1 May. P&C's agent refers it for term life on
// 5 April (met the relationship team) and on 10 May (a client that is strategic only by then). The two policies, the
// cancellation and the two registrations arrive in every order (a cancellation before its policy is parked by the
// portfolio until the policy is recorded); each order concerns a client of its own.
describe('a cancellation that ends the client\'s top-strategic tier, in every arrival order', () => {
  type Fact = 'PL' | 'PG' | 'CANCEL' | 'R-A' | 'R-B';
  const big = { amount: '300000.00', currency: 'CNY', mode: 'ANNUAL' };
  const permutations = <T>(items: T[]): T[][] => (items.length <= 1 ? [items]
    : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest])));

  async function feedFact(fact: Fact, n: number): Promise<void> {
    const [life, group, pnc] = [`LIFE-T${n}`, `GRP-T${n}`, `PNC-T${n}`];
    switch (fact) {
      case 'PL': return void (await h.feed('PolicyIssued', 'life', { ...policy(`PL-T${n}`, life, 'LIFE_WHOLE', 'A-1001', 'A-1001', 'AGENCY', null), premium: big, effectiveDate: '2026-02-01', expiryDate: '2027-01-31' }, '2026-01-30T10:00:00+08:00'));
      case 'PG': return void (await h.feed('PolicyIssued', 'group', { ...policy(`PG-T${n}`, group, 'GROUP_HEALTH', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', null), premium: big, effectiveDate: '2026-04-01', expiryDate: '2027-03-31' }, '2026-03-30T10:00:00+08:00'));
      case 'CANCEL': return void (await h.feed('PolicyCancelled', 'life', { policyNo: `PL-T${n}`, effectiveDate: '2026-05-01', reason: 'surrendered' }, '2026-05-02T10:00:00+08:00'));
      case 'R-A': return void (await h.feed('ReferralRegistered', 'pnc', referral(`RA-T${n}`, pnc, 'life', 'LIFE_TERM', 'P-2001', '2026-04-05T09:00:00+08:00'), '2026-04-05T09:00:00+08:00'));
      case 'R-B': return void (await h.feed('ReferralRegistered', 'pnc', referral(`RB-T${n}`, pnc, 'life', 'LIFE_TERM', 'P-2001', '2026-05-10T09:00:00+08:00'), '2026-05-10T09:00:00+08:00'));
    }
  }

  /** The conflicts standing for the client and their decisions, with its own numbering taken out. */
  async function standing(n: number): Promise<string[]> {
    const rows: Array<{ kind: string; referral_ids: string[]; status: string; decided: string | null }> = await h.ds.query(
      `SELECT kind, referral_ids, status,
              decision->>'mode' || ' ' || (SELECT string_agg(s->>'agentId' || ' ' || (s->>'pct'), ',') FROM jsonb_array_elements(decision->'shares') s) AS decided
         FROM coordination.conflict_index WHERE status <> 'superseded' AND party_id = $1 ORDER BY 1, 2`,
      [await h.partyOf('life', `LIFE-T${n}`)],
    );
    return rows.map((r) => `${r.kind} ${r.referral_ids.map((id) => id.replace(`-T${n}`, '')).join(',')} ${r.status}: ${r.decided}`);
  }

  it('then the registration filed while the client was top-strategic meets its team, the later one does not, whatever arrived first', async () => {
    const orders = permutations<Fact>(['PL', 'PG', 'R-A', 'CANCEL', 'R-B']);
    const outcomes = new Map<string, string[]>();
    for (const [i, order] of orders.entries()) {
      const n = 100 + i;
      for (const [sub, localId] of [['life', `LIFE-T${n}`], ['group', `GRP-T${n}`], ['pnc', `PNC-T${n}`]] as const) await h.feed('ClientRegistered', sub, company(localId, n));
      for (const fact of order) await feedFact(fact, n);
      outcomes.set(order.join(' → '), await standing(n));
    }
    const business = outcomes.get('PL → PG → R-A → CANCEL → R-B');
    expect(business).toEqual(['strategic-account RA auto-resolved: award A-1001 100.00']);
    expect([...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(business))).toEqual([]);
  });
});

// A client holds 300k of life cover for February 2026 to January 2027 (A-1001), renewed for February 2027 to
// January 2028, and 300k of group health for April 2026 to March 2027 (G-3001): top-strategic from 1 April 2026
// to 31 March 2027, through the renewal. P&C's agent refers it for term life on 5 April 2026 and on 10 February
// 2027 (top-strategic then only by the renewed term). The two policies, the renewal and the two registrations
// arrive in every order (a renewal before its policy is parked until the policy is recorded).
describe('a renewal that keeps the client top-strategic, in every arrival order', () => {
  type Fact = 'PL' | 'PG' | 'RENEW' | 'R-A' | 'R-B';
  const big = { amount: '300000.00', currency: 'CNY', mode: 'ANNUAL' };
  const permutations = <T>(items: T[]): T[][] => (items.length <= 1 ? [items]
    : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest])));

  async function feedFact(fact: Fact, n: number): Promise<void> {
    const [life, group, pnc] = [`LIFE-RN${n}`, `GRP-RN${n}`, `PNC-RN${n}`];
    switch (fact) {
      case 'PL': return void (await h.feed('PolicyIssued', 'life', { ...policy(`PL-RN${n}`, life, 'LIFE_WHOLE', 'A-1001', 'A-1001', 'AGENCY', null), premium: big, effectiveDate: '2026-02-01', expiryDate: '2027-01-31' }, '2026-01-30T10:00:00+08:00'));
      case 'PG': return void (await h.feed('PolicyIssued', 'group', { ...policy(`PG-RN${n}`, group, 'GROUP_HEALTH', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', null), premium: big, effectiveDate: '2026-04-01', expiryDate: '2027-03-31' }, '2026-03-30T10:00:00+08:00'));
      case 'RENEW': return void (await h.feed('PolicyRenewed', 'life', { policyNo: `PL-RN${n}`, newEffectiveDate: '2027-02-01', newExpiryDate: '2028-01-31', premium: big }, '2027-01-20T10:00:00+08:00'));
      case 'R-A': return void (await h.feed('ReferralRegistered', 'pnc', referral(`RA-RN${n}`, pnc, 'life', 'LIFE_TERM', 'P-2001', '2026-04-05T09:00:00+08:00'), '2026-04-05T09:00:00+08:00'));
      case 'R-B': return void (await h.feed('ReferralRegistered', 'pnc', referral(`RB-RN${n}`, pnc, 'life', 'LIFE_TERM', 'P-2001', '2027-02-10T09:00:00+08:00'), '2027-02-10T09:00:00+08:00'));
    }
  }

  async function standing(n: number): Promise<string[]> {
    const rows: Array<{ kind: string; referral_ids: string[]; status: string; decided: string | null }> = await h.ds.query(
      `SELECT kind, referral_ids, status,
              decision->>'mode' || ' ' || (SELECT string_agg(s->>'agentId' || ' ' || (s->>'pct'), ',') FROM jsonb_array_elements(decision->'shares') s) AS decided
         FROM coordination.conflict_index WHERE status <> 'superseded' AND party_id = $1 ORDER BY 1, 2`,
      [await h.partyOf('life', `LIFE-RN${n}`)],
    );
    return rows.map((r) => `${r.kind} ${r.referral_ids.map((id) => id.replace(`-RN${n}`, '')).join(',')} ${r.status}: ${r.decided}`);
  }

  it('then both registrations meet the relationship team, the first term\'s and the renewed term\'s, whatever arrived first', async () => {
    const orders = permutations<Fact>(['PL', 'PG', 'R-A', 'RENEW', 'R-B']);
    const outcomes = new Map<string, string[]>();
    for (const [i, order] of orders.entries()) {
      const n = 300 + i;
      for (const [sub, localId] of [['life', `LIFE-RN${n}`], ['group', `GRP-RN${n}`], ['pnc', `PNC-RN${n}`]] as const) await h.feed('ClientRegistered', sub, company(localId, n));
      for (const fact of order) await feedFact(fact, n);
      outcomes.set(order.join(' → '), await standing(n));
    }
    const business = outcomes.get('PL → PG → R-A → RENEW → R-B');
    expect(business).toEqual(['strategic-account RA auto-resolved: award A-1001 100.00', 'strategic-account RB auto-resolved: award A-1001 100.00']);
    expect([...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(business))).toEqual([]);
  });
});

// The cancellation scenario with visits naming no line instead of registrations: P&C's agent visits the client on
// 5 April (from outside the relationship team of a top-strategic client), the group's direct agent on 10 May (the
// client is strategic only by then). The visits are kept and judged again when a policy or the cancellation arrives.
describe('visits to a client top-strategic for April only, in every arrival order', () => {
  type Fact = 'PL' | 'PG' | 'CANCEL' | 'V-A' | 'V-B';
  const big = { amount: '300000.00', currency: 'CNY', mode: 'ANNUAL' };
  const permutations = <T>(items: T[]): T[][] => (items.length <= 1 ? [items]
    : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest])));
  const visit = (activityId: string, agentId: string, clientLocalId: string, at: string) => ({ activityId, agentId, clientLocalId, kind: 'visit', at });

  async function feedFact(fact: Fact, n: number): Promise<void> {
    const [life, group, pnc] = [`LIFE-V${n}`, `GRP-V${n}`, `PNC-V${n}`];
    switch (fact) {
      case 'PL': return void (await h.feed('PolicyIssued', 'life', { ...policy(`PL-V${n}`, life, 'LIFE_WHOLE', 'A-1001', 'A-1001', 'AGENCY', null), premium: big, effectiveDate: '2026-02-01', expiryDate: '2027-01-31' }, '2026-01-30T10:00:00+08:00'));
      case 'PG': return void (await h.feed('PolicyIssued', 'group', { ...policy(`PG-V${n}`, group, 'GROUP_HEALTH', 'G-3001', 'G-3001', 'GROUP_ACCOUNT', null), premium: big, effectiveDate: '2026-04-01', expiryDate: '2027-03-31' }, '2026-03-30T10:00:00+08:00'));
      case 'CANCEL': return void (await h.feed('PolicyCancelled', 'life', { policyNo: `PL-V${n}`, effectiveDate: '2026-05-01', reason: 'surrendered' }, '2026-05-02T10:00:00+08:00'));
      case 'V-A': return void (await h.feed('ActivityLogged', 'pnc', visit(`VA-V${n}`, 'P-2001', pnc, '2026-04-05T09:00:00+08:00'), '2026-04-05T09:00:00+08:00'));
      case 'V-B': return void (await h.feed('ActivityLogged', 'group', visit(`VB-V${n}`, 'G-DIRECT-1', group, '2026-05-10T09:00:00+08:00'), '2026-05-10T09:00:00+08:00'));
    }
  }

  /** The conflicts standing for the client: the visit that raised each (its claimant from outside) and its decision. */
  async function standing(n: number): Promise<string[]> {
    const rows: Array<{ kind: string; product_line: string; conflict_key: string; status: string; decided: string | null }> = await h.ds.query(
      `SELECT kind, product_line, conflict_key, status,
              decision->>'mode' || ' ' || (SELECT string_agg(s->>'agentId' || ' ' || (s->>'pct'), ',') FROM jsonb_array_elements(decision->'shares') s) AS decided
         FROM coordination.conflict_index WHERE status <> 'superseded' AND party_id = $1 ORDER BY 1, 2, 3`,
      [await h.partyOf('life', `LIFE-V${n}`)],
    );
    return rows.map((r) => `${r.kind} ${r.product_line} ${r.conflict_key.split('|approach:')[1]?.replace(`-V${n}`, '')} ${r.status}: ${r.decided}`);
  }

  it('then the visit made while the client was top-strategic meets its team, the later one does not, whatever arrived first', async () => {
    const orders = permutations<Fact>(['PL', 'PG', 'V-A', 'CANCEL', 'V-B']);
    const outcomes = new Map<string, string[]>();
    for (const [i, order] of orders.entries()) {
      const n = 500 + i;
      for (const [sub, localId] of [['life', `LIFE-V${n}`], ['group', `GRP-V${n}`], ['pnc', `PNC-V${n}`]] as const) await h.feed('ClientRegistered', sub, company(localId, n));
      for (const fact of order) await feedFact(fact, n);
      outcomes.set(order.join(' → '), await standing(n));
    }
    const business = outcomes.get('PL → PG → V-A → CANCEL → V-B');
    expect(business).toEqual(['strategic-account * pnc:VA auto-resolved: award A-1001 100.00']);
    expect([...outcomes].filter(([, outcome]) => JSON.stringify(outcome) !== JSON.stringify(business))).toEqual([]);
  });
});
