import type { PolicyRecordedData } from '../../portfolio/portfolio.events';
import { annualStandardPremium, applyPolicyEvent, claimsFor, holdingsFor, partyKeysOf, PolicyEvent, PolicyFact, RecordedPolicyEvent } from './policy-fold';

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

const fold = (events: RecordedPolicyEvent[]): PolicyFact => {
  const fact = events.reduce<PolicyFact | null>((f, e) => applyPolicyEvent(f, e), null);
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

  describe('given endorsements dated in the first and the renewed term, in every arrival order after the issue', () => {
    // 1000 a month (catalogue 9600) from 1 March 2026; renewed from 1 March 2046 at 1200 a month (catalogue 11520).
    const renewal: RecordedPolicyEvent = {
      type: 'PolicyRenewalRecorded',
      data: { ...common, newEffectiveDate: '2046-03-01', newExpiryDate: '2066-02-28', premium: { amount: '1200.00', currency: 'CNY', mode: 'MONTHLY' }, standardPremium: '11520.00', servicingAgentId: 'A-1' },
    };
    const endorsed = (eventId: string, effectiveDate: string, premiumDelta: string, standardPremiumDelta: string | null): RecordedPolicyEvent => ({
      type: 'PolicyEndorsementRecorded', eventId, data: { ...common, endorsementNo: null, effectiveDate, premiumDelta, standardPremiumDelta, reason: 'r' },
    });
    const facts = [renewal, endorsed('e-1', '2030-05-01', '100.00', '960.00'), endorsed('e-2', '2050-05-01', '-50.00', '-480.00'), endorsed('e-3', '2046-03-01', '10.00', null)];
    const orders = (items: RecordedPolicyEvent[]): RecordedPolicyEvent[][] =>
      items.length <= 1 ? [items] : items.flatMap((item, i) => orders([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));

    it.each(orders(facts).map((order) => [order.map((e) => e.eventId ?? 'renewal').join(' '), order]))('%s: then the renewed term at its renewal premium changed by the endorsements dated in it only', (_, order) => {
      const fact = fold([recorded(), ...order]);
      // e-1 ended with the first term; e-3 (on the renewal's first day, no catalogue change) and e-2 change the renewed term.
      expect(fact).toMatchObject({ effectiveDate: '2046-03-01', expiryDate: '2066-02-28', premium: { amount: '1160.00', mode: 'MONTHLY' }, standardPremium: '11040.00' });
      expect(annualStandardPremium(fact)).toBe('11040.00');
    });

    it('then before the renewal the first term shows with its own endorsement only', () => {
      const fact = fold([recorded(), facts[3], facts[2], facts[1]]);
      expect(fact).toMatchObject({ effectiveDate: '2026-03-01', premium: { amount: '1100.00' }, standardPremium: '10560.00' });
    });

    it('then an endorsement folded twice (the same recorded event) counts once', () => {
      expect(fold([recorded(), renewal, facts[2], facts[2]]).premium.amount).toBe('1150.00');
    });

    it('then without a catalogue figure the endorsed premium annualised stands in', () => {
      const fact = fold([recorded({ standardPremium: null }), { ...renewal, data: { ...renewal.data, standardPremium: null } } as RecordedPolicyEvent, facts[2], facts[1]]);
      expect(annualStandardPremium(fact)).toBe('13800.00');
    });
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

  describe('given a cancellation dated in the first term and a renewal, in either arrival order (as the portfolio records them)', () => {
    const renewal = (policyStatus: 'in-force' | 'cancelled'): RecordedPolicyEvent => ({ type: 'PolicyRenewalRecorded', data: {
      ...common, newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: { amount: '1000.00', currency: 'CNY', mode: 'MONTHLY' }, standardPremium: null,
      servicingAgentId: 'A-1', policyStatus,
    } });
    const cancellation = (effectiveDate: string, from: 'in-force' | 'cancelled', policyStatus: 'in-force' | 'cancelled'): RecordedPolicyEvent => ({
      type: 'PolicyStatusChanged', data: { ...common, from, to: 'cancelled', cause: 'cancelled', effectiveDate, reason: null, refund: null, policyStatus },
    });
    const issued = recorded({ effectiveDate: '2026-03-01', expiryDate: '2027-02-28' });

    it('then in force in its renewed term, as the portfolio row reads it, whichever came first', () => {
      expect(fold([issued, cancellation('2026-05-01', 'in-force', 'cancelled'), renewal('in-force')]).status).toBe('in-force');
      expect(fold([issued, renewal('in-force'), cancellation('2026-05-01', 'in-force', 'in-force')]).status).toBe('in-force');
    });

    it('then cancelled when the cancellation is dated in the renewed term, whichever came first', () => {
      expect(fold([issued, renewal('in-force'), cancellation('2027-06-01', 'in-force', 'cancelled')]).status).toBe('cancelled');
      expect(fold([issued, cancellation('2027-06-01', 'in-force', 'cancelled'), renewal('cancelled')]).status).toBe('cancelled');
    });

    it('then, on events recorded before the status after them was kept, as before: the reported status, a renewal changing none', () => {
      const { policyStatus: _renewed, ...renewedBefore } = (renewal('in-force') as Extract<RecordedPolicyEvent, { type: 'PolicyRenewalRecorded' }>).data;
      const { policyStatus: _cancelled, ...cancelledBefore } = (cancellation('2026-05-01', 'in-force', 'in-force') as Extract<RecordedPolicyEvent, { type: 'PolicyStatusChanged' }>).data;
      expect(fold([issued, { type: 'PolicyRenewalRecorded', data: renewedBefore }, { type: 'PolicyStatusChanged', data: cancelledBefore }]).status).toBe('cancelled');
      expect(fold([issued, { type: 'PolicyStatusChanged', data: cancelledBefore }, { type: 'PolicyRenewalRecorded', data: renewedBefore }]).status).toBe('cancelled');
    });
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
