import {
  deterministicEventId, COORDINATION_EVENT_NAMESPACE, exampleEnvelope, EXAMPLE_PAYLOADS, INTAKE_EVENT_NAMESPACE, parseEnvelope,
  routingKeyForEvent, CanonicalEvent, EventType,
} from '@lib/contracts';

function event<T extends EventType>(type: T, subsidiary?: 'life' | 'pnc' | 'group'): CanonicalEvent {
  const result = parseEnvelope(exampleEnvelope(type, subsidiary));
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.event;
}

describe('routing keys', () => {
  it('given one person registered by two subsidiaries, then both events carry the same identity key', () => {
    const life = event('ClientRegistered', 'life');
    const group = { ...life, subsidiary: 'group', payload: { ...life.payload, localId: 'GRP-0000001' } } as CanonicalEvent;
    const hash = EXAMPLE_PAYLOADS.ClientRegistered.kind === 'person' ? EXAMPLE_PAYLOADS.ClientRegistered.identity?.hash : '';
    expect(routingKeyForEvent(life)).toBe(`idh:${hash}`);
    expect(routingKeyForEvent(group)).toBe(routingKeyForEvent(life));
  });

  it.each([
    ['an organization client', 'ClientUpdated', 'pnc', 'pnc:client:PNC-0000420'],
    ['a consent', 'ConsentChanged', 'life', 'life:client:LIFE-0000107'],
    ['a relationship (keyed by its from side)', 'RelationshipDeclared', 'life', 'life:client:LIFE-0000108'],
    ['an agent transfer', 'AgentTransferred', 'life', 'life:agent:A-1001'],
    ['a policy issue, keyed by its holder', 'PolicyIssued', 'life', `life:client:${EXAMPLE_PAYLOADS.PolicyIssued.holderLocalId}`],
    ['a referral status, keyed on the referring side', 'ReferralStatusChanged', 'pnc', 'life:referral:R-2026-000001'],
    ['a credit notice, keyed by the product side policy', 'CreditNotice', 'life', 'pnc:policy:PP-2026-000310'],
  ] as const)('given %s, then the key is %s', (_case, type, sub, key) => {
    expect(routingKeyForEvent(event(type, sub))).toBe(key);
  });

  it('given the client\'s identity hash, then client-related events join the identity key', () => {
    expect(routingKeyForEvent(event('ReferralRegistered'), { clientIdentityHash: 'ab'.repeat(32) })).toBe(`idh:${'ab'.repeat(32)}`);
    expect(routingKeyForEvent(event('AgentOnboarded'), { clientIdentityHash: 'ab'.repeat(32) })).toBe('life:agent:A-1001');
  });

  it('given a policy issued to a person with an identity, then it shares the key (and partition) of the registration', () => {
    const registration = event('ClientRegistered', 'life');
    const hash = EXAMPLE_PAYLOADS.ClientRegistered.kind === 'person' ? EXAMPLE_PAYLOADS.ClientRegistered.identity?.hash : null;
    expect(routingKeyForEvent(event('PolicyIssued', 'life'), { clientIdentityHash: hash })).toBe(routingKeyForEvent(registration));
  });

  it('given a later policy event or a claim, then it takes the holder key it is given, and without one the error says what is missing', () => {
    for (const type of ['PolicyRenewed', 'PolicyCancelled', 'ClaimReported', 'ClaimSettled'] as const) {
      expect(routingKeyForEvent(event(type, 'pnc'), { clientKey: 'idh:' + 'cd'.repeat(32) })).toBe('idh:' + 'cd'.repeat(32));
      expect(() => routingKeyForEvent(event(type, 'pnc'))).toThrow(`${type} names no holder: pass the holder's key as options.clientKey`);
    }
    expect(routingKeyForEvent(event('PolicyIssued', 'life'), { clientKey: 'life:client:L-1', clientIdentityHash: 'ab'.repeat(32) })).toBe('life:client:L-1');
  });
});

describe('deterministicEventId', () => {
  it('given the same source id, then the id is the same UUID v5 every time', () => {
    const id = deterministicEventId(COORDINATION_EVENT_NAMESPACE, '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicEventId(COORDINATION_EVENT_NAMESPACE, '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f')).toBe(id);
  });

  it('given another namespace, source or qualifier, then the id differs', () => {
    const ids = [
      deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'src-1'),
      deterministicEventId(INTAKE_EVENT_NAMESPACE, 'src-1'),
      deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'src-2'),
      deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'src-1', 'PartyRegistered'),
      deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'a/b', 'c'),
      deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'a', 'b/c'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
