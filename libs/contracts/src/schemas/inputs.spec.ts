import {
  AgentInputSchema, ClientInputSchema, clientInputSchemaAsOf, clientPayloadFromInput, ClientRegisteredPayloadSchema,
  EXAMPLE_IDENTITY_KEY, EXAMPLE_ORGANIZATION_INPUT, EXAMPLE_PAYLOADS, EXAMPLE_PERSON_INPUT, EXAMPLE_POLICY_INPUT,
  identityHash, parseWith, PolicyInputSchema, PolicyRenewalInputSchema,
} from '@lib/contracts';
import { z } from 'zod';
import { DELETE, mutate } from '../testing/mutate';

const pathsOf = (schema: z.ZodType, value: unknown) => {
  const result = parseWith(schema, value);
  return result.ok ? [] : result.issues.map((i) => i.path);
};

describe('REST input schemas', () => {
  it.each([
    ['the person of ARCHITECTURE.md', EXAMPLE_PERSON_INPUT],
    ['the organization of ARCHITECTURE.md', EXAMPLE_ORGANIZATION_INPUT],
    ['a person whose id is written with spaces and a lower-case x', { ...EXAMPLE_PERSON_INPUT, birthDate: '1949-12-31', identity: { type: 'RESIDENT_ID', number: '110105 19491231 002x' } }],
  ])('given %s, then ClientInput accepts it', (_case, body) => {
    expect(pathsOf(ClientInputSchema, body)).toEqual([]);
  });

  it.each([
    ['a resident id with a wrong check digit', 'identity.number', '420106198912235873', ['identity.number']],
    ['a birth date the resident id contradicts', 'birthDate', '1989-12-24', ['birthDate']],
    ['an unknown document type', 'identity.type', 'DRIVING_LICENCE', ['identity.type']],
    ['a hashed identity (REST takes the number)', 'identity', { type: 'RESIDENT_ID', hash: 'a'.repeat(64), masked: '420***********5872' }, ['identity.number', 'identity.hash', 'identity.masked']],
  ])('given a person with %s, then it is rejected at %s', (_case, path, value, expected) => {
    expect(pathsOf(ClientInputSchema, mutate(EXAMPLE_PERSON_INPUT, path, value)).sort()).toEqual([...expected].sort());
  });

  it('given an invalid identity number, then the issue message does not repeat the number', () => {
    const result = parseWith(ClientInputSchema, mutate(EXAMPLE_PERSON_INPUT, 'identity.number', '420106198912235873'));
    expect(JSON.stringify(result)).not.toContain('420106198912235873');
  });

  it('given a birth date after today, when validated as of today, then birthDate is rejected', () => {
    const baby = { ...EXAMPLE_PERSON_INPUT, identity: undefined, birthDate: '2026-03-02' };
    expect(pathsOf(clientInputSchemaAsOf('2026-03-01'), baby)).toEqual(['birthDate']);
    expect(pathsOf(clientInputSchemaAsOf('2026-03-02'), baby)).toEqual([]);
  });

  it('given the policy body of ARCHITECTURE.md, then PolicyInput accepts it without productLine', () => {
    expect(pathsOf(PolicyInputSchema, EXAMPLE_POLICY_INPUT)).toEqual([]);
  });

  it.each([
    ['productLine (derived by the service)', 'productLine', 'LIFE_WHOLE', ['productLine']],
    ['neither channel nor localChannelCode', 'channel', DELETE, ['channel']],
    ['expiry on the effective date', 'expiryDate', '2026-03-01', ['expiryDate']],
  ])('given a policy body with %s, then it is rejected', (_case, path, value, expected) => {
    expect(pathsOf(PolicyInputSchema, mutate(EXAMPLE_POLICY_INPUT, path, value))).toEqual(expected);
  });

  it('given only a local channel code, then PolicyInput and AgentInput leave channel to the mapping', () => {
    const { channel: _p, ...policy } = EXAMPLE_POLICY_INPUT;
    const { channel: _a, ...agent } = EXAMPLE_PAYLOADS.AgentOnboarded;
    expect(pathsOf(PolicyInputSchema, { ...policy, localChannelCode: 'GX01' })).toEqual([]);
    expect(pathsOf(AgentInputSchema, { ...agent, localChannelCode: 'GX01' })).toEqual([]);
  });

  it('given a renewal body, then policyNo comes from the path and is refused in the body', () => {
    const { policyNo, ...body } = EXAMPLE_PAYLOADS.PolicyRenewed;
    expect(pathsOf(PolicyRenewalInputSchema, body)).toEqual([]);
    expect(pathsOf(PolicyRenewalInputSchema, { ...body, policyNo })).toEqual(['policyNo']);
  });
});

describe('clientPayloadFromInput', () => {
  it('given a person with a resident id, then the payload carries hash and mask and never the number', () => {
    const payload = clientPayloadFromInput(EXAMPLE_PERSON_INPUT, { hashKey: EXAMPLE_IDENTITY_KEY, encrypt: (n) => `v1.enc.${n.length}.aaaaaaaaaa` });
    expect(payload).toMatchObject({
      identity: {
        type: 'RESIDENT_ID',
        hash: identityHash(EXAMPLE_IDENTITY_KEY, 'RESIDENT_ID', EXAMPLE_PERSON_INPUT.identity.number),
        masked: '420***********5872',
        encrypted: 'v1.enc.18.aaaaaaaaaa',
      },
    });
    expect(JSON.stringify(payload)).not.toContain(EXAMPLE_PERSON_INPUT.identity.number);
    expect(parseWith(ClientRegisteredPayloadSchema, payload).ok).toBe(true);
  });

  it('given an organization, then it passes through with its credit code in clear', () => {
    expect(clientPayloadFromInput(EXAMPLE_ORGANIZATION_INPUT, { hashKey: 'k' })).toEqual(EXAMPLE_ORGANIZATION_INPUT);
  });
});
