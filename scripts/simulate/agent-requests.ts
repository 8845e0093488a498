/**
 * Requests for the sales force: leaders first, then their teams, hires in their month,
 * and transfers and departures at the end of a month once the month's sales are in.
 */
import { SETUP_WAVES, SLOT, isoDate } from './calendar';
import type { Agent, AgentRoster } from './agents';
import type { SimContext } from './context';

const DEPARTURE_REASONS = ['resigned', 'contract ended', 'retired', 'joined another insurer', 'dismissed after compliance review'];

export function emitAgents(ctx: SimContext, roster: AgentRoster): void {
  for (const agent of roster.agents) {
    onboard(ctx, agent);
    if (agent.transfer) transfer(ctx, agent);
    if (agent.termMonth !== null) terminate(ctx, agent);
  }
  ctx.count('agents', roster.agents.length);
}

function onboard(ctx: SimContext, agent: Agent): void {
  const wave = agent.isLeader ? SETUP_WAVES.leaders : agent.joinMonth < 0 ? SETUP_WAVES.agents : ctx.calendar.wave(agent.joinMonth, SLOT.register);
  const body = {
    agentId: agent.agentId,
    name: agent.name,
    channel: agent.channel,
    localChannelCode: agent.localChannelCode,
    branchId: agent.branchId,
    teamId: agent.teamId,
    leaderId: agent.leaderId,
    joinedAt: isoDate(agent.joinedDay),
  };
  ctx.out.intake(agent.subsidiary, 'OnboardAgent', wave, body, { entityKey: agent.agentId });
  if (agent.isLeader) ctx.count('agents.leaders');
  if (agent.joinMonth >= 0) ctx.count('agents.hired');
  ctx.count(`agents.channel.${agent.subsidiary}:${agent.channel}`);
}

function transfer(ctx: SimContext, agent: Agent): void {
  const t = agent.transfer!;
  const body = { toBranchId: t.toBranchId, toTeamId: t.toTeamId, toLeaderId: t.toLeaderId, effectiveDate: isoDate(ctx.calendar.monthStart(t.month + 1)) };
  ctx.out.intake(agent.subsidiary, 'TransferAgent', ctx.calendar.wave(t.month, SLOT.agents), body, {
    target: agent.agentId, entityKey: `${agent.agentId}-${t.month}`,
  });
  ctx.count('agents.transferred');
}

function terminate(ctx: SimContext, agent: Agent): void {
  const month = agent.termMonth!;
  const body = { effectiveDate: isoDate(ctx.calendar.monthEnd(month)), reason: ctx.rng.pick(DEPARTURE_REASONS) };
  ctx.out.intake(agent.subsidiary, 'TerminateAgent', ctx.calendar.wave(month, SLOT.agents), body, {
    target: agent.agentId, entityKey: agent.agentId,
  });
  ctx.count('agents.terminated');
}
