import type { ClientRegisteredPayload, ConsentChangedPayload } from '@lib/contracts';
import { consentChangeOf, identityKeysOf, relationshipIdOf, resolutionLockNames, sourceRecordOf, storableEvidence } from './client-record.mapping';

const AT = '2026-03-01T08:00:00.000Z';
const HASH = 'a'.repeat(64);

const person = (overrides: Partial<Extract<ClientRegisteredPayload, { kind: 'person' }>> = {}): ClientRegisteredPayload => ({
  localId: 'LIFE-0000107', kind: 'person', name: '徐思远', gender: 'M', birthDate: '1989-12-23',
  identity: { type: 'RESIDENT_ID', hash: HASH, masked: '420***********5872', encrypted: 'v1.aaaaaaaaaaaaaaaa.bbbb.cccc' },
  phones: ['15054360764'], address: '北京市淮海路197号', ...overrides,
});

describe('sourceRecordOf', () => {
  it('given a person payload, keeps hash and mask but drops the ciphertext', () => {
    const record = sourceRecordOf('life', person(), AT);
    expect(record.identity).toEqual({ type: 'RESIDENT_ID', hash: HASH, masked: '420***********5872' });
    expect(JSON.stringify(record)).not.toContain('v1.aaaa');
    expect(record).toMatchObject({ subsidiary: 'life', localId: 'LIFE-0000107', kind: 'person', phones: ['15054360764'], emails: [], occurredAt: AT });
  });

  it('given gender U, then the record has no gender (unknown is no evidence)', () => {
    expect(sourceRecordOf('pnc', person({ gender: 'U' }), AT)).not.toHaveProperty('gender');
  });

  it('given a motor client without identity or birth date, then neither field is set', () => {
    const record = sourceRecordOf('pnc', person({ identity: undefined, birthDate: undefined }), AT);
    expect(record).not.toHaveProperty('identity');
    expect(record).not.toHaveProperty('birthDate');
  });

  it('given an organisation, maps credit code, industry and size', () => {
    const org: ClientRegisteredPayload = { localId: 'PNC-0000420', kind: 'organization', name: '华达科技有限公司', creditCode: '91110101MA0123456B', industry: 'manufacturing', size: 'medium' };
    expect(sourceRecordOf('pnc', org, AT)).toMatchObject({ kind: 'organization', creditCode: '91110101MA0123456B', industry: 'manufacturing', size: 'medium', phones: [] });
  });
});

describe('identityKeysOf and resolutionLockNames', () => {
  it('given a person with an identity, then the hash is the one key', () => {
    expect(identityKeysOf(sourceRecordOf('life', person(), AT))).toEqual([{ kind: 'id-hash', value: HASH }]);
  });

  it('given an organisation, then the credit code (upper case, trimmed) is the key', () => {
    const record = sourceRecordOf('group', { localId: 'G-1', kind: 'organization', name: 'x', creditCode: '91110101MA0123456B', industry: 'it', size: 'small' }, AT);
    expect(identityKeysOf({ ...record, creditCode: ' 91110101ma0123456b ' })).toEqual([{ kind: 'credit-code', value: '91110101MA0123456B' }]);
  });

  it('given a record, then lock names are sorted, unique and include the identity key and blocking keys', () => {
    const names = resolutionLockNames(sourceRecordOf('life', person(), AT));
    expect(names).toEqual([...names].sort());
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining([`id-hash:${HASH}`, 'phone:15054360764']));
  });
});

describe('consentChangeOf', () => {
  const consent = (scope: ConsentChangedPayload['scope'], granted: boolean): ConsentChangedPayload => ({ localId: 'L-1', scope, granted, at: AT, source: 'app' });

  it.each([
    ['group-sharing', true, { field: 'groupSharing', granted: true }],
    ['marketing', false, { field: 'marketing', granted: false }],
    ['profiling', true, null],
    ['cross-sell-contact', true, null],
  ] as const)('given scope %s granted=%s, then %j', (scope, granted, expected) => {
    expect(consentChangeOf(consent(scope, granted))).toEqual(expected);
  });
});

describe('relationshipIdOf', () => {
  it('given the same edge twice, then the same id; a different kind or direction, then another', () => {
    const edge = { fromLocalId: 'A', kind: 'spouse' as const, toLocalId: 'B' };
    expect(relationshipIdOf('life', edge)).toBe(relationshipIdOf('life', { ...edge }));
    expect(relationshipIdOf('life', edge)).not.toBe(relationshipIdOf('life', { ...edge, kind: 'child' }));
    expect(relationshipIdOf('life', edge)).not.toBe(relationshipIdOf('life', { ...edge, fromLocalId: 'B', toLocalId: 'A' }));
    expect(relationshipIdOf('life', edge)).not.toBe(relationshipIdOf('pnc', edge));
  });
});

describe('storableEvidence', () => {
  it('given infinite weights, then they become ±1000 so JSON keeps them', () => {
    const stored = storableEvidence([
      { field: 'identity', comparison: 'exact', weight: Infinity },
      { field: 'identity', comparison: 'conflict', weight: -Infinity },
      { field: 'name', comparison: 'exact', weight: 10.78 },
    ]);
    expect(JSON.parse(JSON.stringify(stored)).map((e: { weight: number }) => e.weight)).toEqual([1000, -1000, 10.78]);
  });
});
