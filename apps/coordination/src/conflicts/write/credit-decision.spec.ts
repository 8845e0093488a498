import type { IndexedConflict } from '../persistence/conflict-index';
import { creditDecisionForSale } from './credit-decision';

const sale = { policyNo: 'PH-8', productSubsidiary: 'pnc' as const };
const conflict = (conflictId: string, decided: boolean): IndexedConflict => ({
  conflictId, status: decided ? 'auto-resolved' : 'queued', productSubsidiary: 'pnc', referralIds: ['R-8'],
  decision: decided
    ? { conflictId, partyId: 'P-1', productLine: 'HOME', mode: 'award', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }] }
    : null,
});

describe('creditDecisionForSale', () => {
  it.each([
    ['no conflict', [], [], undefined],
    ['the sale\'s own decided conflict', [conflict('C-own', true)], [conflict('C-ref', true)], { status: 'decided', id: 'C-own' }],
    ['its own conflict still queued (a coordinator decides)', [conflict('C-own', false)], [conflict('C-ref', true)], { status: 'pending', id: 'C-own' }],
    ['only a decided conflict about the referral it converted', [], [conflict('C-ref', true)], { status: 'decided', id: 'C-ref' }],
    ['a queued conflict about its referral beside a decided one', [], [conflict('C-ref', true), conflict('C-q', false)], { status: 'pending', id: 'C-q' }],
  ] as const)('given %s, then the sale is credited accordingly', (_name, own, ofReferral, expected) => {
    const decision = creditDecisionForSale([...own], [...ofReferral], sale);
    if (!expected) return expect(decision).toBeUndefined();
    expect(decision?.status).toBe(expected.status);
    const id = decision?.status === 'pending' ? decision.conflictId : decision?.decision.conflictId;
    expect(id).toBe(expected.id);
    if (decision?.status === 'decided') expect(decision.decision).toMatchObject({ policyNo: 'PH-8', productSubsidiary: 'pnc' });
  });
});
