/**
 * The envelope every event travels in, and the one entry point that turns an
 * untrusted JSON value into a typed, current-version event.
 *
 * Strictness: unknown fields are REJECTED, in the envelope and in every payload.
 * The coordination service is the system of record; silently dropping a field it
 * does not understand would lose it from the event history for good, and storing
 * it unvalidated would let unchecked data into the audit trail. A rejected event
 * goes to the DLQ, visible and replayable after the contracts are upgraded.
 * Adding an optional field is therefore a contracts release that consumers deploy
 * before producers; a breaking change is a new schemaVersion plus an upcaster.
 */
import { z } from 'zod';
import { checkInContext } from './context-checks';
import { ContractIssue, parseWith } from './issues';
import { IsoDateTimeSchema, SubsidiarySchema } from './primitives';
import {
  CURRENT_VERSION, EVENT_SCHEMAS, EventType, DecisionType, isDecisionType, isEventType, isSubsidiaryEventType,
  PayloadOf, SubsidiaryEventType,
} from './registry';
import { SUBSIDIARIES } from './topics';
import { upcastPayload } from './upcasters';

export const EnvelopeSchema = z.strictObject({
  eventId: z.uuid({ error: 'must be a UUID' }),
  type: z.string().min(1).max(100),
  schemaVersion: z.number().int().min(1),
  subsidiary: SubsidiarySchema.describe('the publishing subsidiary; on coordination.decisions, the addressee'),
  occurredAt: IsoDateTimeSchema,
  correlationId: z.string().min(1).max(200),
  causationId: z.string().min(1).max(200).nullable(),
  payload: z.record(z.string(), z.unknown()),
});
export type RawEnvelope = z.infer<typeof EnvelopeSchema>;

type EnvelopeHead = Omit<RawEnvelope, 'type' | 'payload'>;
/** A parsed event: the envelope with `type` narrowed and the payload typed at the current version. */
export type EventEnvelope<T extends EventType = EventType> = { [K in T]: EnvelopeHead & { type: K; payload: PayloadOf<K> } }[T];
export type CanonicalEvent = EventEnvelope<EventType>;
export type SubsidiaryEvent = EventEnvelope<SubsidiaryEventType>;
export type DecisionEvent = EventEnvelope<DecisionType>;

export const PARSE_FAILURE_CODES = [
  'INVALID_JSON', 'INVALID_ENVELOPE', 'UNKNOWN_EVENT_TYPE', 'UNEXPECTED_EVENT_TYPE',
  'UNSUPPORTED_SCHEMA_VERSION', 'INVALID_PAYLOAD',
] as const;
export type ParseFailureCode = (typeof PARSE_FAILURE_CODES)[number];

export type ParseResult<E> =
  | { ok: true; event: E; /** the version it arrived at, when it was upcast */ upcastedFrom: number | null }
  | { ok: false; code: ParseFailureCode; issues: ContractIssue[] };

function fail(code: ParseFailureCode, path: string, message: string): ParseResult<never> {
  return { ok: false, code, issues: [{ path, code: code.toLowerCase(), message }] };
}

function decodeJson(input: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return { ok: true, value: input };
  try {
    return { ok: true, value: JSON.parse(typeof input === 'string' ? input : Buffer.from(input).toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

/**
 * Validates envelope and payload, upcasts old versions to current, and checks the
 * rules that need the envelope (e.g. a birth date not after occurredAt). Accepts a
 * parsed JSON value, a JSON string or the raw bytes of a Kafka message value.
 */
export function parseEnvelope(json: unknown): ParseResult<CanonicalEvent> {
  const decoded = decodeJson(json);
  if (!decoded.ok) return fail('INVALID_JSON', '', 'is not valid JSON');
  const envelope = parseWith(EnvelopeSchema, decoded.value);
  if (!envelope.ok) return { ok: false, code: 'INVALID_ENVELOPE', issues: envelope.issues };
  const { type, schemaVersion } = envelope.value;
  if (!isEventType(type)) return fail('UNKNOWN_EVENT_TYPE', 'type', `is not a known event type: ${type}`);
  if (!EVENT_SCHEMAS[type][schemaVersion]) {
    const known = Object.keys(EVENT_SCHEMAS[type]).join(', ');
    return fail('UNSUPPORTED_SCHEMA_VERSION', 'schemaVersion', `${type} v${schemaVersion} is not supported (known: ${known})`);
  }
  const payload = upcastPayload(type, schemaVersion, envelope.value.payload);
  if (!payload.ok) return { ok: false, code: 'INVALID_PAYLOAD', issues: payload.issues };
  const event = { ...envelope.value, schemaVersion: CURRENT_VERSION[type], payload: payload.payload } as CanonicalEvent;
  const contextIssues = checkInContext(event);
  if (contextIssues.length > 0) return { ok: false, code: 'INVALID_PAYLOAD', issues: contextIssues };
  return { ok: true, event, upcastedFrom: schemaVersion === CURRENT_VERSION[type] ? null : schemaVersion };
}

function parseOnly<T extends EventType>(json: unknown, accepts: (t: EventType) => t is T): ParseResult<EventEnvelope<T>> {
  const result = parseEnvelope(json);
  if (!result.ok || accepts(result.event.type)) return result as ParseResult<EventEnvelope<T>>;
  return fail('UNEXPECTED_EVENT_TYPE', 'type', `${result.event.type} is not expected on this topic`);
}

/** For consumers of subsidiary.<sub>.events: decision types are rejected. */
export function parseSubsidiaryEvent(json: unknown): ParseResult<SubsidiaryEvent> {
  return parseOnly(json, isSubsidiaryEventType);
}

/** For consumers of coordination.decisions: subsidiary event types are rejected. */
export function parseDecision(json: unknown): ParseResult<DecisionEvent> {
  return parseOnly(json, isDecisionType);
}

export interface NewEvent<T extends EventType> {
  type: T;
  eventId: string;
  subsidiary: RawEnvelope['subsidiary'];
  occurredAt: string;
  correlationId: string;
  causationId?: string | null;
  /** Typed as `object` so readonly domain types fit; it is validated at run time like any consumer would. */
  payload: PayloadOf<T> | object;
}

/** For producers: stamps the current schemaVersion and validates exactly as a consumer will. */
export function createEvent<T extends EventType>(input: NewEvent<T>): ParseResult<EventEnvelope<T>> {
  const raw = { ...input, causationId: input.causationId ?? null, schemaVersion: CURRENT_VERSION[input.type] };
  if (!plainEnvelopeHead(raw)) return parseEnvelope(raw) as ParseResult<EventEnvelope<T>>;
  // The head is one EnvelopeSchema accepts (see plainEnvelopeHead): only the payload is left
  // to validate, as parseEnvelope would (a producer's payload is always at the current version).
  const { type } = raw;
  const payload = upcastPayload(type, raw.schemaVersion, raw.payload);
  if (!payload.ok) return { ok: false, code: 'INVALID_PAYLOAD', issues: payload.issues };
  const event = {
    eventId: raw.eventId, type, schemaVersion: raw.schemaVersion, subsidiary: raw.subsidiary, occurredAt: raw.occurredAt,
    correlationId: raw.correlationId, causationId: raw.causationId, payload: payload.payload,
  } as EventEnvelope<T>;
  const contextIssues = checkInContext(event as CanonicalEvent);
  if (contextIssues.length > 0) return { ok: false, code: 'INVALID_PAYLOAD', issues: contextIssues };
  return { ok: true, event, upcastedFrom: null };
}

const ENVELOPE_FIELDS = Object.keys(EnvelopeSchema.shape).length;
const PLAIN_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const PLAIN_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|\+08:00)$/;

/**
 * The envelope head as a producer usually builds it (a lower-case UUID, a millisecond
 * date-time at +08:00 or Z that is a real calendar instant, a known type and subsidiary,
 * ids of 1-200 characters, no other field): a narrower check than EnvelopeSchema's, and far cheaper than
 * running it. It only decides which path validates; anything else goes through parseEnvelope.
 */
function plainEnvelopeHead(raw: {
  eventId: unknown; type: unknown; subsidiary: unknown; occurredAt: unknown; correlationId: unknown; causationId: unknown; payload: unknown;
}): boolean {
  const { eventId, occurredAt, correlationId, causationId, payload } = raw;
  return Object.keys(raw).length === ENVELOPE_FIELDS && typeof eventId === 'string' && PLAIN_UUID.test(eventId)
    && isEventType(raw.type)
    && (SUBSIDIARIES as readonly unknown[]).includes(raw.subsidiary)
    && typeof occurredAt === 'string' && PLAIN_DATE_TIME.test(occurredAt) && isCalendarInstant(occurredAt.slice(0, 23))
    && typeof correlationId === 'string' && correlationId.length >= 1 && correlationId.length <= 200
    && (causationId === null || (typeof causationId === 'string' && causationId.length >= 1 && causationId.length <= 200))
    && typeof payload === 'object' && payload !== null && !Array.isArray(payload) && Object.getPrototypeOf(payload) === Object.prototype;
}

/** `YYYY-MM-DDTHH:mm:ss.sss` names a real instant (no 31 April, no hour 24). */
function isCalendarInstant(local: string): boolean {
  const time = Date.parse(`${local}Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 23) === local;
}
