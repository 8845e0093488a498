/** Prose parts of the AsyncAPI document: the rules a JSON Schema cannot express. */
import type { DLQ_HEADERS } from '../topics';

export const DOC_DESCRIPTION = [
  'Generated from @lib/contracts (libs/contracts); do not edit by hand: `npm run docs:asyncapi`.',
  '',
  '**Envelope.** Every message value on the events and decisions topics is a JSON envelope',
  '`{ eventId (UUID), type, schemaVersion, subsidiary, occurredAt (ISO-8601 with offset), correlationId, causationId, payload }`.',
  'Consumers deduplicate by eventId. On coordination.decisions, `subsidiary` names the addressee.',
  '',
  '**Strict.** Unknown fields are rejected, in the envelope and in payloads; rejected records go to `<topic>.dlq`.',
  'Adding an optional field is a contracts release deployed to consumers before producers; a breaking',
  'change is a new schemaVersion with an upcaster, and old versions are upcast on read.',
  '',
  '**Keys.** The message key is the routing key: `idh:<HMAC-SHA256 hex>` of `TYPE:normalised identity number`',
  'for persons with an identity document (identical across the three subsidiary topics, so one person is',
  'co-partitioned), else `<subsidiary>:<client|agent|policy|referral|conflict>:<id>`. Ordering holds per key only.',
  '',
  '**Personal data.** Identity numbers never appear in clear on the events topics: `identity` carries',
  '`{ type, hash, masked, encrypted? }`. The inbound topics carry them in clear (as the REST body does) and',
  'must be ACL-restricted with short retention.',
  '',
  '**Money** is a decimal string with exactly 2 decimals in CNY ("12000.00"), never a JSON number.',
  'Check digits (GB 11643 resident ids, GB 32100 credit codes) and cross-field rules are enforced by',
  'the validators in @lib/contracts beyond what these schemas show.',
].join('\n');

export const DLQ_HEADER_DESCRIPTIONS: Record<keyof typeof DLQ_HEADERS, string> = {
  reason: 'why it was rejected: for contract failures "path: message; ..." (field paths, never values)',
  code: 'stable code, e.g. INVALID_PAYLOAD, UNKNOWN_EVENT_TYPE, UNSUPPORTED_SCHEMA_VERSION, INVALID_JSON',
  topic: 'the topic the record was read from',
  partition: 'its partition',
  offset: 'its offset',
  retryOf: 'set on a record re-enqueued from the dead-letter store: the dead letter id',
};
