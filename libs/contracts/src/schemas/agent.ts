/**
 * Agents (sales staff of any channel). `channel` is the group channel after the
 * subsidiary service maps its own code, which it may pass on as localChannelCode.
 * Termination makes the agent's clients and renewals orphans for reassignment.
 */
import { z } from 'zod';
import { ChannelSchema, IsoDateSchema, LocalChannelCodeSchema, LocalIdSchema, NameSchema, ProductLineSchema, ReasonSchema } from '../primitives';

const AGENT_FIELDS = {
  agentId: LocalIdSchema,
  name: NameSchema,
  channel: ChannelSchema,
  localChannelCode: LocalChannelCodeSchema.optional(),
  branchId: LocalIdSchema,
  teamId: LocalIdSchema,
  leaderId: LocalIdSchema.nullable().describe('null for a team without a leader above this agent'),
  joinedAt: IsoDateSchema,
  specialistFor: z.array(ProductLineSchema).max(20).optional().describe('product lines this agent supports as a product specialist'),
};

function checkLeader(v: { agentId: string; leaderId: string | null }, ctx: z.RefinementCtx): void {
  if (v.leaderId === v.agentId) ctx.addIssue({ code: 'custom', path: ['leaderId'], message: 'must differ from agentId' });
}

export const AgentOnboardedPayloadSchema = z.strictObject(AGENT_FIELDS).superRefine(checkLeader);

/** Body of POST /v1/agents: channel may be left to the service's mapping of localChannelCode. */
export const AgentInputSchema = z
  .strictObject({ ...AGENT_FIELDS, channel: ChannelSchema.optional() })
  .superRefine((v, ctx) => {
    checkLeader(v, ctx);
    if (!v.channel && !v.localChannelCode) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'is required unless localChannelCode is given' });
    }
  });

const TRANSFER_FIELDS = {
  toBranchId: LocalIdSchema,
  toTeamId: LocalIdSchema,
  toLeaderId: LocalIdSchema.nullable(),
  effectiveDate: IsoDateSchema,
};

export const AgentTransferredPayloadSchema = z
  .strictObject({ agentId: LocalIdSchema, ...TRANSFER_FIELDS })
  .superRefine((v, ctx) => {
    if (v.toLeaderId === v.agentId) ctx.addIssue({ code: 'custom', path: ['toLeaderId'], message: 'must differ from agentId' });
  });

/** Body of POST /v1/agents/{agentId}/transfer (the service checks toLeaderId against the path). */
export const AgentTransferInputSchema = z.strictObject(TRANSFER_FIELDS);

export const AgentTerminatedPayloadSchema = z.strictObject({
  agentId: LocalIdSchema,
  effectiveDate: IsoDateSchema,
  reason: ReasonSchema,
});

/** Body of POST /v1/agents/{agentId}/termination. */
export const AgentTerminationInputSchema = AgentTerminatedPayloadSchema.omit({ agentId: true });

export type AgentTransferInput = z.infer<typeof AgentTransferInputSchema>;
export type AgentInput = z.infer<typeof AgentInputSchema>;
export type AgentTerminationInput = z.infer<typeof AgentTerminationInputSchema>;
export type AgentOnboardedPayload = z.infer<typeof AgentOnboardedPayloadSchema>;
export type AgentTransferredPayload = z.infer<typeof AgentTransferredPayloadSchema>;
export type AgentTerminatedPayload = z.infer<typeof AgentTerminatedPayloadSchema>;
