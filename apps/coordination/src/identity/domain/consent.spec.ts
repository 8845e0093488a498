import { buildClientView } from './client-view';
import { redactClientView, visibleSubsidiaries } from './consent';
import { partyEvents, viewInputs } from './testing/view-fixtures';

describe('consent-scoped 360° view', () => {
  describe('given the client gave no group-sharing consent anywhere', () => {
    const full = buildClientView(viewInputs({ partyEvents: partyEvents() }));

    it('when life looks, then life sees its own data and only that a P&C relationship exists', () => {
      const view = redactClientView(full, 'subsidiary:life');
      expect(view.redactedSubsidiaries).toEqual(['pnc']);
      expect(view.identities).toEqual([expect.objectContaining({ subsidiary: 'life', redacted: false }), { redacted: true, subsidiary: 'pnc', relationshipExists: true }]);
      expect(view.holdings.map((h) => h.subsidiary)).toEqual(['life', 'life']);
      expect(view.claims).toEqual([]);
      expect(view.claimsSummary.total).toBe(0);
      expect(view.servicingAgents.map((a) => a.subsidiary)).toEqual(['life']);
      expect(view.relationships.map((r) => r.relationshipId)).toEqual(['REL-1', 'REL-2']);
      expect(view.tier.annualStandardPremium).toBeNull();
    });

    it('when life looks, then golden values sourced from P&C are redacted', () => {
      const view = redactClientView(full, 'subsidiary:life');
      expect(view.profile.phones).toEqual({ redacted: true });
      expect(view.profile.birthDate).toMatchObject({ subsidiary: 'life' });
      expect(JSON.stringify(view)).not.toContain('13911112222');
    });

    it('when the group subsidiary (no records) looks, then it sees neither', () =>
      expect(redactClientView(full, 'subsidiary:group').redactedSubsidiaries).toEqual(['life', 'pnc']));

    it.each(['coordinator', 'auditor', 'admin'] as const)('when %s looks, then everything is visible', (role) =>
      expect(redactClientView(full, role)).toBe(full));
  });

  describe('given the client consented at P&C only', () => {
    const full = buildClientView(viewInputs({ partyEvents: partyEvents({ pnc: true, life: false }) }));

    it('when life looks, then P&C data is visible', () => {
      const view = redactClientView(full, 'subsidiary:life');
      expect(view.redactedSubsidiaries).toEqual([]);
      expect(view.claimsSummary.total).toBe(2);
    });

    it('when P&C looks, then life data stays hidden (consent is per data owner)', () => {
      expect(visibleSubsidiaries(full, 'subsidiary:pnc')).toEqual(['pnc']);
      const view = redactClientView(full, 'subsidiary:pnc');
      expect(view.holdings.map((h) => h.policyNo)).toEqual(['PM-1']);
      expect(view.productLines.held).toEqual([{ subsidiary: 'pnc', productLine: 'MOTOR' }]);
    });
  });

  it('given consent later withdrawn, when life looks, then P&C is hidden again', () => {
    const events = [...partyEvents({ pnc: true }), ...partyEvents({ pnc: false }).slice(3)];
    const view = redactClientView(buildClientView(viewInputs({ partyEvents: events })), 'subsidiary:life');
    expect(view.redactedSubsidiaries).toEqual(['pnc']);
  });
});
