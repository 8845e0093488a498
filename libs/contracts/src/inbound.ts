/**
 * The intake operations: one table that names, for each thing a subsidiary system
 * can report, its REST route, its body schema and the canonical event it becomes.
 * Subsidiary systems that speak Kafka write the same operation as an
 * InboundRequest to `subsidiary.<sub>.inbound`; the service validates it exactly as
 * it validates the REST body (requestId plays the Idempotency-Key).
 *
 * The inbound topic, like the REST body, carries identity numbers in clear: keep
 * it ACL-restricted with short retention. Only the canonical events are widely read.
 */
import { z } from 'zod';
import { ContractIssue, parseWith } from './issues';
import { IsoDateTimeSchema, LocalIdSchema } from './primitives';
import type { SubsidiaryEventType } from './registry';
import { ActivityLoggedPayloadSchema } from './schemas/activity';
import { AgentInputSchema, AgentTerminationInputSchema, AgentTransferInputSchema } from './schemas/agent';
import { ClaimReportedPayloadSchema, ClaimSettledPayloadSchema } from './schemas/claim';
import { clientInputSchemaAsOf } from './schemas/client';
import { ConsentInputSchema, RelationshipDeclaredPayloadSchema } from './schemas/party-links';
import {
  PolicyCancellationInputSchema, PolicyEndorsementInputSchema, PolicyInputSchema, PolicyLapseInputSchema,
  PolicyReinstatementInputSchema, PolicyRenewalInputSchema,
} from './schemas/policy';
import { ReferralRegisteredPayloadSchema } from './schemas/referral';

/** Body of POST /v1/claims/{claimNo}/settlement. */
export const ClaimSettlementInputSchema = ClaimSettledPayloadSchema.omit({ claimNo: true });
export type ClaimSettlementInput = z.infer<typeof ClaimSettlementInputSchema>;

export interface InboundOperationSpec {
  method: 'POST' | 'PUT';
  /** REST route; `{name}` is the path parameter that InboundRequest.target carries. */
  path: string;
  /** Body schema given today's date (only client bodies use it: birth date not in the future). */
  body: (today: string) => z.ZodType;
  emits: SubsidiaryEventType;
}

const fixed = (schema: z.ZodType) => () => schema;

export const INBOUND_OPERATIONS = {
  RegisterClient: { method: 'POST', path: '/v1/clients', body: clientInputSchemaAsOf, emits: 'ClientRegistered' },
  UpdateClient: { method: 'PUT', path: '/v1/clients/{localId}', body: clientInputSchemaAsOf, emits: 'ClientUpdated' },
  ChangeConsent: { method: 'POST', path: '/v1/clients/{localId}/consents', body: fixed(ConsentInputSchema), emits: 'ConsentChanged' },
  DeclareRelationship: { method: 'POST', path: '/v1/relationships', body: fixed(RelationshipDeclaredPayloadSchema), emits: 'RelationshipDeclared' },
  OnboardAgent: { method: 'POST', path: '/v1/agents', body: fixed(AgentInputSchema), emits: 'AgentOnboarded' },
  TransferAgent: { method: 'POST', path: '/v1/agents/{agentId}/transfer', body: fixed(AgentTransferInputSchema), emits: 'AgentTransferred' },
  TerminateAgent: { method: 'POST', path: '/v1/agents/{agentId}/termination', body: fixed(AgentTerminationInputSchema), emits: 'AgentTerminated' },
  RegisterReferral: { method: 'POST', path: '/v1/referrals', body: fixed(ReferralRegisteredPayloadSchema), emits: 'ReferralRegistered' },
  IssuePolicy: { method: 'POST', path: '/v1/policies', body: fixed(PolicyInputSchema), emits: 'PolicyIssued' },
  RenewPolicy: { method: 'POST', path: '/v1/policies/{policyNo}/renewals', body: fixed(PolicyRenewalInputSchema), emits: 'PolicyRenewed' },
  EndorsePolicy: { method: 'POST', path: '/v1/policies/{policyNo}/endorsements', body: fixed(PolicyEndorsementInputSchema), emits: 'PolicyEndorsed' },
  CancelPolicy: { method: 'POST', path: '/v1/policies/{policyNo}/cancellation', body: fixed(PolicyCancellationInputSchema), emits: 'PolicyCancelled' },
  LapsePolicy: { method: 'POST', path: '/v1/policies/{policyNo}/lapse', body: fixed(PolicyLapseInputSchema), emits: 'PolicyLapsed' },
  ReinstatePolicy: { method: 'POST', path: '/v1/policies/{policyNo}/reinstatement', body: fixed(PolicyReinstatementInputSchema), emits: 'PolicyReinstated' },
  ReportClaim: { method: 'POST', path: '/v1/claims', body: fixed(ClaimReportedPayloadSchema), emits: 'ClaimReported' },
  SettleClaim: { method: 'POST', path: '/v1/claims/{claimNo}/settlement', body: fixed(ClaimSettlementInputSchema), emits: 'ClaimSettled' },
  LogActivity: { method: 'POST', path: '/v1/activities', body: fixed(ActivityLoggedPayloadSchema), emits: 'ActivityLogged' },
} as const satisfies Record<string, InboundOperationSpec>;

export type InboundOperation = keyof typeof INBOUND_OPERATIONS;
export const INBOUND_OPERATION_NAMES = Object.keys(INBOUND_OPERATIONS) as InboundOperation[];

export const InboundRequestSchema = z.strictObject({
  requestId: z.string().min(8).max(200).describe('idempotency key: a redelivered request with the same id changes nothing'),
  operation: z.enum(INBOUND_OPERATION_NAMES as [InboundOperation, ...InboundOperation[]]),
  target: LocalIdSchema.optional().describe('the path parameter ({localId}, {agentId}, {policyNo}, {claimNo}) when the route has one'),
  sentAt: IsoDateTimeSchema,
  correlationId: z.string().min(1).max(200).optional(),
  body: z.record(z.string(), z.unknown()),
});
export type InboundRequest = z.infer<typeof InboundRequestSchema>;

export function pathParamOf(operation: InboundOperation): string | null {
  return /\{(\w+)\}/.exec(INBOUND_OPERATIONS[operation].path)?.[1] ?? null;
}

export type InboundParseResult =
  | { ok: true; request: InboundRequest }
  | { ok: false; code: 'INVALID_REQUEST' | 'INVALID_BODY'; issues: ContractIssue[] };

/** Validates an inbound request and its body; the body's "today" is sentAt's local date. */
export function parseInboundRequest(json: unknown): InboundParseResult {
  const request = parseWith(InboundRequestSchema, json);
  if (!request.ok) return { ok: false, code: 'INVALID_REQUEST', issues: request.issues };
  const { operation, target, sentAt, body } = request.value;
  const param = pathParamOf(operation);
  if ((param === null) !== (target === undefined)) {
    const message = param ? `is required: ${operation} names a {${param}}` : `must be absent for ${operation}`;
    return { ok: false, code: 'INVALID_REQUEST', issues: [{ path: 'target', code: 'custom', message }] };
  }
  const parsedBody = parseWith(INBOUND_OPERATIONS[operation].body(sentAt.slice(0, 10)), body, ['body']);
  if (!parsedBody.ok) return { ok: false, code: 'INVALID_BODY', issues: parsedBody.issues };
  if (operation === 'UpdateClient' && (parsedBody.value as { localId: string }).localId !== target) {
    return { ok: false, code: 'INVALID_BODY', issues: [{ path: 'body.localId', code: 'custom', message: 'must equal target' }] };
  }
  return { ok: true, request: { ...request.value, body: parsedBody.value as Record<string, unknown> } };
}
