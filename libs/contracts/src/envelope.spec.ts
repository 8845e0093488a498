import {
  createEvent, CURRENT_VERSION, EVENT_TYPES, exampleEnvelope, EXAMPLE_PAYLOADS, parseDecision, parseEnvelope,
  parseSubsidiaryEvent, ParseResult,
} from '@lib/contracts';
import { DELETE, mutate } from './testing/mutate';

function failure<E>(result: ParseResult<E>) {
  if (result.ok) throw new Error('expected a failure');
  return { code: result.code, paths: result.issues.map((i) => i.path) };
}

describe('parseEnvelope', () => {
  it.each(EVENT_TYPES.map((t) => [t]))('given a valid %s envelope, then it parses to the typed current event', (type) => {
    const result = parseEnvelope(exampleEnvelope(type));
    expect(result).toEqual({ ok: true, event: exampleEnvelope(type), upcastedFrom: null });
  });

  it('given the message value as bytes or a JSON string, then it parses the same', () => {
    const json = JSON.stringify(exampleEnvelope('PolicyIssued'));
    expect(parseEnvelope(Buffer.from(json))).toEqual(parseEnvelope(JSON.parse(json)));
    expect(parseEnvelope(json).ok).toBe(true);
  });

  it.each([
    ['malformed JSON', '{"eventId": ', 'INVALID_JSON', ['']],
    ['an eventId that is not a UUID', mutate(exampleEnvelope('AgentOnboarded'), 'eventId', 'evt-1'), 'INVALID_ENVELOPE', ['eventId']],
    ['occurredAt without offset', mutate(exampleEnvelope('AgentOnboarded'), 'occurredAt', '2026-03-01T09:30:00'), 'INVALID_ENVELOPE', ['occurredAt']],
    ['schemaVersion 0', mutate(exampleEnvelope('AgentOnboarded'), 'schemaVersion', 0), 'INVALID_ENVELOPE', ['schemaVersion']],
    ['an unknown subsidiary', mutate(exampleEnvelope('AgentOnboarded'), 'subsidiary', 'bank'), 'INVALID_ENVELOPE', ['subsidiary']],
    ['causationId missing (null is required for none)', mutate(exampleEnvelope('AgentOnboarded'), 'causationId', DELETE), 'INVALID_ENVELOPE', ['causationId']],
    ['an unknown envelope field', mutate(exampleEnvelope('AgentOnboarded'), 'traceId', 'abc'), 'INVALID_ENVELOPE', ['traceId']],
    ['an unknown event type', mutate(exampleEnvelope('AgentOnboarded'), 'type', 'AgentPromoted'), 'UNKNOWN_EVENT_TYPE', ['type']],
    ['a version from the future', mutate(exampleEnvelope('AgentOnboarded'), 'schemaVersion', 2), 'UNSUPPORTED_SCHEMA_VERSION', ['schemaVersion']],
    ['a bad payload field', mutate(exampleEnvelope('AgentOnboarded'), 'payload.joinedAt', '05/01/2026'), 'INVALID_PAYLOAD', ['payload.joinedAt']],
  ])('given %s, then it fails with %s naming the field', (_case, input, code, paths) => {
    expect(failure(parseEnvelope(input))).toEqual({ code, paths });
  });

  it('given a person born after occurredAt, then payload.birthDate is rejected', () => {
    const envelope = mutate(mutate(exampleEnvelope('ClientRegistered'), 'payload.birthDate', '2026-03-02'), 'payload.identity', DELETE);
    expect(failure(parseEnvelope(envelope))).toEqual({ code: 'INVALID_PAYLOAD', paths: ['payload.birthDate'] });
  });

  it('given a born-today person, then it is accepted (the date is read in occurredAt\'s own offset)', () => {
    const envelope = mutate(mutate(exampleEnvelope('ClientRegistered'), 'payload.birthDate', '2026-03-01'), 'payload.identity', DELETE);
    expect(parseEnvelope(envelope).ok).toBe(true);
  });

  it('given a MOTOR policy published by the life service, then payload.productLine is rejected', () => {
    const envelope = mutate(exampleEnvelope('PolicyIssued', 'life'), 'payload.productLine', 'MOTOR');
    expect(failure(parseEnvelope(envelope))).toEqual({ code: 'INVALID_PAYLOAD', paths: ['payload.productLine'] });
  });
});

describe('upcasting PolicyIssued v1 (premium as a number) to v2', () => {
  const v1 = (amount: number) => {
    const { standardPremium: _s, ...payload } = EXAMPLE_PAYLOADS.PolicyIssued;
    return { ...exampleEnvelope('PolicyIssued'), schemaVersion: 1, payload: { ...payload, premium: { ...payload.premium, amount } } };
  };

  it.each([
    [12000, '12000.00'],
    [3280.5, '3280.50'],
    [0.07, '0.07'],
  ])('given a v1 amount %d, then the event arrives at v2 with "%s"', (amount, text) => {
    const result = parseEnvelope(v1(amount));
    expect(result).toMatchObject({ ok: true, upcastedFrom: 1, event: { schemaVersion: 2, payload: { premium: { amount: text } } } });
  });

  it('given a v1 amount already damaged by float arithmetic, then it is rejected rather than rounded', () => {
    const result = parseEnvelope(v1(0.1 + 0.2));
    expect(failure(result)).toEqual({ code: 'INVALID_PAYLOAD', paths: ['payload.premium.amount'] });
    expect(result.ok ? '' : result.issues[0].message).toContain('after upcasting to v2');
  });

  it('given a v1 event carrying a v2-only field, then v1 validation rejects it', () => {
    const envelope = mutate(v1(12000), 'payload.standardPremium', '9600.00');
    expect(failure(parseEnvelope(envelope))).toEqual({ code: 'INVALID_PAYLOAD', paths: ['payload.standardPremium'] });
  });

  it('given a v1 amount as a string, then v1 validation names it', () => {
    const envelope = mutate(v1(12000), 'payload.premium.amount', '12000.00');
    expect(failure(parseEnvelope(envelope))).toEqual({ code: 'INVALID_PAYLOAD', paths: ['payload.premium.amount'] });
  });
});

describe('topic-specific parsing and createEvent', () => {
  it('given a decision on a subsidiary events topic, then parseSubsidiaryEvent refuses it', () => {
    expect(failure(parseSubsidiaryEvent(exampleEnvelope('CreditNotice')))).toEqual({ code: 'UNEXPECTED_EVENT_TYPE', paths: ['type'] });
    expect(parseSubsidiaryEvent(exampleEnvelope('PolicyIssued')).ok).toBe(true);
  });

  it('given a subsidiary event on coordination.decisions, then parseDecision refuses it', () => {
    expect(failure(parseDecision(exampleEnvelope('PolicyIssued')))).toEqual({ code: 'UNEXPECTED_EVENT_TYPE', paths: ['type'] });
    expect(parseDecision(exampleEnvelope('ConflictResolved')).ok).toBe(true);
  });

  it('when a producer creates an event, then it is stamped with the current version and causationId null', () => {
    const { schemaVersion: _v, causationId: _c, ...input } = exampleEnvelope('PolicyRenewed');
    const result = createEvent(input);
    expect(result).toMatchObject({ ok: true, event: { schemaVersion: CURRENT_VERSION.PolicyRenewed, causationId: null } });
  });

  it('when a producer creates an event with a bad payload, then it gets the consumer\'s field paths', () => {
    const { schemaVersion: _v, ...input } = exampleEnvelope('PolicyRenewed');
    const result = createEvent({ ...input, payload: { ...input.payload, premium: { amount: 3280.5, currency: 'CNY', mode: 'ANNUAL' } } });
    expect(failure(result)).toEqual({ code: 'INVALID_PAYLOAD', paths: ['payload.premium.amount'] });
  });

  describe('when a producer builds the head as the services do (a cheaper check decides, EnvelopeSchema stays the rule)', () => {
    const head = { eventId: '16078886-26ee-5ed9-92e7-782aab824fd4', occurredAt: '2026-03-01T09:30:00.000+08:00', correlationId: 'req-1' };
    const produced = (type: (typeof EVENT_TYPES)[number], changes: Record<string, unknown> = {}) => {
      const { schemaVersion: _v, ...envelope } = exampleEnvelope(type);
      return { ...envelope, ...head, ...changes } as Parameters<typeof createEvent>[0];
    };
    const consumed = (input: Parameters<typeof createEvent>[0]) =>
      parseEnvelope({ ...input, causationId: input.causationId ?? null, schemaVersion: CURRENT_VERSION[input.type] });

    it.each(EVENT_TYPES.map((t) => [t]))('given a valid %s, then it creates exactly what a consumer parses', (type) => {
      const input = produced(type);
      expect(createEvent(input)).toEqual(consumed(input));
      expect(createEvent(input).ok).toBe(true);
    });

    it.each([
      ['no milliseconds', { occurredAt: '2026-03-01T09:30:00+08:00' }],
      ['another offset', { occurredAt: '2026-03-01T09:30:00.000+01:00' }],
      ['an upper-case UUID', { eventId: '16078886-26EE-5ED9-92E7-782AAB824FD4' }],
      ['31 April', { occurredAt: '2026-04-31T09:30:00.000+08:00' }],
      ['hour 24', { occurredAt: '2026-03-01T24:00:00.000+08:00' }],
      ['an empty correlationId', { correlationId: '' }],
      ['a correlationId of 201 characters', { correlationId: 'c'.repeat(201) }],
      ['an unknown subsidiary', { subsidiary: 'bank' }],
      ['an unknown field', { extra: 1 }],
      ['a payload that is an array', { payload: [] }],
      ['a bad payload', { payload: { ...EXAMPLE_PAYLOADS.PolicyIssued, standardPremium: '1e3' } }],
    ])('given %s, then it answers as a consumer would', (_case, changes) => {
      const input = produced('PolicyIssued', changes);
      expect(createEvent(input)).toEqual(consumed(input));
    });

    it('given an impossible date-time in the producer\'s own format, then it refuses the envelope', () => {
      expect(failure(createEvent(produced('PolicyIssued', { occurredAt: '2026-02-30T09:30:00.000+08:00' })))).toEqual({ code: 'INVALID_ENVELOPE', paths: ['occurredAt'] });
    });
  });
});
