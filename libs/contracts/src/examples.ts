/**
 * One realistic, valid payload per event type (the ARCHITECTURE.md example bodies
 * where there is one). Used by the AsyncAPI examples, by our specs, and by anyone
 * who needs a starting point; every one of them is checked by a unit test.
 */
import { identityHash, maskIdentityNumber } from './identity';
import { CURRENT_VERSION, EventType, PayloadOf } from './registry';
import type { ClientInput } from './schemas/client';
import type { PolicyInput } from './schemas/policy';

/** An HMAC key for examples and tests only. */
export const EXAMPLE_IDENTITY_KEY = 'example-identity-hmac-key-not-for-production';

export const EXAMPLE_PERSON_INPUT = {
  localId: 'LIFE-0000107', kind: 'person', name: '徐思远', gender: 'M', birthDate: '1989-12-23',
  identity: { type: 'RESIDENT_ID', number: '420106198912235872' },
  phones: ['15054360764'], emails: [], address: '北京市淮海路197号',
} as const satisfies ClientInput;

export const EXAMPLE_ORGANIZATION_INPUT = {
  localId: 'PNC-0000420', kind: 'organization', name: '华达科技有限公司',
  creditCode: '91110101MA0123456B', industry: 'manufacturing', size: 'medium',
} as const satisfies ClientInput;

export const EXAMPLE_POLICY_INPUT = {
  policyNo: 'LP-2026-000001', productCode: 'WL20', holderLocalId: 'LIFE-0000107',
  insuredLocalIds: ['LIFE-0000107'], beneficiaries: [{ localId: 'LIFE-0000108', sharePct: 100 }],
  premium: { amount: '12000.00', currency: 'CNY', mode: 'ANNUAL' },
  effectiveDate: '2026-03-01', expiryDate: '2046-02-28',
  sellingAgentId: 'A-1001', servicingAgentId: 'A-1001', channel: 'AGENCY', referralId: null,
} as const satisfies PolicyInput;

const protectedIdentity = {
  type: 'RESIDENT_ID',
  hash: identityHash(EXAMPLE_IDENTITY_KEY, 'RESIDENT_ID', EXAMPLE_PERSON_INPUT.identity.number),
  masked: maskIdentityNumber(EXAMPLE_PERSON_INPUT.identity.number),
} as const;

const AT = '2026-03-01T09:30:00+08:00';
type Examples = { [T in EventType]: PayloadOf<T> };

export const EXAMPLE_PAYLOADS: Examples = {
  ClientRegistered: { ...EXAMPLE_PERSON_INPUT, phones: [...EXAMPLE_PERSON_INPUT.phones], emails: [], identity: protectedIdentity },
  ClientUpdated: { ...EXAMPLE_ORGANIZATION_INPUT, phones: ['13911112222'], preferredChannel: 'visit' },
  ConsentChanged: { localId: 'LIFE-0000107', scope: 'group-sharing', granted: true, at: AT, source: 'app' },
  RelationshipDeclared: { fromLocalId: 'LIFE-0000108', toLocalId: 'LIFE-0000107', kind: 'child', since: '2015-06-01' },
  AgentOnboarded: {
    agentId: 'A-1001', name: '李娜', channel: 'AGENCY', branchId: 'BJ-01', teamId: 'BJ-01-T3', leaderId: 'A-1000', joinedAt: '2026-01-05',
  },
  AgentTransferred: { agentId: 'A-1001', toBranchId: 'BJ-02', toTeamId: 'BJ-02-T1', toLeaderId: 'A-2000', effectiveDate: '2026-07-01' },
  AgentTerminated: { agentId: 'A-1001', effectiveDate: '2026-12-31', reason: 'resigned' },
  ReferralRegistered: {
    referralId: 'R-2026-000001', clientLocalId: 'LIFE-0000107', productSubsidiary: 'pnc', productLine: 'MOTOR', referringAgentId: 'A-1001',
  },
  PolicyIssued: { ...EXAMPLE_POLICY_INPUT, insuredLocalIds: ['LIFE-0000107'], beneficiaries: [{ localId: 'LIFE-0000108', sharePct: 100 }], premium: { ...EXAMPLE_POLICY_INPUT.premium }, productLine: 'LIFE_WHOLE', standardPremium: '9600.00' },
  PolicyRenewed: {
    policyNo: 'PP-2026-000310', newEffectiveDate: '2027-03-01', newExpiryDate: '2028-02-29',
    premium: { amount: '3280.50', currency: 'CNY', mode: 'ANNUAL' }, servicingAgentId: 'P-2002',
  },
  PolicyEndorsed: { policyNo: 'LP-2026-000001', effectiveDate: '2026-06-01', premiumDelta: '-350.00', reason: 'sum assured reduced' },
  PolicyCancelled: { policyNo: 'LP-2026-000001', effectiveDate: '2026-03-10', reason: 'cooling-off withdrawal', refund: '12000.00' },
  PolicyLapsed: { policyNo: 'LP-2026-000001', effectiveDate: '2027-05-01', reason: 'premium unpaid after grace period' },
  PolicyReinstated: { policyNo: 'LP-2026-000001', effectiveDate: '2027-08-01' },
  ClaimReported: { claimNo: 'C-2026-000077', policyNo: 'PP-2026-000310', reportedAt: AT, amountClaimed: '8600.00', lossDate: '2026-02-27' },
  ClaimSettled: { claimNo: 'C-2026-000077', policyNo: 'PP-2026-000310', settledAt: '2026-03-20T15:00:00+08:00', amountPaid: '8100.00' },
  ActivityLogged: {
    activityId: 'ACT-000123', agentId: 'A-1001', clientLocalId: 'LIFE-0000107', kind: 'quote', at: AT, productLine: 'MOTOR', quotedPrice: '4200.00',
  },
  ConflictResolved: {
    conflictId: 'CF-2026-000009', kind: 'duplicate-registration', partyId: 'P-7f3a', productLine: 'MOTOR', referralId: 'R-2026-000001',
    outcome: 'split', shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '60.00' }, { subsidiary: 'pnc', agentId: 'P-2002', pct: '40.00' }],
    rationale: 'both registered within the same day; coordinator split', decidedBy: 'coordinator:wang', decidedAt: AT,
  },
  ConflictSuperseded: {
    conflictId: 'CF-2026-000009', kind: 'duplicate-registration', partyId: 'P-7f3a', productLine: 'MOTOR', referralId: 'R-2026-000001',
    withdrawnOutcome: 'split', withdrawnShares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '60.00' }, { subsidiary: 'pnc', agentId: 'P-2002', pct: '40.00' }],
    replacedBy: ['CF-2026-000012'], reason: 'a policy issued before the registration arrived late: the client was already serviced', supersededAt: AT,
  },
  ReferralStatusChanged: {
    referralId: 'R-2026-000001', referringSubsidiary: 'life', referringAgentId: 'A-1001', productSubsidiary: 'pnc', productLine: 'MOTOR',
    status: 'converted', previousStatus: 'quoted', policyNo: 'PP-2026-000310', at: AT,
  },
  CreditNotice: {
    creditId: 'CR-2026-000001', policyNo: 'PP-2026-000310', productSubsidiary: 'pnc', productLine: 'MOTOR', side: 'SALES',
    creditedSubsidiary: 'life', agentId: 'A-1001', branchId: 'BJ-01', kind: 'CREDIT', standardPremium: '3280.50',
    creditedPremium: '328.05', ruleId: 'life-sells-pnc', ruleVersion: 3, effectiveDate: '2026-03-01',
  },
};

/** A valid envelope around EXAMPLE_PAYLOADS[type], as it appears on the topic. */
export function exampleEnvelope<T extends EventType>(type: T, subsidiary?: 'life' | 'pnc' | 'group') {
  const sub = subsidiary ?? (type === 'ClientUpdated' || type.startsWith('Claim') || type === 'PolicyRenewed' ? 'pnc' : 'life');
  return {
    eventId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f', type, schemaVersion: CURRENT_VERSION[type] as number, subsidiary: sub,
    occurredAt: AT, correlationId: 'req-7d1e9b', causationId: null, payload: EXAMPLE_PAYLOADS[type],
  };
}
