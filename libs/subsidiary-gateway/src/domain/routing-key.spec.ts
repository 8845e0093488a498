import { identityHash } from '@lib/contracts';
import { agentRoutingKey, clientRoutingKey, creditCodeHash } from './routing-key';

const KEY = 'unit-test-hmac-key-0123456789abcdef0123456789';
const ID = '420106198912235872';

describe('routing key choice', () => {
  it('keys a client with an identity document by the HMAC of it, the same in every subsidiary', () => {
    const hash = identityHash(KEY, 'RESIDENT_ID', ID);
    expect(clientRoutingKey('life', 'LIFE-0000107', hash)).toBe(`idh:${hash}`);
    expect(clientRoutingKey('pnc', 'PNC-9', hash)).toBe(clientRoutingKey('life', 'LIFE-0000107', hash));
  });

  it('never puts the clear number in the key', () => {
    expect(clientRoutingKey('life', 'LIFE-0000107', identityHash(KEY, 'RESIDENT_ID', ID))).not.toContain(ID);
  });

  it('keys a client without an identity document by subsidiary and local id', () => {
    expect(clientRoutingKey('pnc', 'PNC-0000420', null)).toBe('pnc:client:PNC-0000420');
  });

  it('keys organisations by a credit-code hash that is independent of spacing and case, and apart from identity hashes', () => {
    const a = creditCodeHash(KEY, '91110101MA0123456B');
    expect(creditCodeHash(KEY, ' 91110101ma0123456b ')).toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(identityHash(KEY, 'OTHER', '91110101MA0123456B'));
  });

  it('keys agents by subsidiary and agent id', () => {
    expect(agentRoutingKey('group', 'G-17')).toBe('group:agent:G-17');
  });
});
