import {
  clientPayloadFromInput, maskIdentityNumber, type ClientInput, type ConsentInput, type RelationshipDeclaredPayload,
} from '@lib/contracts';
import { clientRoutingKey, creditCodeHash } from '../../domain/routing-key';
import type { NewClient } from '../../persistence/registry';
import { intakeError } from '../intake.errors';
import { checkReferences, type IntakeOperation, type OperationContext, pathClient, required } from '../operation';

/** The clear number is hashed and encrypted here and nowhere else; only the payload leaves. */
function protect(ctx: OperationContext, input: ClientInput): { payload: Record<string, unknown>; record: Omit<NewClient, 'routingKey'> } {
  const payload = clientPayloadFromInput(input, ctx.identity);
  const identity = payload.kind === 'person' ? payload.identity : undefined;
  return {
    payload,
    record: {
      localId: input.localId,
      kind: input.kind,
      identityType: identity?.type ?? null,
      identityHash: identity?.hash ?? null,
      identityMasked: identity?.masked ?? null,
      identityEncrypted: identity?.encrypted ?? null,
      creditCode: input.kind === 'organization' ? input.creditCode : null,
    },
  };
}

/** The answer shows the identity document only masked (110***********1234). */
function maskedIdentity(body: ClientInput): Record<string, unknown> {
  if (body.kind !== 'person' || !body.identity) return {};
  return { identity: { type: body.identity.type, masked: maskIdentityNumber(body.identity.number) } };
}

function routingHash(ctx: OperationContext, record: Omit<NewClient, 'routingKey'>): string | null {
  if (record.identityHash) return record.identityHash;
  return record.creditCode ? creditCodeHash(ctx.hmacKey, record.creditCode) : null;
}

export const registerClient: IntakeOperation<ClientInput> = {
  name: 'RegisterClient',
  emits: 'ClientRegistered',
  summary: 'Register a client (person or organisation)',
  location: (_t, body) => `/v1/clients/${body.localId}`,
  answer: maskedIdentity,
  async execute(ctx, _target, body) {
    const { payload, record } = protect(ctx, body);
    const routingKey = clientRoutingKey(ctx.subsidiary, body.localId, routingHash(ctx, record));
    if (!(await ctx.registry.insertClient({ ...record, routingKey }))) {
      throw intakeError('CLIENT_ALREADY_REGISTERED', `Client ${body.localId} is already registered; use PUT /v1/clients/${body.localId} to update it.`, 'localId');
    }
    return { payload, routingKey };
  },
};

export const updateClient: IntakeOperation<ClientInput> = {
  name: 'UpdateClient',
  emits: 'ClientUpdated',
  summary: "Replace a client's details (full snapshot: an absent optional field is no longer held)",
  location: (target) => `/v1/clients/${target}`,
  answer: maskedIdentity,
  async execute(ctx, target, body) {
    const localId = required(target);
    if (body.localId !== localId) throw intakeError('VALIDATION_FAILED', `localId must equal the client in the path (${localId}).`, 'localId');
    const existing = await pathClient(ctx.registry, localId, true);
    if (existing.kind !== body.kind) {
      throw intakeError('CLIENT_KIND_CHANGED', `Client ${localId} is registered as ${existing.kind}; register the ${body.kind} under a new localId.`, 'kind');
    }
    const { payload, record } = protect(ctx, body);
    await ctx.registry.updateClient(record);
    return { payload, routingKey: existing.routingKey };
  },
};

export const changeConsent: IntakeOperation<ConsentInput> = {
  name: 'ChangeConsent',
  emits: 'ConsentChanged',
  summary: "Record a client's consent given or withdrawn for one scope",
  pastDateTimes: ['at'],
  location: (target) => `/v1/clients/${target}`,
  async execute(ctx, target, body) {
    const client = await pathClient(ctx.registry, required(target));
    return { payload: { localId: client.localId, ...body }, routingKey: client.routingKey };
  },
};

export const declareRelationship: IntakeOperation<RelationshipDeclaredPayload> = {
  name: 'DeclareRelationship',
  emits: 'RelationshipDeclared',
  summary: 'Declare that one client is the spouse, child, parent, beneficiary, insured, employee or officer of another',
  pastDates: ['since'],
  location: (_t, body) => `/v1/clients/${body.fromLocalId}`,
  references: (body) => ({ clients: { fromLocalId: body.fromLocalId, toLocalId: body.toLocalId }, agents: {} }),
  async execute(ctx, _target, body) {
    const keys = await checkReferences(ctx.registry, declareRelationship.references!(body));
    return { payload: body, routingKey: keys.fromLocalId };
  },
};
