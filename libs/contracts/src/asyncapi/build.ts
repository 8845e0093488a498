/**
 * Builds the AsyncAPI 3.0 document from the zod schemas, so the published
 * contract cannot drift from what the code validates. Refinements (check digits,
 * cross-field rules) do not survive into JSON Schema; descriptions say where they apply.
 */
import { z } from 'zod';
import { EnvelopeSchema } from '../envelope';
import { exampleEnvelope } from '../examples';
import { INBOUND_OPERATION_NAMES, INBOUND_OPERATIONS, InboundRequestSchema } from '../inbound';
import { CURRENT_VERSION, DECISION_TYPES, EVENT_SCHEMAS, EventType, SUBSIDIARY_EVENT_TYPES } from '../registry';
import { DECISIONS_TOPIC, DLQ_HEADERS, dlqTopic, eventsTopic, inboundTopic, SUBSIDIARIES } from '../topics';
import { DOC_DESCRIPTION, DLQ_HEADER_DESCRIPTIONS } from './description';
import { EVENT_SUMMARIES, KEY_DESCRIPTIONS } from './summaries';

export const CONTRACTS_VERSION = '1.0.0';
const KAFKA = '0.5.0';
type Doc = Record<string, unknown>;

export function jsonSchemaOf(schema: z.ZodType): Doc {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as Doc;
  return rest;
}

const payloadName = (type: EventType, version: number | string) => `${type}PayloadV${version}`;
const ref = (path: string) => ({ $ref: path });

function schemas(): Doc {
  const out: Doc = { Envelope: jsonSchemaOf(EnvelopeSchema), InboundRequest: jsonSchemaOf(InboundRequestSchema) };
  for (const [type, versions] of Object.entries(EVENT_SCHEMAS) as [EventType, Record<number, z.ZodType>][]) {
    for (const [version, schema] of Object.entries(versions)) out[payloadName(type, version)] = jsonSchemaOf(schema);
  }
  for (const op of INBOUND_OPERATION_NAMES) out[`${op}Body`] = jsonSchemaOf(INBOUND_OPERATIONS[op].body('9999-12-31'));
  return out;
}

function eventMessage(type: EventType): Doc {
  const envelope = jsonSchemaOf(EnvelopeSchema) as { properties: Doc };
  const versions = Object.keys(EVENT_SCHEMAS[type]).map(Number);
  const schemaVersion = { type: 'integer', enum: versions, description: `producers write ${CURRENT_VERSION[type]}; older versions are upcast on read` };
  return {
    name: type,
    title: type,
    summary: EVENT_SUMMARIES[type],
    contentType: 'application/json',
    payload: {
      ...envelope,
      properties: { ...envelope.properties, type: { const: type }, schemaVersion, payload: ref(`#/components/schemas/${payloadName(type, CURRENT_VERSION[type])}`) },
    },
    bindings: { kafka: { key: { type: 'string', description: KEY_DESCRIPTIONS[type] }, bindingVersion: KAFKA } },
    examples: [{ name: `${type}Example`, payload: exampleEnvelope(type) }],
  };
}

function fixedMessages(): Doc {
  const headers = Object.fromEntries(Object.entries(DLQ_HEADERS).map(([k, h]) => [h, { type: 'string', description: DLQ_HEADER_DESCRIPTIONS[k as keyof typeof DLQ_HEADERS] }]));
  return {
    InboundRequest: {
      name: 'InboundRequest',
      title: 'Inbound request',
      summary: 'A subsidiary system reporting one intake operation over Kafka; body as the REST route of the same operation.',
      contentType: 'application/json',
      payload: ref('#/components/schemas/InboundRequest'),
      bindings: { kafka: { key: { type: 'string', description: 'the subject id (localId, agentId, policyNo, claimNo) so one subject stays in order' }, bindingVersion: KAFKA } },
    },
    DeadLetter: {
      name: 'DeadLetter',
      title: 'Dead letter',
      summary: 'A record no consumer could accept: original key and value bytes unchanged, original headers kept, reason added.',
      headers: { type: 'object', properties: headers, required: [DLQ_HEADERS.reason, DLQ_HEADERS.code, DLQ_HEADERS.topic, DLQ_HEADERS.partition, DLQ_HEADERS.offset] },
      payload: { description: 'the original message value, byte for byte (usually JSON, but it may be the malformed input itself)' },
      bindings: { kafka: { key: { type: 'string', description: 'the original message key' }, bindingVersion: KAFKA } },
    },
  };
}

interface ChannelSpec { id: string; address: string; description: string; messages: readonly string[] }

function channelSpecs(): ChannelSpec[] {
  const base: ChannelSpec[] = SUBSIDIARIES.flatMap((sub) => [
    { id: `${sub}Events`, address: eventsTopic(sub), description: `Canonical events published by the ${sub} service (outbox relay).`, messages: SUBSIDIARY_EVENT_TYPES },
    { id: `${sub}Inbound`, address: inboundTopic(sub), description: `Raw intake written by ${sub} systems that speak Kafka.`, messages: ['InboundRequest'] },
  ]);
  base.push({ id: 'decisions', address: DECISIONS_TOPIC, description: 'Coordination outcomes; envelope.subsidiary is the addressee.', messages: DECISION_TYPES });
  const dlqs = base.map((c) => ({ id: `${c.id}Dlq`, address: dlqTopic(c.address), description: `Dead letters of ${c.address}.`, messages: ['DeadLetter'] }));
  return [...base, ...dlqs];
}

function channels(specs: ChannelSpec[]): Doc {
  return Object.fromEntries(specs.map((c) => [c.id, {
    address: c.address,
    description: c.description,
    messages: Object.fromEntries(c.messages.map((m) => [m, ref(`#/components/messages/${m}`)])),
  }]));
}

function operation(action: 'send' | 'receive', c: ChannelSpec, summary: string): Doc {
  return { action, summary, channel: ref(`#/channels/${c.id}`), messages: c.messages.map((m) => ref(`#/channels/${c.id}/messages/${m}`)) };
}

function operations(specs: ChannelSpec[]): Doc {
  const ops: Doc = {};
  for (const c of specs) {
    const [producer, consumer] = c.id.endsWith('Dlq') ? ['a consumer that rejected the record', 'operators and the dead-letter API']
      : c.id.endsWith('Inbound') ? ['the subsidiary system', 'the subsidiary service']
      : c.id === 'decisions' ? ['the coordination service', 'the subsidiary services'] : ['the subsidiary service', 'the coordination service'];
    ops[`${c.id}Send`] = operation('send', c, `Written by ${producer}.`);
    ops[`${c.id}Receive`] = operation('receive', c, `Read by ${consumer}.`);
  }
  return ops;
}

/** The AsyncAPI 3.0 document (plain JSON data). */
export function buildAsyncApi(): Doc {
  const specs = channelSpecs();
  const eventMessages = Object.fromEntries(Object.keys(CURRENT_VERSION).map((t) => [t, eventMessage(t as EventType)]));
  return {
    asyncapi: '3.0.0',
    info: { title: 'Group cross-sell platform: Kafka contract', version: CONTRACTS_VERSION, description: DOC_DESCRIPTION },
    defaultContentType: 'application/json',
    servers: { local: { host: 'localhost:9092', protocol: 'kafka', description: 'docker-compose broker (KRaft)' } },
    channels: channels(specs),
    operations: operations(specs),
    components: { schemas: schemas(), messages: { ...eventMessages, ...fixedMessages() } },
  };
}
