import {
  clientPayloadFromInput, createEvent, EXAMPLE_IDENTITY_KEY, EXAMPLE_PERSON_INPUT, EXAMPLE_POLICY_INPUT, type PolicyInput,
} from '@lib/contracts';
import { join } from 'node:path';
import { Catalogue } from '../catalogue/catalogue';
import { agentOnboardedPayload, policyEndorsedPayload, policyIssuedPayload, policyRenewedPayload } from './payload-mapping';

const life = Catalogue.load(join(__dirname, '..', '..', '..', '..', 'apps', 'life', 'catalogue.json'), 'life');
const envelope = { eventId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f', subsidiary: 'life' as const, occurredAt: '2026-03-01T09:30:00.000+08:00', correlationId: 'c-1' };

describe('request -> canonical event', () => {
  it('given a WL20 policy sold through the local agency code, the PolicyIssued carries line, group channel, local code and standard premium', () => {
    const input: PolicyInput = { ...EXAMPLE_POLICY_INPUT, channel: undefined, localChannelCode: 'GX01', premium: { amount: '1000.00', currency: 'CNY', mode: 'MONTHLY' } };
    const payload = policyIssuedPayload(input, life.productFor('WL20', 'MONTHLY'), life.resolveChannel(input));
    expect(payload).toMatchObject({ productCode: 'WL20', productLine: 'LIFE_WHOLE', channel: 'AGENCY', localChannelCode: 'GX01', standardPremium: '12000.00' });
    expect(createEvent({ ...envelope, type: 'PolicyIssued', payload }).ok).toBe(true);
  });

  it('given only the group channel, the event has no local channel code', () => {
    const payload = policyIssuedPayload(EXAMPLE_POLICY_INPUT as PolicyInput, life.product('WL20'), life.resolveChannel(EXAMPLE_POLICY_INPUT));
    expect(payload).not.toHaveProperty('localChannelCode');
    expect(payload.channel).toBe('AGENCY');
  });

  it('given a single-premium annuity, counts 10% of it', () => {
    const input = { ...EXAMPLE_POLICY_INPUT, productCode: 'ANSP', premium: { amount: '500000.00', currency: 'CNY', mode: 'SINGLE' } } as PolicyInput;
    expect(policyIssuedPayload(input, life.productFor('ANSP', 'SINGLE'), { channel: 'BANCASSURANCE' }).standardPremium).toBe('50000.00');
  });

  it('a renewal takes the policy number from the path and recomputes the standard premium', () => {
    const payload = policyRenewedPayload('LP-1', {
      newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29', premium: { amount: '800.00', currency: 'CNY', mode: 'ANNUAL' },
    }, life.product('TL10'));
    expect(payload).toEqual(expect.objectContaining({ policyNo: 'LP-1', standardPremium: '480.00' }));
    expect(createEvent({ ...envelope, type: 'PolicyRenewed', payload }).ok).toBe(true);
  });

  it("an endorsement's premium change is weighted by the policy's mode", () => {
    const payload = policyEndorsedPayload('LP-1', { effectiveDate: '2026-06-01', premiumDelta: '-50.00', reason: 'rider removed' }, life.product('TL10'), 'MONTHLY');
    expect(payload.standardPremiumDelta).toBe('-360.00');
    expect(createEvent({ ...envelope, type: 'PolicyEndorsed', payload }).ok).toBe(true);
  });

  it('an agent onboarded with a local channel code is published with the group channel', () => {
    const payload = agentOnboardedPayload({ agentId: 'A-1', name: '李娜', localChannelCode: 'YB01', branchId: 'BJ-01', teamId: 'T1', leaderId: null, joinedAt: '2026-01-05' }, life.resolveChannel({ localChannelCode: 'YB01' }));
    expect(payload).toEqual(expect.objectContaining({ channel: 'BANCASSURANCE', localChannelCode: 'YB01' }));
    expect(createEvent({ ...envelope, type: 'AgentOnboarded', payload }).ok).toBe(true);
  });

  it('a person is published with hash, mask and ciphertext of the identity number, never the number itself', () => {
    const payload = clientPayloadFromInput(EXAMPLE_PERSON_INPUT as never, { hashKey: EXAMPLE_IDENTITY_KEY, encrypt: () => 'v1.aaaaaaaaaaaa.bbbbbbbbbbbb.cccc' });
    const json = JSON.stringify(payload);
    expect(json).not.toContain(EXAMPLE_PERSON_INPUT.identity.number);
    expect(payload).toMatchObject({ identity: { type: 'RESIDENT_ID', masked: '420***********5872' } });
    expect(createEvent({ ...envelope, type: 'ClientRegistered', payload }).ok).toBe(true);
  });
});
