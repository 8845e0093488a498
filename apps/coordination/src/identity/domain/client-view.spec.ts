import { buildClientView, relationshipsOf } from './client-view';
import { T0 } from './testing/fixtures';
import { viewInputs } from './testing/view-fixtures';

describe('360° client view', () => {
  const view = buildClientView(viewInputs());

  it('lists one identity per subsidiary record with the masked number and never the hash', () => {
    expect(view.subsidiaries).toEqual(['life', 'pnc']);
    expect(view.identities.map((i) => [i.subsidiary, i.redacted ? 'hidden' : (i.identity?.masked ?? null)])).toEqual([
      ['life', '4201**********5872'], ['pnc', null],
    ]);
    expect(JSON.stringify(view)).not.toContain('hmac-a1');
  });

  it('cites the source of each golden value', () => {
    expect(view.profile.birthDate).toMatchObject({ value: '1989-12-23', subsidiary: 'life' });
    expect(view.profile.phones).toMatchObject({ value: ['13911112222'], subsidiary: 'pnc' });
  });

  it('summarises holdings per subsidiary and product line in decimal', () =>
    expect(view.holdingsSummary).toEqual([
      { subsidiary: 'life', productLine: 'WHOLE_LIFE', policies: 2, inForce: 1, annualStandardPremium: '12000.00' },
      { subsidiary: 'pnc', productLine: 'MOTOR', policies: 1, inForce: 1, annualStandardPremium: '40000.00' },
    ]));

  it('computes the tier from in-force standard premium across subsidiaries', () =>
    expect(view.tier).toEqual({ tier: 'strategic', annualStandardPremium: '52000.00' }));

  it('summarises claims', () =>
    expect(view.claimsSummary).toEqual({
      total: 2, open: 1, settled: 1, paidAmount: '3200.50',
      bySubsidiary: [{ subsidiary: 'pnc', total: 2, open: 1, paidAmount: '3200.50' }],
    }));

  it('lists servicing agents of in-force policies per subsidiary', () =>
    expect(view.servicingAgents).toEqual([
      { subsidiary: 'life', agentId: 'A-1001', policyNos: ['LP-2026-000001'] },
      { subsidiary: 'pnc', agentId: 'P-77', policyNos: ['PM-1'] },
    ]));

  it('shows cross-sell gaps against the group catalogue', () => {
    expect(view.productLines.held).toEqual([{ subsidiary: 'life', productLine: 'WHOLE_LIFE' }, { subsidiary: 'pnc', productLine: 'MOTOR' }]);
    expect(view.productLines.notHeld).toEqual([
      { subsidiary: 'group', productLine: 'GROUP_HEALTH' }, { subsidiary: 'life', productLine: 'ANNUITY' }, { subsidiary: 'pnc', productLine: 'HOME' },
    ]);
  });

  it('carries open referral and conflict ids, sorted', () => {
    expect(view.openReferralIds).toEqual(['R-1', 'R-2']);
    expect(view.openConflictIds).toEqual(['C-1']);
  });

  describe('relationships read both ways', () => {
    const facts = viewInputs().relationships;
    it('given P1 declared spouse of P2, then P2 sees P1 as spouse (incoming)', () =>
      expect(relationshipsOf('P2', facts)).toEqual([{ relationshipId: 'REL-1', role: 'spouse', direction: 'incoming', otherPartyId: 'P1', subsidiary: 'life', declaredAt: T0 }]));

    it('given P3 is beneficiary of P1, then P1 has a beneficiary and P3 is a beneficiary', () => {
      expect(view.relationships.find((r) => r.relationshipId === 'REL-2')).toMatchObject({ role: 'has-beneficiary', otherPartyId: 'P3', direction: 'incoming' });
      expect(relationshipsOf('P3', facts)[0]).toMatchObject({ role: 'beneficiary', otherPartyId: 'P1', direction: 'outgoing' });
    });

    it('given P1 is an officer of ORG-1, then the company sees its officer (public-private linkage)', () =>
      expect(relationshipsOf('ORG-1', facts)[0]).toMatchObject({ role: 'has-officer', otherPartyId: 'P1' }));

    it('given a child declaration, then the other end is the parent', () => {
      const child = [{ relationshipId: 'REL-9', subsidiary: 'life' as const, type: 'child' as const, fromPartyId: 'KID', toPartyId: 'MUM', declaredAt: T0 }];
      expect(relationshipsOf('MUM', child)[0]).toMatchObject({ role: 'parent', otherPartyId: 'KID' });
      expect(relationshipsOf('KID', child)[0]).toMatchObject({ role: 'child', otherPartyId: 'MUM' });
    });
  });
});
