import type { FieldProblem } from '@lib/platform';
import type { IdentityProtection, InboundOperation, Subsidiary, SubsidiaryEventType } from '@lib/contracts';
import type { Catalogue } from '../catalogue/catalogue';
import { isAfter } from '../domain/event-time';
import { nextPolicyStatus, type PolicyAction, type PolicyStatus } from '../domain/policy-lifecycle';
import type { ClientRow, PolicyRow, Registry } from '../persistence/registry';
import { intakeError } from './intake.errors';

/** What an operation works with: the request's transaction (through the registry) and the service's settings. */
export interface OperationContext {
  subsidiary: Subsidiary;
  registry: Registry;
  catalogue: Catalogue;
  identity: IdentityProtection;
  hmacKey: string;
}

/** The canonical event an accepted request becomes, and the key it travels under. */
export interface Accepted {
  payload: Record<string, unknown>;
  routingKey: string;
}

/**
 * One thing a subsidiary system can report, the same over REST and Kafka. The body has
 * already passed the contract's schema (INBOUND_OPERATIONS); `execute` checks it against
 * the registry and the catalogue, records it, and maps it to the event payload.
 */
export interface IntakeOperation<B = any> {
  name: InboundOperation;
  emits: SubsidiaryEventType;
  summary: string;
  /** Business date-times (ISO) that cannot lie in the future, e.g. when consent was given. */
  pastDateTimes?: readonly string[];
  /** Business dates (YYYY-MM-DD) that cannot lie after today, e.g. the date of a loss. */
  pastDates?: readonly string[];
  /** Where the subject lives, for the 202 answer (e.g. /v1/policies/LP-1). */
  location(target: string | null, body: B): string;
  /** More for the 202 answer, known before the work (it is stored with the key and replayed). */
  answer?(body: B): Record<string, unknown>;
  /**
   * The clients and agents the body refers to (field -> id), which `execute` checks with
   * checkReferences; declared so a group commit can read them with its key claims.
   */
  references?(body: B): ReferencedFields;
  execute(ctx: OperationContext, target: string | null, body: B): Promise<Accepted>;
}

/** Field problems for business times in the future (a few minutes of clock skew allowed). */
export function futureTimeProblems(op: IntakeOperation, body: Record<string, unknown>, now: Date, today: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const field of op.pastDateTimes ?? []) {
    const value = body[field];
    if (typeof value === 'string' && isAfter(value, now)) problems.push({ field, message: 'must not be in the future' });
  }
  for (const field of op.pastDates ?? []) {
    const value = body[field];
    if (typeof value === 'string' && value > today) problems.push({ field, message: `must not be after today (${today})` });
  }
  return problems;
}

/** A client the body refers to: unknown is the caller's data problem (422), not a missing route. */
export async function referencedClient(registry: Registry, localId: string, field: string): Promise<ClientRow> {
  const client = await registry.client(localId);
  if (!client) throw unknownClient(localId, field);
  return client;
}

const unknownClient = (localId: string, field: string) =>
  intakeError('UNKNOWN_CLIENT', `Client ${localId} is not registered with this subsidiary; register it first.`, field);

/** The clients and agents a body refers to, by field (an optional field may be absent). */
export interface ReferencedFields {
  clients: Record<string, string | undefined>;
  agents: Record<string, string | undefined>;
}

/** The ids an operation's `references` name, for reading them ahead. */
export function referencedIds(refs: ReferencedFields): { clientIds: string[]; agentIds: string[] } {
  const ids = (byField: Record<string, string | undefined>) => Object.values(byField).filter((id): id is string => id !== undefined);
  return { clientIds: ids(refs.clients), agentIds: ids(refs.agents) };
}

/**
 * Checks, in one query, every client and agent a body refers to (field -> id): clients
 * must be registered, agents onboarded and active. Answers the clients' routing keys by field.
 */
export async function checkReferences(registry: Registry, { clients, agents }: ReferencedFields): Promise<Record<string, string>> {
  const named = (refs: Record<string, string | undefined>) => Object.entries(refs).filter((e): e is [string, string] => e[1] !== undefined);
  const found = await registry.references(named(clients).map(([, id]) => id), named(agents).map(([, id]) => id));
  for (const [field, agentId] of named(agents)) agentProblem(found.agentStatuses.get(agentId), agentId, field);
  const keys: Record<string, string> = {};
  for (const [field, localId] of named(clients)) {
    const key = found.clientKeys.get(localId);
    if (!key) throw unknownClient(localId, field);
    keys[field] = key;
  }
  return keys;
}

function agentProblem(status: 'active' | 'terminated' | undefined, agentId: string, field: string): void {
  if (!status) throw intakeError('UNKNOWN_AGENT', `Agent ${agentId} is not onboarded with this subsidiary.`, field);
  if (status === 'terminated') throw intakeError('AGENT_TERMINATED', `Agent ${agentId} has been terminated.`, field);
}

/** The client a path names (404 when unknown). */
export async function pathClient(registry: Registry, localId: string, forUpdate = false): Promise<ClientRow> {
  const client = await registry.client(localId, forUpdate);
  if (!client) throw intakeError('CLIENT_NOT_FOUND', `Client ${localId} is not registered with this subsidiary.`);
  return client;
}

/** An agent the body refers to must be known and still active: a departed agent sells nothing. */
export async function activeAgent(registry: Registry, agentId: string, field: string): Promise<void> {
  agentProblem((await registry.agentStatus(agentId)) ?? undefined, agentId, field);
}

/** The policy a path names, locked for the status change that follows. */
export async function pathPolicy(registry: Registry, policyNo: string): Promise<PolicyRow> {
  const policy = await registry.policy(policyNo, true);
  if (!policy) throw intakeError('POLICY_NOT_FOUND', `Policy ${policyNo} is not known to this subsidiary service.`);
  return policy;
}

export function transition(policy: PolicyRow, action: PolicyAction): PolicyStatus {
  const next = nextPolicyStatus(policy.status, action);
  if (!next.ok) throw intakeError('POLICY_STATUS_CONFLICT', `Policy ${policy.policyNo}: ${next.reason}.`, undefined, { policyStatus: policy.status });
  return next.status;
}

/** Path parameters arrive as `target`; operations with one always receive it. */
export function required(target: string | null): string {
  if (target === null) throw new Error('operation needs a path parameter');
  return target;
}
