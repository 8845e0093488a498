import { createEvent } from '@lib/contracts';
import {
  conflictDecider, DEFAULT_PRECEDENCE, isDecided, referralDecider, type ConflictEvent, type DetectedConflict, type ReferralEvent,
} from '../domain';
import { fold } from '../domain/testing/decider-spec';
import { conflictAddressees, conflictResolvedPayload, conflictSupersededPayload, referralAddressees, referralStatusPayload } from './decision-messages';

const PARTY = '0d6c8c3e-1d4f-5a7b-9c2e-3f4a5b6c7d8e';
const life = { subsidiary: 'life', channel: 'AGENCY', agentId: 'A-1001', referralId: 'R-1', registeredAt: '2026-03-01T09:00:00Z' } as const;
const group = { subsidiary: 'group', channel: 'GROUP_ACCOUNT', agentId: 'G-3001', referralId: 'R-2', registeredAt: '2026-03-02T09:00:00Z' } as const;
const conflict: DetectedConflict = {
  kind: 'duplicate-registration', partyId: PARTY, productLine: 'GROUP_HEALTH', claimants: [life, group],
  evidence: { reason: 'two registrations' }, subject: { referralId: 'R-2' },
};
const facts = { registrations: [], policies: [], quotes: [] };
const detected: ConflictEvent = { type: 'ConflictDetected', data: { conflictId: 'c0ffee00-0000-4000-8000-000000000001', conflict, facts, detectedAt: '2026-03-02T09:00:01Z' } };
const queued: ConflictEvent = { type: 'ConflictQueued', data: { conflictId: 'c0ffee00-0000-4000-8000-000000000001', reason: 'no-rule-decided', precedence: DEFAULT_PRECEDENCE, queuedAt: '2026-03-02T09:00:01Z' } };

const valid = (type: 'ConflictResolved' | 'ConflictSuperseded' | 'ReferralStatusChanged', payload: object) =>
  createEvent({ type, eventId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f', subsidiary: 'life', occurredAt: '2026-03-03T10:00:00Z', correlationId: 'c', payload });

describe('decision messages', () => {
  it('given a coordinator split 60/40, when announced, then the payload satisfies the public contract and names the referral', () => {
    const resolved: ConflictEvent = {
      type: 'ConflictResolved',
      data: {
        conflictId: 'c0ffee00-0000-4000-8000-000000000001', mode: 'split', rationale: 'both met the HR director', decidedBy: 'coord-7', decidedAt: '2026-03-03T10:00:00Z',
        shares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '60.00' }, { subsidiary: 'group', agentId: 'G-3001', pct: '40.00' }],
      },
    };
    const state = fold(conflictDecider, [detected, queued, resolved]);
    if (!isDecided(state)) throw new Error('expected a decided conflict');
    const payload = conflictResolvedPayload(state);
    expect(payload).toMatchObject({ outcome: 'split', referralId: 'R-2', decidedBy: 'coord-7' });
    expect(payload).not.toHaveProperty('rule');
    expect(valid('ConflictResolved', payload).ok).toBe(true);
  });

  it('given an auto-resolution, when announced, then the rule is named and every subsidiary involved is an addressee once', () => {
    const auto: ConflictEvent = {
      type: 'ConflictAutoResolved',
      data: { conflictId: 'c0ffee00-0000-4000-8000-000000000001', winner: life, decidedByRule: 'first-valid-registration', precedence: DEFAULT_PRECEDENCE, decidedAt: '2026-03-02T09:00:01Z' },
    };
    const state = fold(conflictDecider, [detected, auto]);
    if (!isDecided(state)) throw new Error('expected a decided conflict');
    expect(valid('ConflictResolved', conflictResolvedPayload(state)).ok).toBe(true);
    expect(conflictResolvedPayload(state)).toMatchObject({ outcome: 'award', rule: 'first-valid-registration' });
    expect(conflictAddressees(state, 'group')).toEqual(['life', 'group']);
    expect(conflictAddressees(state, 'pnc')).toEqual(['life', 'pnc', 'group']);
  });

  it('given a referral quoted then converted, when announced, then each change carries its previous status and details', () => {
    const registered: ReferralEvent = {
      type: 'ReferralRegistered',
      data: {
        referralId: 'R-1', partyId: PARTY, productLine: 'MOTOR', productSubsidiary: 'pnc', referrer: { agentId: 'A-1001', subsidiary: 'life', channel: 'AGENCY' },
        registeredAt: '2026-03-01T09:00:00Z', windowEndsAt: '2026-03-31T09:00:00.000Z',
      },
    };
    const quoted: ReferralEvent = { type: 'ReferralQuoted', data: { referralId: 'R-1', price: '3200.00', currency: 'CNY', quotedAt: '2026-03-03T09:00:00Z' } };
    const converted: ReferralEvent = { type: 'ReferralConverted', data: { referralId: 'R-1', policyNo: 'PP-1', convertedAt: '2026-03-05T09:00:00Z', linkedBy: 'referralId' } };
    const state = fold(referralDecider, [registered, quoted, converted]);
    if (state.status === 'none') throw new Error('expected a referral');
    const quoteMsg = referralStatusPayload(state, quoted, 'accepted');
    const convertMsg = referralStatusPayload(state, converted, 'quoted');
    expect(quoteMsg).toMatchObject({ status: 'quoted', previousStatus: 'accepted', quotedPrice: '3200.00', at: '2026-03-03T09:00:00Z' });
    expect(convertMsg).toMatchObject({ status: 'converted', previousStatus: 'quoted', policyNo: 'PP-1', referringSubsidiary: 'life', productSubsidiary: 'pnc' });
    expect(valid('ReferralStatusChanged', quoteMsg).ok).toBe(true);
    expect(valid('ReferralStatusChanged', convertMsg).ok).toBe(true);
    expect(valid('ReferralStatusChanged', referralStatusPayload(state, registered, null)).ok).toBe(true);
    expect(referralAddressees(state)).toEqual(['life', 'pnc']);
  });

  it('given an auto-resolved conflict superseded by a late earlier fact, when announced, then the withdrawn decision and its replacement are named', () => {
    const auto: ConflictEvent = {
      type: 'ConflictAutoResolved',
      data: { conflictId: 'c0ffee00-0000-4000-8000-000000000001', winner: life, decidedByRule: 'first-valid-registration', precedence: DEFAULT_PRECEDENCE, decidedAt: '2026-03-02T09:00:01Z' },
    };
    const decidedState = fold(conflictDecider, [detected, auto]);
    if (!isDecided(decidedState)) throw new Error('expected a decided conflict');
    const superseded: ConflictEvent = {
      type: 'ConflictSuperseded',
      data: { conflictId: 'c0ffee00-0000-4000-8000-000000000001', reason: 'a policy issued earlier arrived late', replacedBy: ['k'], supersededAt: '2026-03-04T09:00:00Z', previousStatus: 'auto-resolved' },
    };
    const state = fold(conflictDecider, [detected, auto, superseded]);
    if (state.status !== 'superseded') throw new Error('expected a superseded conflict');
    const withdrawn = { mode: decidedState.outcome.mode, shares: decidedState.outcome.shares };
    const payload = conflictSupersededPayload(state, withdrawn, ['c0ffee00-0000-4000-8000-000000000002']);
    expect(payload).toMatchObject({
      kind: 'duplicate-registration', referralId: 'R-2', withdrawnOutcome: 'award', withdrawnShares: [{ subsidiary: 'life', agentId: 'A-1001', pct: '100.00' }],
      replacedBy: ['c0ffee00-0000-4000-8000-000000000002'], supersededAt: '2026-03-04T09:00:00Z',
    });
    expect(valid('ConflictSuperseded', payload).ok).toBe(true);
    expect(conflictAddressees(state, 'pnc')).toEqual(conflictAddressees(decidedState, 'pnc'));
  });
});
