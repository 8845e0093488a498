import type { PolicyRecordedData } from '../../portfolio/portfolio.events';
import { annualStandardPremium, applyPolicyEvent, claimsFor, holdingsFor, partyKeysOf, PolicyEvent, PolicyFact } from './policy-fold';

const recorded = (overrides: Partial<PolicyRecordedData> = {}): PolicyEvent => ({
  type: 'PolicyRecorded',
  data: {
    subsidiary: 'life', policyNo: 'LP-1', partyId: 'p-holder', holderLocalId: 'L-1',
    insured: [{ localId: 'L-1', partyId: 'p-holder' }, { localId: 'L-2', partyId: null }],
    beneficiaries: [{ localId: 'L-3', partyId: 'p-b', sharePct: 100 }],
    productCode: 'WL20', productLine: 'LIFE_WHOLE', premium: { amount: '1000.00', currency: 'CNY', mode: 'MONTHLY' },
    standardPremium: '9600.00', effectiveDate: '2026-03-01', expiryDate: '2046-02-28', sellingAgentId: 'A-1', sellingSubsidiary: 'life',
    sellingChannel: 'AGENCY', servicingAgentId: 'A-1', channel: 'AGENCY', referralId: null, productSpecialistId: null, quotedPrice: null,
    issuedAt: '2026-03-01T00:00:00.000Z', ...overrides,
  },
});

const fold = (events: PolicyEvent[]): PolicyFact => {
  const fact = events.reduce<PolicyFact | null>(applyPolicyEvent, null);
  if (!fact) throw new Error('no policy');
  return fact;
};
const common = { subsidiary: 'life' as const, policyNo: 'LP-1', partyId: 'p-holder' };

describe('policy fold', () => {
  it('given a recorded policy, then everyone it names has a party key', () => {
    expect(partyKeysOf(fold([recorded()]))).toEqual(['life:L-1', 'life:L-2', 'life:L-3']);
  });

  it('given an event before the policy was recorded, then nothing is folded', () => {
    expect(applyPolicyEvent(null, { type: 'PolicyServicingReassigned', data: { ...common, fromAgentId: 'A-1', toAgentId: 'A-2', rule: 'r', effectiveDate: '2026-04-01' } })).toBeNull();
  });

  it('given an endorsement, then premium and standard premium move by the deltas in exact decimals', () => {
    const fact = fold([recorded(), {
      type: 'PolicyEndorsementRecorded',
      data: { ...common, endorsementNo: 'E-1', effectiveDate: '2026-05-01', premiumDelta: '-0.10', standardPremiumDelta: '-0.96', reason: 'r' },
    }]);
    expect(fact.premium.amount).toBe('999.90');
    expect(fact.standardPremium).toBe('9599.04');
  });

  it('given a renewal, a status change and a reassignment, then the latest of each shows', () => {
    const fact = fold([
      recorded(),
      { type: 'PolicyRenewalRecorded', data: { ...common, newEffectiveDate: '2046-03-01', newExpiryDate: '2066-02-28', premium: { amount: '1200.00', currency: 'CNY', mode: 'MONTHLY' }, standardPremium: null, servicingAgentId: 'A-2' } },
      { type: 'PolicyStatusChanged', data: { ...common, from: 'in-force', to: 'lapsed', cause: 'lapsed', effectiveDate: '2046-06-01', reason: null, refund: null } },
      { type: 'PolicyServicingReassigned', data: { ...common, fromAgentId: 'A-2', toAgentId: 'A-3', rule: 'orphan', effectiveDate: '2046-07-01' } },
    ]);
    expect(fact).toMatchObject({ status: 'lapsed', servicingAgentId: 'A-3', expiryDate: '2066-02-28', standardPremium: null });
    // Without a catalogue figure the annualised premium stands in: 1200 x 12.
    expect(annualStandardPremium(fact)).toBe('14400.00');
  });

  it('given claims reported and settled (one declined with 0.00), then their statuses and amounts', () => {
    const fact = fold([
      recorded(),
      { type: 'ClaimRecorded', data: { ...common, claimNo: 'C-2', reportedAt: '2026-04-01T00:00:00Z', amountClaimed: '500.00' } },
      { type: 'ClaimRecorded', data: { ...common, claimNo: 'C-1', reportedAt: '2026-04-02T00:00:00Z', amountClaimed: '80.00' } },
      { type: 'ClaimSettlementRecorded', data: { ...common, claimNo: 'C-2', settledAt: '2026-04-10T00:00:00Z', amountPaid: '450.00' } },
      { type: 'ClaimSettlementRecorded', data: { ...common, claimNo: 'C-1', settledAt: '2026-04-11T00:00:00Z', amountPaid: '0.00' } },
    ]);
    expect(fact.claims.map((c) => [c.claimId, c.status, c.paidAmount, c.reportedAt])).toEqual([
      ['C-1', 'rejected', '0.00', '2026-04-02T00:00:00Z'],
      ['C-2', 'settled', '450.00', '2026-04-01T00:00:00Z'],
    ]);
  });
});

describe('holdings and claims per party', () => {
  const fact = fold([recorded(), { type: 'ClaimRecorded', data: { ...common, claimNo: 'C-1', reportedAt: '2026-04-01T00:00:00Z', amountClaimed: '1.00' } }]);

  it.each([
    [['life:L-1'], 'holder'],
    [['life:L-2'], 'insured'],
    [['life:L-3'], 'beneficiary'],
  ])('given a party with links %j, then one holding as %s', (keys, role) => {
    expect(holdingsFor(fact, new Set(keys)).map((h) => h.role)).toEqual([role]);
  });

  it('given a party that is holder and insured, then one holding, as holder, with the annual standard premium', () => {
    const holdings = holdingsFor(fact, new Set(['life:L-1', 'life:L-2']));
    expect(holdings).toEqual([expect.objectContaining({ role: 'holder', annualStandardPremium: '9600.00', status: 'in-force' })]);
  });

  it('given a stranger or the same local id in another subsidiary, then no holding', () => {
    expect(holdingsFor(fact, new Set(['pnc:L-1', 'life:L-9']))).toEqual([]);
  });

  it('given claims, then only the holder sees them', () => {
    expect(claimsFor(fact, new Set(['life:L-1']))).toHaveLength(1);
    expect(claimsFor(fact, new Set(['life:L-2']))).toEqual([]);
  });
});
