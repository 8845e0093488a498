/** Portfolio events as the lead's portfolio handler appends them, for tests of the 360° view. */
import type { EventStore } from '@lib/event-store';
import { randomUUID } from 'node:crypto';
import { policyStreamId, type PolicyRecordedData } from '../../portfolio/portfolio.events';
import type { PolicyEvent } from '../projections/policy-fold';

type Sub = 'life' | 'pnc' | 'group';

export function policyRecorded(subsidiary: Sub, policyNo: string, partyId: string, holderLocalId: string, o: Partial<PolicyRecordedData> = {}): PolicyEvent {
  return {
    type: 'PolicyRecorded',
    data: {
      subsidiary, policyNo, partyId, holderLocalId, insured: [{ localId: holderLocalId, partyId }], beneficiaries: [],
      productCode: 'P1', productLine: subsidiary === 'pnc' ? 'MOTOR' : subsidiary === 'life' ? 'LIFE_WHOLE' : 'GROUP_HEALTH',
      premium: { amount: '5000.00', currency: 'CNY', mode: 'ANNUAL' }, standardPremium: '5000.00',
      effectiveDate: '2026-03-01', expiryDate: '2027-02-28', sellingAgentId: 'A-1', sellingSubsidiary: subsidiary, sellingChannel: 'AGENCY',
      servicingAgentId: 'A-1', channel: 'AGENCY', referralId: null, productSpecialistId: null, quotedPrice: null,
      issuedAt: '2026-03-01T00:00:00.000Z', ...o,
    },
  };
}

export async function appendPolicyEvent(store: EventStore, event: PolicyEvent): Promise<void> {
  await store.append(policyStreamId(event.data.subsidiary, event.data.policyNo), [{ eventId: randomUUID(), type: event.type, data: event.data }], 'any');
}
