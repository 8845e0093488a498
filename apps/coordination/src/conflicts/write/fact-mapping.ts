import type { EventEnvelope } from '@lib/contracts';
import type {
  ApproachActivity, IssuedPolicy, LiveRegistration, RecentQuote, Referral, ReferralSnapshot, RegisterReferral, Subsidiary,
} from '../domain';

/** Pure mappings from canonical subsidiary events to the conflicts domain's commands and facts. */

export function toRegisterReferral(event: EventEnvelope<'ReferralRegistered'>, partyId: string, channel: string): RegisterReferral {
  const p = event.payload;
  return {
    type: 'RegisterReferral',
    data: {
      referralId: p.referralId,
      partyId,
      productLine: p.productLine,
      productSubsidiary: p.productSubsidiary,
      // The registration is filed by the selling side: the publishing subsidiary is the referrer's.
      referrer: { agentId: p.referringAgentId, subsidiary: event.subsidiary, channel },
      registeredAt: p.registeredAt ?? event.occurredAt,
    },
  };
}

export function toLiveRegistration(referral: Referral | ReferralSnapshot): LiveRegistration {
  return {
    referralId: referral.referralId,
    partyId: referral.partyId,
    productLine: referral.productLine,
    subsidiary: referral.referrer.subsidiary,
    channel: referral.referrer.channel,
    agentId: referral.referrer.agentId,
    registeredAt: referral.registeredAt,
    windowEndsAt: referral.windowEndsAt,
  };
}

/**
 * The issued policy as the rules judge it. `subsidiary` is the SELLER's subsidiary: a claimant is
 * an agent of a subsidiary, and a life agent's P&C sale must match the life agent's registration.
 */
export function toIssuedPolicy(
  event: EventEnvelope<'PolicyIssued'>, partyId: string, sellingSubsidiary: Subsidiary,
): IssuedPolicy {
  const p = event.payload;
  return {
    policyNo: p.policyNo,
    partyId,
    productLine: p.productLine,
    subsidiary: sellingSubsidiary,
    channel: p.channel,
    servicingAgentId: p.servicingAgentId,
    sellingAgentId: p.sellingAgentId,
    issuedAt: event.occurredAt,
    referralId: p.referralId,
  };
}

export function toRecentQuote(event: EventEnvelope<'ActivityLogged'>, partyId: string, productLine: string, channel: string): RecentQuote {
  const p = event.payload;
  return {
    partyId,
    productLine,
    subsidiary: event.subsidiary,
    channel,
    agentId: p.agentId,
    quotedAt: p.at,
    ...(p.quotedPrice !== undefined ? { price: p.quotedPrice } : {}),
  };
}

export function toApproach(event: EventEnvelope<'ActivityLogged'>, partyId: string, channel: string): ApproachActivity {
  const p = event.payload;
  return {
    partyId,
    subsidiary: event.subsidiary,
    channel,
    agentId: p.agentId,
    at: p.at,
    ...(p.productLine !== undefined ? { productLine: p.productLine } : {}),
  };
}
