import { createEvent } from '@lib/contracts';
import type { PolicyRecordedData } from '../../portfolio/portfolio.events';
import { conflictDecisionOf, issuedTransaction, LifecycleEvent, lifecycleTransaction, PolicyFacts } from './transaction.mapping';

const recorded: PolicyRecordedData = {
  subsidiary: 'pnc', policyNo: 'PP-1', partyId: 'party-1', holderLocalId: 'PNC-1', insured: [], beneficiaries: [], productCode: 'M01',
  productLine: 'MOTOR', premium: { amount: '4200.00', currency: 'CNY', mode: 'ANNUAL' }, standardPremium: null, effectiveDate: '2026-03-01',
  expiryDate: '2027-02-28', sellingAgentId: 'P-1', sellingSubsidiary: 'pnc', sellingChannel: 'AGENCY', servicingAgentId: 'P-1', channel: 'AGENCY',
  referralId: 'R-1', productSpecialistId: null, quotedPrice: null, issuedAt: '2026-03-01T09:00:00+08:00',
};
const lifeReferral = { referralId: 'R-1', linkedBy: 'referralId' as const, referrer: { subsidiary: 'life' as const, agentId: 'A-1', channel: 'AGENCY' } };

describe('PolicyIssued → domain transaction', () => {
  it('credits the policy as reported when no referral crossed subsidiaries', () => {
    const { transaction } = issuedTransaction('evt-1', recorded);
    expect(transaction).toMatchObject({ kind: 'Issued', transactionId: 'evt-1', productSubsidiary: 'pnc', productLine: 'MOTOR', sellingAgentId: 'P-1', sellingSubsidiary: 'pnc', channel: 'AGENCY' });
    expect(transaction.conflictDecision).toBeUndefined();
  });

  it("makes another subsidiary's referrer the sales side of a policy the product subsidiary's own agent wrote", () => {
    const { transaction } = issuedTransaction('evt-1', recorded, lifeReferral);
    expect(transaction).toMatchObject({ sellingAgentId: 'A-1', sellingSubsidiary: 'life', channel: 'AGENCY', servicingAgentId: 'P-1', referralId: 'R-1' });
  });

  it('keeps a cross-subsidiary seller even when a referral is linked', () => {
    const { transaction } = issuedTransaction('evt-1', { ...recorded, sellingAgentId: 'G-1', sellingSubsidiary: 'group', sellingChannel: 'GROUP_ACCOUNT' }, lifeReferral);
    expect(transaction).toMatchObject({ sellingAgentId: 'G-1', sellingSubsidiary: 'group' });
  });

  it('withholds the sales leg while a conflict is queued, and applies a decided split', () => {
    expect(issuedTransaction('evt-1', recorded, undefined, { status: 'pending', conflictId: 'C-9' })).toMatchObject({ transaction: { conflictDecision: { kind: 'reject-both' } }, pendingConflictId: 'C-9' });
    const split = { conflictId: 'C-9', partyId: 'party-1', productLine: 'MOTOR', mode: 'split' as const, shares: [{ subsidiary: 'life' as const, agentId: 'A-1', pct: '60.00' }, { subsidiary: 'pnc' as const, agentId: 'P-1', pct: '40.00' }] };
    expect(issuedTransaction('evt-1', recorded, undefined, { status: 'decided', decision: split }).transaction.conflictDecision).toEqual({ kind: 'split', shares: [{ agentId: 'A-1', percent: '60.00' }, { agentId: 'P-1', percent: '40.00' }] });
  });
});

describe("conflicts' decisions in credit terms", () => {
  it.each([
    ['award', [{ agentId: 'A-1', pct: '100.00' }], { kind: 'award', agentId: 'A-1' }],
    ['reject', [], { kind: 'reject-both' }],
  ] as const)('%s', (mode, shares, expected) => {
    expect(conflictDecisionOf({ mode, shares })).toEqual(expected);
  });
});

describe('lifecycle events → domain transactions', () => {
  const facts: PolicyFacts = {
    subsidiary: 'pnc', policyNo: 'PP-1', partyId: 'party-1', productLine: 'MOTOR', premiumAmount: '4200.00', premiumMode: 'ANNUAL',
    effectiveDate: '2026-03-01', expiryDate: '2027-02-28', sellingAgentId: 'P-1', servicingAgentId: 'P-2', sellingSubsidiary: 'pnc',
    sellingChannel: 'AGENCY', referralId: null, productSpecialistId: null,
  };
  const event = <T extends LifecycleEvent['type']>(type: T, payload: object) => {
    const parsed = createEvent({ type, eventId: '5f0c6a2e-1d3b-4c5a-9e7f-0a1b2c3d4e5f', subsidiary: 'pnc', occurredAt: '2026-06-01T10:00:00+08:00', correlationId: 'c-1', payload });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return parsed.event as LifecycleEvent;
  };

  it('a renewal carries its new term and premium, and the servicing agent the subsidiary reported', () => {
    const renewal = event('PolicyRenewed', { policyNo: 'PP-1', newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: { amount: '3900.00', currency: 'CNY', mode: 'ANNUAL' }, servicingAgentId: 'P-1' });
    expect(lifecycleTransaction(renewal, facts)).toMatchObject({ kind: 'Renewed', effectiveDate: '2027-03-01', expiryDate: '2028-02-29', premium: { amount: '3900.00', mode: 'ANNUAL' }, servicingAgentId: 'P-1' });
    const unnamed = event('PolicyRenewed', { policyNo: 'PP-1', newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: { amount: '3900.00', currency: 'CNY', mode: 'ANNUAL' } });
    expect(lifecycleTransaction(unnamed, facts).servicingAgentId).toBe('P-2');
  });

  it('an endorsement credits its premium delta; a cancellation takes effect on its own date', () => {
    expect(lifecycleTransaction(event('PolicyEndorsed', { policyNo: 'PP-1', effectiveDate: '2026-06-01', premiumDelta: '-350.00', reason: 'cover reduced' }), facts))
      .toMatchObject({ kind: 'Endorsed', effectiveDate: '2026-06-01', premiumDelta: '-350.00', premium: { amount: '4200.00' } });
    expect(lifecycleTransaction(event('PolicyCancelled', { policyNo: 'PP-1', effectiveDate: '2026-03-05', reason: 'cooling-off' }), facts))
      .toMatchObject({ kind: 'Cancelled', effectiveDate: '2026-03-05', transactionId: '5f0c6a2e-1d3b-4c5a-9e7f-0a1b2c3d4e5f' });
  });
});
