import { referralPipeline } from './referral-pipeline';
import { LinkableReferral, LinkableSale, ReferralSnapshot, dueForExpiry, linkChanges, linkPolicyToReferral } from './referral.queries';
import { ReferralStage } from './referral.types';

const snapshot = (over: Partial<ReferralSnapshot> = {}): ReferralSnapshot => ({
  referralId: 'R-1',
  partyId: 'P-1',
  productLine: 'MOTOR',
  productSubsidiary: 'pnc',
  referrer: { agentId: 'A-1001', subsidiary: 'life', channel: 'AGENCY' },
  registeredAt: '2026-03-01T09:00:00Z',
  windowEndsAt: '2026-03-31T09:00:00Z',
  status: 'registered',
  ...over,
});

describe('dueForExpiry', () => {
  const referrals = [
    snapshot({ referralId: 'R-open-late', windowEndsAt: '2026-04-30T00:00:00Z' }),
    snapshot({ referralId: 'R-quoted-due', status: 'quoted', windowEndsAt: '2026-03-31T09:00:00Z' }),
    snapshot({ referralId: 'R-accepted-due', status: 'accepted', windowEndsAt: '2026-03-15T00:00:00Z' }),
    snapshot({ referralId: 'R-converted', status: 'converted', windowEndsAt: '2026-03-10T00:00:00Z' }),
    snapshot({ referralId: 'R-lost', status: 'lost', windowEndsAt: '2026-03-10T00:00:00Z' }),
  ];

  it('given open and closed referrals, when checked at 31 March 09:00, then only open ones whose window ended are due, oldest first', () => {
    expect(dueForExpiry(referrals, '2026-03-31T09:00:00Z')).toEqual(['R-accepted-due', 'R-quoted-due']);
  });

  it('given the same referrals, when checked a moment earlier, then the quoted one is not yet due', () => {
    expect(dueForExpiry(referrals, '2026-03-31T08:59:59Z')).toEqual(['R-accepted-due']);
  });
});

describe('linkPolicyToReferral', () => {
  const policy = { partyId: 'P-1', productLine: 'MOTOR', issuedAt: '2026-03-10T00:00:00Z' };

  it('given a policy naming an open referral, when linked, then it links by referralId', () => {
    expect(linkPolicyToReferral({ ...policy, referralId: 'R-2' }, [snapshot(), snapshot({ referralId: 'R-2' })])).toEqual({
      referralId: 'R-2',
      linkedBy: 'referralId',
    });
  });

  it('given a policy naming no referral, when two open referrals cover it, then the earliest registration is linked by party and line', () => {
    const later = snapshot({ referralId: 'R-later', registeredAt: '2026-03-05T00:00:00Z' });
    expect(linkPolicyToReferral(policy, [later, snapshot()])).toEqual({ referralId: 'R-1', linkedBy: 'party-and-line' });
  });

  it('given only a referral for another line, a closed one, or one whose window ended, when linked, then nothing links', () => {
    const referrals = [
      snapshot({ productLine: 'HOME' }),
      snapshot({ referralId: 'R-lost', status: 'lost' }),
      snapshot({ referralId: 'R-old', windowEndsAt: '2026-03-09T00:00:00Z' }),
    ];
    expect(linkPolicyToReferral(policy, referrals)).toBeUndefined();
    expect(linkPolicyToReferral({ ...policy, referralId: 'R-lost' }, referrals)).toBeUndefined();
  });
});

describe('referralPipeline', () => {
  const of = (...stages: ReferralStage[]) => stages.map((status) => ({ status }));

  it('given referrals in every stage, when aggregated, then counts per stage and rates are exact decimals', () => {
    const pipeline = referralPipeline(of('registered', 'accepted', 'quoted', 'quoted', 'converted', 'converted', 'lost', 'expired', 'expired'));
    expect(pipeline).toEqual({
      total: 9,
      byStage: { registered: 1, accepted: 1, quoted: 2, converted: 2, lost: 1, expired: 2 },
      conversionRate: '0.2222',
      closedWinRate: '0.4000',
    });
  });

  it('given no referrals, when aggregated, then zero counts and no win rate', () => {
    expect(referralPipeline([])).toMatchObject({ total: 0, conversionRate: '0.0000', closedWinRate: null });
  });
});

describe('linkChanges (sales and registrations arriving in any order)', () => {
  const sale = (policyNo: string, issuedAt: string, over: Partial<LinkableSale> = {}): LinkableSale =>
    ({ policyNo, issuedAt, productSubsidiary: 'pnc', namedReferralId: null, convertedBy: null, ...over });
  const R1 = snapshot();
  const R2 = snapshot({ referralId: 'R-2', registeredAt: '2026-03-03T09:00:00Z', referrer: { agentId: 'G-3001', subsidiary: 'group', channel: 'GROUP' } });
  const converted = (r: ReferralSnapshot, policyNo: string): LinkableReferral => ({ ...r, status: 'converted', policyNo });

  it('given a sale recorded before its registration, when the registration arrives, then the sale converts it', () => {
    expect(linkChanges([sale('PP-1', '2026-03-05T10:00:00Z')], [R1])).toEqual([{ sale: sale('PP-1', '2026-03-05T10:00:00Z'), withdraw: null, convert: 'R-1' }]);
  });

  it('given a sale linked to a later registration, when an earlier-filed one covering it arrives, then the link moves to the earlier one', () => {
    const linked = sale('PP-1', '2026-03-05T10:00:00Z', { convertedBy: 'R-2' });
    expect(linkChanges([linked], [R1, converted(R2, 'PP-1')])).toEqual([{ sale: linked, withdraw: 'R-2', convert: 'R-1' }]);
  });

  it('given two sales, when an earlier-issued sale arrives after a later one took the first registration, then each converts what business order gives it', () => {
    const later = sale('PP-2', '2026-03-09T10:00:00Z', { convertedBy: 'R-1' });
    const earlier = sale('PP-1', '2026-03-05T10:00:00Z');
    expect(linkChanges([later, earlier], [converted(R1, 'PP-2'), R2])).toEqual([
      { sale: later, withdraw: 'R-1', convert: 'R-2' },
      { sale: earlier, withdraw: null, convert: 'R-1' },
    ]);
  });

  it('given a sale naming its referral, then its link never moves and the referral is not offered to other sales', () => {
    const named = sale('PP-1', '2026-03-09T10:00:00Z', { namedReferralId: 'R-1', convertedBy: 'R-1' });
    expect(linkChanges([named, sale('PP-2', '2026-03-05T10:00:00Z')], [converted(R1, 'PP-1')])).toEqual([]);
  });

  it('given a sale outside every window, of another subsidiary, or only lost referrals, then nothing changes', () => {
    const lost = snapshot({ referralId: 'R-3', status: 'lost' });
    const sales = [sale('PP-1', '2026-02-27T10:00:00Z'), sale('PP-3', '2026-03-05T10:00:00Z', { productSubsidiary: 'life' })];
    expect(linkChanges(sales, [R1])).toEqual([]);
    expect(linkChanges([sale('PP-4', '2026-03-05T10:00:00Z')], [lost])).toEqual([]);
  });

  it('given a referral converted by a sale without an issue time (older data), then it stays that sale\'s', () => {
    expect(linkChanges([sale('PP-2', '2026-03-05T10:00:00Z')], [converted(R1, 'PP-OLD')])).toEqual([]);
  });

  it('given the links already as business order gives them, when reconciled again (redelivery), then nothing changes', () => {
    expect(linkChanges([sale('PP-1', '2026-03-05T10:00:00Z', { convertedBy: 'R-1' })], [converted(R1, 'PP-1'), R2])).toEqual([]);
  });
});
