import { referralPipeline } from './referral-pipeline';
import { ReferralSnapshot, dueForExpiry, linkPolicyToReferral, saleConvertedBy } from './referral.queries';
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

describe('saleConvertedBy (a referral arriving after the sale it converts)', () => {
  const sale = (policyNo: string, issuedAt: string, productSubsidiary = 'pnc') => ({ policyNo, issuedAt, productSubsidiary });
  const R1 = snapshot();

  it('given an unlinked sale in its window, when the referral arrives, then it converts that sale', () => {
    expect(saleConvertedBy(R1, [sale('PP-1', '2026-03-05T10:00:00Z')], [R1])).toEqual(sale('PP-1', '2026-03-05T10:00:00Z'));
  });

  it('given two unlinked sales, when the referral arrives, then it converts the earlier one, as business order would', () => {
    const sales = [sale('PP-2', '2026-03-09T10:00:00Z'), sale('PP-1', '2026-03-05T10:00:00Z')];
    expect(saleConvertedBy(R1, sales, [R1])?.policyNo).toBe('PP-1');
  });

  it('given a sale outside its window or of another subsidiary, when the referral arrives, then it converts nothing', () => {
    expect(saleConvertedBy(R1, [sale('PP-1', '2026-02-27T10:00:00Z'), sale('PP-3', '2026-03-05T10:00:00Z', 'life')], [R1])).toBeUndefined();
  });

  it('given an earlier open referral that covers the sale too, when this one arrives, then the sale is left to the earlier one', () => {
    const earlier = snapshot({ referralId: 'R-0', registeredAt: '2026-02-20T09:00:00Z' });
    expect(saleConvertedBy(R1, [sale('PP-1', '2026-03-05T10:00:00Z')], [earlier, R1])).toBeUndefined();
  });
});
