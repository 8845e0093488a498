import { PartyLink, SourceClientRecord } from '../identity.types';

export const T0 = '2026-03-01T08:00:00.000Z';
export const T1 = '2026-03-02T08:00:00.000Z';
export const T2 = '2026-03-03T08:00:00.000Z';

export function person(overrides: Partial<SourceClientRecord> = {}): SourceClientRecord {
  return {
    subsidiary: 'life', localId: 'LIFE-0000107', kind: 'person', name: '徐思远', gender: 'M',
    birthDate: '1989-12-23', identity: { type: 'RESIDENT_ID', hash: 'hmac-a1', masked: '4201**********5872' },
    phones: ['15054360764'], emails: [], address: '北京市淮海路197号', occurredAt: T0,
    ...overrides,
  };
}

export function organisation(overrides: Partial<SourceClientRecord> = {}): SourceClientRecord {
  return {
    subsidiary: 'pnc', localId: 'PNC-0000420', kind: 'organization', name: '华达科技有限公司',
    creditCode: '91110101MA0123456B', industry: 'manufacturing', size: 'medium', phones: [], emails: [], occurredAt: T0,
    ...overrides,
  };
}

export function linkOf(record: SourceClientRecord, at = T0): PartyLink {
  return { subsidiary: record.subsidiary, localId: record.localId, record, method: 'origin', score: null, evidence: [], linkedAt: at, consent: null };
}
