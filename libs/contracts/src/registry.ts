/**
 * The schema registry: every (type, schemaVersion) a consumer may meet, and the
 * current version producers must write. An event's `type` never changes; a
 * breaking change adds a version here plus an upcaster from the previous one.
 */
import { z } from 'zod';
import { ActivityLoggedPayloadSchema } from './schemas/activity';
import { AgentOnboardedPayloadSchema, AgentTerminatedPayloadSchema, AgentTransferredPayloadSchema } from './schemas/agent';
import { ClaimReportedPayloadSchema, ClaimSettledPayloadSchema } from './schemas/claim';
import { ClientRegisteredPayloadSchema, ClientUpdatedPayloadSchema } from './schemas/client';
import {
  ConflictResolvedPayloadSchema, ConflictSupersededPayloadSchema, CreditNoticePayloadSchema, ReferralStatusChangedPayloadSchema,
} from './schemas/decisions';
import { ConsentChangedPayloadSchema, RelationshipDeclaredPayloadSchema } from './schemas/party-links';
import {
  PolicyCancelledPayloadSchema, PolicyEndorsedPayloadSchema, PolicyIssuedPayloadSchema, PolicyIssuedV1PayloadSchema,
  PolicyLapsedPayloadSchema, PolicyReinstatedPayloadSchema, PolicyRenewedPayloadSchema, PolicyRenewedV1PayloadSchema,
} from './schemas/policy';
import { ReferralRegisteredPayloadSchema } from './schemas/referral';

export const SUBSIDIARY_EVENT_TYPES = [
  'ClientRegistered', 'ClientUpdated', 'ConsentChanged', 'RelationshipDeclared',
  'AgentOnboarded', 'AgentTransferred', 'AgentTerminated', 'ReferralRegistered',
  'PolicyIssued', 'PolicyRenewed', 'PolicyEndorsed', 'PolicyCancelled', 'PolicyLapsed', 'PolicyReinstated',
  'ClaimReported', 'ClaimSettled', 'ActivityLogged',
] as const;
export const DECISION_TYPES = ['ConflictResolved', 'ConflictSuperseded', 'ReferralStatusChanged', 'CreditNotice'] as const;
export const EVENT_TYPES = [...SUBSIDIARY_EVENT_TYPES, ...DECISION_TYPES] as const;

export type SubsidiaryEventType = (typeof SUBSIDIARY_EVENT_TYPES)[number];
export type DecisionType = (typeof DECISION_TYPES)[number];
export type EventType = (typeof EVENT_TYPES)[number];

/** Current payload schema per type; also the source of the TypeScript payload types. */
const CURRENT_SCHEMAS = {
  ClientRegistered: ClientRegisteredPayloadSchema,
  ClientUpdated: ClientUpdatedPayloadSchema,
  ConsentChanged: ConsentChangedPayloadSchema,
  RelationshipDeclared: RelationshipDeclaredPayloadSchema,
  AgentOnboarded: AgentOnboardedPayloadSchema,
  AgentTransferred: AgentTransferredPayloadSchema,
  AgentTerminated: AgentTerminatedPayloadSchema,
  ReferralRegistered: ReferralRegisteredPayloadSchema,
  PolicyIssued: PolicyIssuedPayloadSchema,
  PolicyRenewed: PolicyRenewedPayloadSchema,
  PolicyEndorsed: PolicyEndorsedPayloadSchema,
  PolicyCancelled: PolicyCancelledPayloadSchema,
  PolicyLapsed: PolicyLapsedPayloadSchema,
  PolicyReinstated: PolicyReinstatedPayloadSchema,
  ClaimReported: ClaimReportedPayloadSchema,
  ClaimSettled: ClaimSettledPayloadSchema,
  ActivityLogged: ActivityLoggedPayloadSchema,
  ConflictResolved: ConflictResolvedPayloadSchema,
  ConflictSuperseded: ConflictSupersededPayloadSchema,
  ReferralStatusChanged: ReferralStatusChangedPayloadSchema,
  CreditNotice: CreditNoticePayloadSchema,
} as const satisfies Record<EventType, z.ZodType>;

export type PayloadMap = { [T in EventType]: z.infer<(typeof CURRENT_SCHEMAS)[T]> };
export type PayloadOf<T extends EventType> = PayloadMap[T];

/** The version producers write today. Kept explicit (and checked by a test against EVENT_SCHEMAS). */
export const CURRENT_VERSION = {
  ClientRegistered: 1, ClientUpdated: 1, ConsentChanged: 1, RelationshipDeclared: 1,
  AgentOnboarded: 1, AgentTransferred: 1, AgentTerminated: 1, ReferralRegistered: 1,
  PolicyIssued: 2, PolicyRenewed: 2, PolicyEndorsed: 1, PolicyCancelled: 1, PolicyLapsed: 1, PolicyReinstated: 1,
  ClaimReported: 1, ClaimSettled: 1, ActivityLogged: 1,
  ConflictResolved: 1, ConflictSuperseded: 1, ReferralStatusChanged: 1, CreditNotice: 1,
} as const satisfies Record<EventType, number>;

function currentOnly<T extends EventType>(type: T): Readonly<Record<number, z.ZodType>> {
  return { [CURRENT_VERSION[type]]: CURRENT_SCHEMAS[type] };
}

export const EVENT_SCHEMAS: { readonly [T in EventType]: Readonly<Record<number, z.ZodType>> } = {
  ...(Object.fromEntries(EVENT_TYPES.map((t) => [t, currentOnly(t)])) as Record<EventType, Record<number, z.ZodType>>),
  PolicyIssued: { 1: PolicyIssuedV1PayloadSchema, 2: PolicyIssuedPayloadSchema },
  PolicyRenewed: { 1: PolicyRenewedV1PayloadSchema, 2: PolicyRenewedPayloadSchema },
};

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}

export function isSubsidiaryEventType(value: unknown): value is SubsidiaryEventType {
  return typeof value === 'string' && (SUBSIDIARY_EVENT_TYPES as readonly string[]).includes(value);
}

export function isDecisionType(value: unknown): value is DecisionType {
  return typeof value === 'string' && (DECISION_TYPES as readonly string[]).includes(value);
}

/** The current payload schema of a type, typed. */
export function payloadSchemaOf<T extends EventType>(type: T): z.ZodType<PayloadOf<T>> {
  return CURRENT_SCHEMAS[type] as unknown as z.ZodType<PayloadOf<T>>;
}
