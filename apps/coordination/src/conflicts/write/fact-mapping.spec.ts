import { createEvent, type EventEnvelope, type EventType, type NewEvent } from '@lib/contracts';
import { referralDecider } from '../domain';
import { toApproach, toIssuedPolicy, toLiveRegistration, toRecentQuote, toRegisterReferral } from './fact-mapping';

const PARTY = '0d6c8c3e-1d4f-5a7b-9c2e-3f4a5b6c7d8e';

function envelope<T extends EventType>(type: T, subsidiary: 'life' | 'pnc' | 'group', payload: object, occurredAt = '2026-03-01T09:30:00+08:00'): EventEnvelope<T> {
  const input: NewEvent<T> = { type, eventId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f', subsidiary, occurredAt, correlationId: 'c-1', payload };
  const built = createEvent(input);
  if (!built.ok) throw new Error(JSON.stringify(built.issues));
  return built.event;
}

const referral = { referralId: 'R-1', clientLocalId: 'LIFE-1', productSubsidiary: 'group', productLine: 'GROUP_HEALTH', referringAgentId: 'A-1001' };

describe('fact mapping', () => {
  it('given a referral without registeredAt, when mapped, then the referrer is the publishing subsidiary and the time is occurredAt', () => {
    const command = toRegisterReferral(envelope('ReferralRegistered', 'life', referral), PARTY, 'AGENCY');
    expect(command).toEqual({
      type: 'RegisterReferral',
      data: {
        referralId: 'R-1', partyId: PARTY, productLine: 'GROUP_HEALTH', productSubsidiary: 'group',
        referrer: { agentId: 'A-1001', subsidiary: 'life', channel: 'AGENCY' }, registeredAt: '2026-03-01T09:30:00+08:00',
      },
    });
  });

  it('given a referral with registeredAt, when mapped and registered, then the window runs from registeredAt and the live registration carries it', () => {
    const event = envelope('ReferralRegistered', 'life', { ...referral, registeredAt: '2026-02-28T10:00:00Z' });
    const [registered] = referralDecider.decide(toRegisterReferral(event, PARTY, 'AGENCY'), referralDecider.initialState());
    const state = referralDecider.evolve(referralDecider.initialState(), registered);
    if (state.status === 'none') throw new Error('expected a registered referral');
    expect(toLiveRegistration(state)).toEqual({
      referralId: 'R-1', partyId: PARTY, productLine: 'GROUP_HEALTH', subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001',
      registeredAt: '2026-02-28T10:00:00Z', windowEndsAt: '2026-05-29T10:00:00.000Z',
    });
  });

  it('given a life agent selling a P&C policy, when mapped, then the policy is judged as the life agent’s sale, issued at occurredAt', () => {
    const payload = {
      policyNo: 'PP-1', productCode: 'M1', productLine: 'MOTOR', holderLocalId: 'PNC-1', insuredLocalIds: ['PNC-1'],
      premium: { amount: '3200.00', currency: 'CNY', mode: 'ANNUAL' }, effectiveDate: '2026-03-01', expiryDate: '2027-02-28',
      sellingAgentId: 'A-1001', servicingAgentId: 'P-2001', channel: 'AGENCY', referralId: 'R-9',
    };
    expect(toIssuedPolicy(envelope('PolicyIssued', 'pnc', payload), PARTY, 'life')).toEqual({
      policyNo: 'PP-1', partyId: PARTY, productLine: 'MOTOR', subsidiary: 'life', channel: 'AGENCY', servicingAgentId: 'P-2001',
      sellingAgentId: 'A-1001', issuedAt: '2026-03-01T09:30:00+08:00', referralId: 'R-9',
    });
  });

  it('given a quote activity with a price, when mapped, then the quote keeps the price; without one, no price field', () => {
    const activity = { activityId: 'ACT-1', agentId: 'G-1', clientLocalId: 'GRP-1', kind: 'quote', at: '2026-03-02T10:00:00Z', productLine: 'GROUP_HEALTH' };
    const priced = envelope('ActivityLogged', 'group', { ...activity, quotedPrice: '88000.00' });
    expect(toRecentQuote(priced, PARTY, 'GROUP_HEALTH', 'DIRECT')).toEqual({
      partyId: PARTY, productLine: 'GROUP_HEALTH', subsidiary: 'group', channel: 'DIRECT', agentId: 'G-1', quotedAt: '2026-03-02T10:00:00Z', price: '88000.00',
    });
    expect(toRecentQuote(envelope('ActivityLogged', 'group', activity), PARTY, 'GROUP_HEALTH', 'DIRECT')).not.toHaveProperty('price');
  });

  it('given a visit naming no product line, when mapped, then the approach has no line', () => {
    const visit = envelope('ActivityLogged', 'pnc', { activityId: 'ACT-2', agentId: 'P-1', clientLocalId: 'PNC-1', kind: 'visit', at: '2026-03-02T10:00:00Z' });
    expect(toApproach(visit, PARTY, 'AGENCY')).toEqual({ partyId: PARTY, subsidiary: 'pnc', channel: 'AGENCY', agentId: 'P-1', at: '2026-03-02T10:00:00Z' });
  });
});
