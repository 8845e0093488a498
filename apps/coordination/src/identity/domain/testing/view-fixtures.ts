import { ClientViewInputs } from '../client-view';
import { HoldingFact } from '../client-view.types';
import { PartyEvent } from '../party.events';
import { person, T0, T1 } from './fixtures';

export const lifeRecord = person();
export const pncRecord = person({ subsidiary: 'pnc', localId: 'PNC-1', identity: undefined, phones: ['13911112222'], verified: true, occurredAt: T1 });

export function holding(overrides: Partial<HoldingFact> = {}): HoldingFact {
  return {
    subsidiary: 'life', policyNo: 'LP-2026-000001', productCode: 'WL20', productLine: 'WHOLE_LIFE', role: 'holder',
    status: 'in-force', premium: { amount: '12000.00', currency: 'CNY', mode: 'ANNUAL' }, annualStandardPremium: '12000.00',
    sellingAgentId: 'A-1001', servicingAgentId: 'A-1001', effectiveDate: '2026-03-01', expiryDate: '2046-02-28',
    ...overrides,
  };
}

export const partyEvents = (consent: { life?: boolean; pnc?: boolean } = {}): PartyEvent[] => [
  { type: 'PartyRegistered', data: { partyId: 'P1', kind: 'person', registeredAt: T0 } },
  { type: 'SourceRecordLinked', data: { partyId: 'P1', record: lifeRecord, method: 'origin', score: null, evidence: [], linkedAt: T0 } },
  { type: 'SourceRecordLinked', data: { partyId: 'P1', record: pncRecord, method: 'probabilistic', score: 0.999, evidence: [], linkedAt: T1 } },
  ...(['life', 'pnc'] as const)
    .filter((s) => consent[s] !== undefined)
    .map((s): PartyEvent => ({
      type: 'ConsentChanged',
      data: { partyId: 'P1', subsidiary: s, localId: s === 'life' ? lifeRecord.localId : pncRecord.localId, groupSharing: consent[s]!, marketing: false, changedAt: T1 },
    })),
];

export const viewInputs = (overrides: Partial<ClientViewInputs> = {}): ClientViewInputs => ({
  partyEvents: partyEvents(),
  holdings: [
    holding(),
    holding({ subsidiary: 'pnc', policyNo: 'PM-1', productCode: 'AUTO', productLine: 'MOTOR', premium: { amount: '4000.00', currency: 'CNY', mode: 'ANNUAL' }, annualStandardPremium: '40000.00', servicingAgentId: 'P-77', sellingAgentId: 'A-1001' }),
    holding({ policyNo: 'LP-OLD', status: 'lapsed', annualStandardPremium: '9000.00', servicingAgentId: 'A-0001' }),
  ],
  claims: [
    { subsidiary: 'pnc', claimId: 'CL-1', policyNo: 'PM-1', status: 'settled', reportedAt: T0, paidAmount: '3200.50' },
    { subsidiary: 'pnc', claimId: 'CL-2', policyNo: 'PM-1', status: 'reported', reportedAt: T1, paidAmount: null },
  ],
  relationships: [
    { relationshipId: 'REL-1', subsidiary: 'life', type: 'spouse', fromPartyId: 'P1', toPartyId: 'P2', declaredAt: T0 },
    { relationshipId: 'REL-2', subsidiary: 'life', type: 'beneficiary', fromPartyId: 'P3', toPartyId: 'P1', declaredAt: T0 },
    { relationshipId: 'REL-3', subsidiary: 'pnc', type: 'officer-of', fromPartyId: 'P1', toPartyId: 'ORG-1', declaredAt: T1 },
  ],
  openReferralIds: ['R-2', 'R-1'],
  openConflictIds: ['C-1'],
  allProductLines: [
    { subsidiary: 'life', productLine: 'WHOLE_LIFE' }, { subsidiary: 'life', productLine: 'ANNUITY' },
    { subsidiary: 'pnc', productLine: 'MOTOR' }, { subsidiary: 'pnc', productLine: 'HOME' },
    { subsidiary: 'group', productLine: 'GROUP_HEALTH' },
  ],
  asOf: '2026-03-10T00:00:00.000Z',
  ...overrides,
});
