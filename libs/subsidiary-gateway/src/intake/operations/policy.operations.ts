import type {
  PolicyCancellationInput, PolicyEndorsementInput, PolicyInput, PolicyLapseInput, PolicyReinstatementInput, PolicyRenewalInput,
  PremiumMode,
} from '@lib/contracts';
import type { PolicyAction } from '../../domain/policy-lifecycle';
import { intakeError } from '../intake.errors';
import { activeAgent, checkReferences, type IntakeOperation, pathPolicy, required, transition } from '../operation';
import { policyEndorsedPayload, policyIssuedPayload, policyRenewedPayload } from '../payload-mapping';

export const issuePolicy: IntakeOperation<PolicyInput> = {
  name: 'IssuePolicy',
  emits: 'PolicyIssued',
  summary: 'Report a newly issued policy; the catalogue adds product line, group channel and standard premium',
  location: (_t, body) => `/v1/policies/${body.policyNo}`,
  references: (body) => ({
    clients: { holderLocalId: body.holderLocalId },
    agents: { sellingAgentId: body.sellingAgentId, servicingAgentId: body.servicingAgentId },
  }),
  async execute(ctx, _target, body) {
    const product = ctx.catalogue.productFor(body.productCode, body.premium.mode);
    const channel = ctx.catalogue.resolveChannel(body);
    const keys = await checkReferences(ctx.registry, issuePolicy.references!(body));
    const inserted = await ctx.registry.insertPolicy({
      policyNo: body.policyNo, holderLocalId: body.holderLocalId, productCode: product.code,
      productLine: product.productLine, premiumMode: body.premium.mode,
    });
    if (!inserted) throw intakeError('POLICY_ALREADY_ISSUED', `Policy ${body.policyNo} has already been issued.`, 'policyNo');
    return { payload: policyIssuedPayload(body, product, channel), routingKey: keys.holderLocalId };
  },
};

export const renewPolicy: IntakeOperation<PolicyRenewalInput> = {
  name: 'RenewPolicy',
  emits: 'PolicyRenewed',
  summary: 'Renew a policy for a new term; renewal credit follows servicingAgentId',
  location: (target) => `/v1/policies/${target}`,
  async execute(ctx, target, body) {
    const policy = await pathPolicy(ctx.registry, required(target));
    const status = transition(policy, 'renew');
    const product = ctx.catalogue.productFor(policy.productCode, body.premium.mode);
    if (body.servicingAgentId) await activeAgent(ctx.registry, body.servicingAgentId, 'servicingAgentId');
    await ctx.registry.updatePolicy(policy.policyNo, { status, premiumMode: body.premium.mode });
    return { payload: policyRenewedPayload(policy.policyNo, body, product), routingKey: policy.routingKey };
  },
};

export const endorsePolicy: IntakeOperation<PolicyEndorsementInput> = {
  name: 'EndorsePolicy',
  emits: 'PolicyEndorsed',
  summary: 'Change a policy in force (premiumDelta per instalment); the standard-premium delta is computed',
  location: (target) => `/v1/policies/${target}`,
  async execute(ctx, target, body) {
    const policy = await pathPolicy(ctx.registry, required(target));
    const status = transition(policy, 'endorse');
    const product = ctx.catalogue.product(policy.productCode);
    await ctx.registry.updatePolicy(policy.policyNo, { status });
    return { payload: policyEndorsedPayload(policy.policyNo, body, product, policy.premiumMode as PremiumMode), routingKey: policy.routingKey };
  },
};

type StatusChangeInput = PolicyCancellationInput | PolicyLapseInput | PolicyReinstatementInput;

/** Cancellation, lapse and reinstatement differ only in the transition they ask for. */
function statusChange<B extends StatusChangeInput>(
  name: IntakeOperation['name'],
  emits: IntakeOperation['emits'],
  action: PolicyAction,
  summary: string,
): IntakeOperation<B> {
  return {
    name,
    emits,
    summary,
    location: (target) => `/v1/policies/${target}`,
    async execute(ctx, target, body) {
      const policy = await pathPolicy(ctx.registry, required(target));
      await ctx.registry.updatePolicy(policy.policyNo, { status: transition(policy, action) });
      return { payload: { policyNo: policy.policyNo, ...body }, routingKey: policy.routingKey };
    },
  };
}

export const cancelPolicy = statusChange<PolicyCancellationInput>('CancelPolicy', 'PolicyCancelled', 'cancel', 'Cancel (or surrender) a policy; final');
export const lapsePolicy = statusChange<PolicyLapseInput>('LapsePolicy', 'PolicyLapsed', 'lapse', 'Report that a policy in force lapsed');
export const reinstatePolicy = statusChange<PolicyReinstatementInput>('ReinstatePolicy', 'PolicyReinstated', 'reinstate', 'Reinstate a lapsed policy');
