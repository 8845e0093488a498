import type {
  ActivityLoggedPayload, ClaimReportedPayload, ClaimSettlementInput, ReferralRegisteredPayload,
} from '@lib/contracts';
import { agentRoutingKey } from '../../domain/routing-key';
import { intakeError } from '../intake.errors';
import { checkReferences, type IntakeOperation, referencedClient, required } from '../operation';

export const reportClaim: IntakeOperation<ClaimReportedPayload> = {
  name: 'ReportClaim',
  emits: 'ClaimReported',
  summary: 'Report a claim on a policy of this subsidiary',
  pastDateTimes: ['reportedAt'],
  pastDates: ['lossDate'],
  location: (_t, body) => `/v1/claims/${body.claimNo}`,
  async execute(ctx, _target, body) {
    const policy = await ctx.registry.policy(body.policyNo);
    if (!policy) throw intakeError('UNKNOWN_POLICY', `Policy ${body.policyNo} is not known to this subsidiary service.`, 'policyNo');
    if (body.claimantLocalId) await referencedClient(ctx.registry, body.claimantLocalId, 'claimantLocalId');
    if (!(await ctx.registry.insertClaim(body.claimNo, policy.policyNo))) {
      throw intakeError('CLAIM_ALREADY_REPORTED', `Claim ${body.claimNo} has already been reported.`, 'claimNo');
    }
    return { payload: body, routingKey: policy.routingKey };
  },
};

export const settleClaim: IntakeOperation<ClaimSettlementInput> = {
  name: 'SettleClaim',
  emits: 'ClaimSettled',
  summary: 'Settle (pay or decline with amountPaid "0.00") a reported claim',
  pastDateTimes: ['settledAt'],
  location: (target) => `/v1/claims/${target}`,
  async execute(ctx, target, body) {
    const claimNo = required(target);
    const claim = await ctx.registry.claim(claimNo);
    if (!claim) throw intakeError('CLAIM_NOT_FOUND', `Claim ${claimNo} has not been reported to this subsidiary service.`);
    if (claim.policyNo !== body.policyNo) {
      throw intakeError('VALIDATION_FAILED', `Claim ${claimNo} was reported on policy ${claim.policyNo}, not ${body.policyNo}.`, 'policyNo');
    }
    if (claim.status === 'settled') throw intakeError('CLAIM_ALREADY_SETTLED', `Claim ${claimNo} has already been settled.`);
    const policy = await ctx.registry.policy(claim.policyNo);
    await ctx.registry.settleClaim(claimNo);
    // The claims table references policies, so the policy is there.
    return { payload: { claimNo, ...body }, routingKey: policy!.routingKey };
  },
};

export const registerReferral: IntakeOperation<ReferralRegisteredPayload> = {
  name: 'RegisterReferral',
  emits: 'ReferralRegistered',
  summary: "Register a cross-sell lead (referral) for another subsidiary's product, filed by the referring side",
  pastDateTimes: ['registeredAt'],
  location: (_t, body) => `/v1/referrals/${body.referralId}`,
  references: (body) => ({ clients: { clientLocalId: body.clientLocalId }, agents: { referringAgentId: body.referringAgentId } }),
  async execute(ctx, _target, body) {
    const keys = await checkReferences(ctx.registry, registerReferral.references!(body));
    if (!(await ctx.registry.insertReferral(body.referralId, body.clientLocalId))) {
      throw intakeError('REFERRAL_ALREADY_REGISTERED', `Referral ${body.referralId} has already been registered.`, 'referralId');
    }
    return { payload: body, routingKey: keys.clientLocalId };
  },
};

export const logActivity: IntakeOperation<ActivityLoggedPayload> = {
  name: 'LogActivity',
  emits: 'ActivityLogged',
  summary: 'Log a sales activity (call, visit, meeting, quote, seminar)',
  pastDateTimes: ['at'],
  location: (_t, body) => `/v1/activities/${body.activityId}`,
  references: (body) => ({ clients: { clientLocalId: body.clientLocalId }, agents: { agentId: body.agentId } }),
  async execute(ctx, _target, body) {
    const keys = await checkReferences(ctx.registry, logActivity.references!(body));
    if (!(await ctx.registry.insertActivity(body.activityId, body.agentId))) {
      throw intakeError('ACTIVITY_ALREADY_LOGGED', `Activity ${body.activityId} has already been logged.`, 'activityId');
    }
    return { payload: body, routingKey: keys.clientLocalId ?? agentRoutingKey(ctx.subsidiary, body.agentId) };
  },
};
