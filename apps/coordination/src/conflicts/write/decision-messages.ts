import type { ConflictResolvedPayload, ConflictSupersededPayload, ReferralStatusChangedPayload } from '@lib/contracts';
import {
  toConflictResolvedMessage, type ConflictState, type ReferralEvent, type ReferralStage, type ReferralState, type Subsidiary,
} from '../domain';

type Decided = Extract<ConflictState, { status: 'resolved' | 'auto-resolved' }>;
type Superseded = Extract<ConflictState, { status: 'superseded' }>;
type KnownReferral = Exclude<ReferralState, { status: 'none' }>;

const SUBSIDIARY_ORDER: readonly Subsidiary[] = ['life', 'pnc', 'group'];
const ordered = (subs: Iterable<Subsidiary>): Subsidiary[] => {
  const set = new Set(subs);
  return SUBSIDIARY_ORDER.filter((s) => set.has(s));
};

/** Every subsidiary a conflict decision concerns: each claimant's and the one whose product was contested. */
export function conflictAddressees(state: Decided | Superseded, productSubsidiary: Subsidiary | null): Subsidiary[] {
  const subs = state.conflict.claimants.map((c) => c.subsidiary);
  return ordered(productSubsidiary ? [...subs, productSubsidiary] : subs);
}

export function conflictResolvedPayload(state: Decided): ConflictResolvedPayload {
  const subject = state.conflict.subject;
  return {
    ...toConflictResolvedMessage(state),
    productLine: state.conflict.productLine as ConflictResolvedPayload['productLine'],
    shares: state.outcome.shares.map((s) => ({ ...s })),
    ...(subject?.policyNo ? { policyNo: subject.policyNo } : {}),
    ...(subject?.referralId ? { referralId: subject.referralId } : {}),
  };
}

/** The decision a superseded conflict withdraws, as it was sent; `replacedBy` names the conflicts detected in its place. */
export function conflictSupersededPayload(
  state: Superseded, withdrawn: { readonly mode: ConflictResolvedPayload['outcome']; readonly shares: readonly ConflictResolvedPayload['shares'][number][] },
  replacedBy: readonly string[],
): ConflictSupersededPayload {
  const subject = state.conflict.subject;
  return {
    conflictId: state.conflictId,
    kind: state.conflict.kind,
    partyId: state.conflict.partyId,
    productLine: state.conflict.productLine as ConflictSupersededPayload['productLine'],
    ...(subject?.policyNo ? { policyNo: subject.policyNo } : {}),
    ...(subject?.referralId ? { referralId: subject.referralId } : {}),
    withdrawnOutcome: withdrawn.mode,
    withdrawnShares: withdrawn.shares.map((s) => ({ ...s })),
    replacedBy: [...replacedBy],
    reason: state.reason,
    supersededAt: state.closedAt,
  };
}

export const STAGE_OF: Readonly<Record<Exclude<ReferralEvent['type'], 'ReferralConversionWithdrawn'>, ReferralStage>> = {
  ReferralRegistered: 'registered',
  ReferralAccepted: 'accepted',
  ReferralQuoted: 'quoted',
  ReferralConverted: 'converted',
  ReferralLost: 'lost',
  // Refused while the conversion stands: it stays converted (kept for a withdrawal).
  ReferralLossNoted: 'converted',
  ReferralExpired: 'expired',
};

/** The stage a referral event leaves the referral in (a withdrawn conversion reopens the stage it was converted from). */
export const stageOf = (event: ReferralEvent): ReferralStage =>
  event.type === 'ReferralConversionWithdrawn' ? event.data.reopenedAs : STAGE_OF[event.type];

/** Every referral event type, for the projection's subscription. */
export const REFERRAL_EVENT_TYPES: readonly ReferralEvent['type'][] = [...(Object.keys(STAGE_OF) as ReferralEvent['type'][]), 'ReferralConversionWithdrawn'];

/** When the change happened and what else the subsidiaries need to act on it. */
function changeDetails(event: ReferralEvent): { at: string } & Partial<ReferralStatusChangedPayload> {
  switch (event.type) {
    case 'ReferralRegistered':
      return { at: event.data.registeredAt };
    case 'ReferralAccepted':
      return { at: event.data.acceptedAt };
    case 'ReferralQuoted':
      return { at: event.data.quotedAt, quotedPrice: event.data.price };
    case 'ReferralConverted':
      return { at: event.data.convertedAt, policyNo: event.data.policyNo };
    case 'ReferralConversionWithdrawn':
      return { at: event.data.withdrawnAt, reason: event.data.reason };
    case 'ReferralLost':
    case 'ReferralLossNoted':
      return { at: event.data.lostAt, reason: event.data.reason };
    case 'ReferralExpired':
      return { at: event.data.expiredAt };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function referralStatusPayload(referral: KnownReferral, event: ReferralEvent, previous: ReferralStage | null): ReferralStatusChangedPayload {
  return {
    referralId: referral.referralId,
    referringSubsidiary: referral.referrer.subsidiary,
    referringAgentId: referral.referrer.agentId,
    productSubsidiary: referral.productSubsidiary,
    productLine: referral.productLine as ReferralStatusChangedPayload['productLine'],
    status: stageOf(event),
    previousStatus: previous,
    windowEndsAt: referral.windowEndsAt,
    ...changeDetails(event),
  };
}

/** Both sides of a referral hear about it: the referrer and the product subsidiary. */
export function referralAddressees(referral: KnownReferral): Subsidiary[] {
  return ordered([referral.referrer.subsidiary, referral.productSubsidiary]);
}
