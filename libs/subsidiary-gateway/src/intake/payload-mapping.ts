import type {
  AgentInput, AgentOnboardedPayload, PolicyEndorsedPayload, PolicyEndorsementInput, PolicyInput, PolicyIssuedPayload,
  PolicyRenewalInput, PolicyRenewedPayload, PremiumMode,
} from '@lib/contracts';
import type { ResolvedChannel } from '../catalogue/catalogue';
import type { CatalogueProduct } from '../catalogue/catalogue.schema';
import { standardPremium, standardPremiumDelta } from '../catalogue/standard-premium';

/**
 * Request -> canonical payload, pure. What the service adds is what only it knows:
 * the group product line and standard premium from its catalogue, and the group
 * channel behind its local channel code. Everything else passes through unchanged.
 */
export function policyIssuedPayload(input: PolicyInput, product: CatalogueProduct, channel: ResolvedChannel): PolicyIssuedPayload {
  const { channel: _sent, localChannelCode: _code, ...rest } = input;
  return {
    ...rest,
    productLine: product.productLine,
    standardPremium: standardPremium(input.premium.amount, input.premium.mode, product.standardPremium),
    channel: channel.channel,
    ...(channel.localChannelCode ? { localChannelCode: channel.localChannelCode } : {}),
  };
}

export function policyRenewedPayload(policyNo: string, input: PolicyRenewalInput, product: CatalogueProduct): PolicyRenewedPayload {
  return {
    policyNo,
    ...input,
    standardPremium: standardPremium(input.premium.amount, input.premium.mode, product.standardPremium),
  };
}

/** The premium change is per instalment of the policy's current mode, so it is weighted the same way. */
export function policyEndorsedPayload(
  policyNo: string,
  input: PolicyEndorsementInput,
  product: CatalogueProduct,
  mode: PremiumMode,
): PolicyEndorsedPayload {
  return { policyNo, ...input, standardPremiumDelta: standardPremiumDelta(input.premiumDelta, mode, product.standardPremium) };
}

export function agentOnboardedPayload(input: AgentInput, channel: ResolvedChannel): AgentOnboardedPayload {
  const { channel: _sent, localChannelCode: _code, ...rest } = input;
  return { ...rest, channel: channel.channel, ...(channel.localChannelCode ? { localChannelCode: channel.localChannelCode } : {}) };
}
