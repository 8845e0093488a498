import type { AgentInput, AgentTerminationInput, AgentTransferInput } from '@lib/contracts';
import { agentRoutingKey } from '../../domain/routing-key';
import type { Registry } from '../../persistence/registry';
import { intakeError } from '../intake.errors';
import type { IntakeOperation } from '../operation';
import { required } from '../operation';
import { agentOnboardedPayload } from '../payload-mapping';

async function activePathAgent(registry: Registry, agentId: string, doing: string): Promise<void> {
  const status = await registry.agentStatus(agentId, true);
  if (!status) throw intakeError('AGENT_NOT_FOUND', `Agent ${agentId} is not onboarded with this subsidiary.`);
  if (status === 'terminated') throw intakeError('AGENT_TERMINATED', `Agent ${agentId} has already been terminated; it cannot be ${doing}.`);
}

export const onboardAgent: IntakeOperation<AgentInput> = {
  name: 'OnboardAgent',
  emits: 'AgentOnboarded',
  summary: 'Onboard an agent (any channel); localChannelCode is mapped to the group channel',
  location: (_t, body) => `/v1/agents/${body.agentId}`,
  async execute(ctx, _target, body) {
    const channel = ctx.catalogue.resolveChannel(body);
    const inserted = await ctx.registry.insertAgent({ agentId: body.agentId, channel: channel.channel, branchId: body.branchId, teamId: body.teamId });
    if (!inserted) throw intakeError('AGENT_ALREADY_ONBOARDED', `Agent ${body.agentId} is already onboarded.`, 'agentId');
    return { payload: agentOnboardedPayload(body, channel), routingKey: agentRoutingKey(ctx.subsidiary, body.agentId) };
  },
};

export const transferAgent: IntakeOperation<AgentTransferInput> = {
  name: 'TransferAgent',
  emits: 'AgentTransferred',
  summary: 'Move an agent to another branch, team or leader',
  location: (target) => `/v1/agents/${target}`,
  async execute(ctx, target, body) {
    const agentId = required(target);
    if (body.toLeaderId === agentId) throw intakeError('VALIDATION_FAILED', 'toLeaderId must differ from the agent being transferred.', 'toLeaderId');
    await activePathAgent(ctx.registry, agentId, 'transferred');
    await ctx.registry.updateAgent(agentId, { branchId: body.toBranchId, teamId: body.toTeamId });
    return { payload: { agentId, ...body }, routingKey: agentRoutingKey(ctx.subsidiary, agentId) };
  },
};

export const terminateAgent: IntakeOperation<AgentTerminationInput> = {
  name: 'TerminateAgent',
  emits: 'AgentTerminated',
  summary: "Terminate an agent; the coordination service reassigns the agent's clients and renewals",
  location: (target) => `/v1/agents/${target}`,
  async execute(ctx, target, body) {
    const agentId = required(target);
    await activePathAgent(ctx.registry, agentId, 'terminated again');
    await ctx.registry.updateAgent(agentId, { status: 'terminated' });
    return { payload: { agentId, ...body }, routingKey: agentRoutingKey(ctx.subsidiary, agentId) };
  },
};
