import {
  createEvent, deterministicEventId, INBOUND_OPERATIONS, INTAKE_EVENT_NAMESPACE, LocalIdSchema, parseWith, pathParamOf,
  type ContractIssue, type InboundOperation,
} from '@lib/contracts';
import { enqueueOutbox } from '@lib/messaging';
import { AppError, type FieldProblem } from '@lib/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { eventTime, type EventTime } from '../domain/event-time';
import { CLOCK, type Clock, GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings';
import { claimIdempotencyKey, requestFingerprint, type AcceptedAnswer, type PriorUse, type StoredAnswer } from '../persistence/idempotency.store';
import { Registry } from '../persistence/registry';
import { intakeError } from './intake.errors';
import { futureTimeProblems, type IntakeOperation, type OperationContext } from './operation';
import { OPERATIONS } from './operations';

export interface IntakeRequest {
  operation: InboundOperation;
  /** The path parameter ({localId}, {agentId}, {policyNo}, {claimNo}) or null. */
  target: string | null;
  body: unknown;
  idempotencyKey: string;
  principalId: string;
  correlationId: string;
}

export interface IntakeResult extends StoredAnswer {
  replayed: boolean;
}

/**
 * The one path every request takes, from REST or Kafka: validate, claim the
 * idempotency key, check and record it in the registry, and enqueue its canonical
 * event to the outbox, all in ONE transaction. Nothing is written unless all of it is.
 */
@Injectable()
export class IntakeService {
  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {}

  /** With `manager`, runs inside the caller's transaction (the Kafka consumer's); otherwise opens one. */
  async submit(request: IntakeRequest, manager?: EntityManager): Promise<IntakeResult> {
    const op = OPERATIONS[request.operation];
    const now = this.clock.now();
    const time = eventTime(now);
    checkTarget(request.operation, request.target);
    const body = validBody(op, request.body, now, time.today);
    const fingerprint = requestFingerprint(this.settings.hmacKey, request.operation, request.target, request.body);
    const work = (m: EntityManager) => this.accept(m, op, request, body, fingerprint, time);
    return manager ? work(manager) : this.dataSource.transaction(work);
  }

  private async accept(
    manager: EntityManager,
    op: IntakeOperation,
    request: IntakeRequest,
    body: Record<string, unknown>,
    fingerprint: string,
    time: EventTime,
  ): Promise<IntakeResult> {
    const { subsidiary, schema } = this.settings;
    const eventId = deterministicEventId(INTAKE_EVENT_NAMESPACE, `${subsidiary}:${request.idempotencyKey}`);
    const answer: AcceptedAnswer = {
      eventId, type: op.emits, status: 'accepted', location: op.location(request.target, body), ...op.answer?.(body),
    };
    const prior = await claimIdempotencyKey(manager, schema, {
      scope: subsidiary, key: request.idempotencyKey, fingerprint, operation: op.name,
      principalId: request.principalId, answer: { statusCode: 202, body: answer },
    });
    if (prior) return replay(prior, fingerprint, request.idempotencyKey);
    const accepted = await op.execute(this.context(manager), request.target, body);
    const event = this.event(op, eventId, accepted.payload, time, request.correlationId);
    await enqueueOutbox(manager, schema, [{
      topic: this.settings.topics.events,
      key: accepted.routingKey,
      value: JSON.stringify(event),
      headers: { 'content-type': 'application/json', 'x-event-type': op.emits, 'x-event-id': eventId },
    }]);
    return { statusCode: 202, body: answer, replayed: false };
  }

  private context(manager: EntityManager): OperationContext {
    const { subsidiary, schema, catalogue, hmacKey, crypto } = this.settings;
    return {
      subsidiary,
      catalogue,
      hmacKey,
      registry: new Registry(manager, schema),
      identity: { hashKey: hmacKey, encrypt: (normalised) => crypto.encrypt(normalised) },
    };
  }

  /** Validated exactly as a consumer will validate it; a mismatch is a bug here, reported, not published. */
  private event(op: IntakeOperation, eventId: string, payload: Record<string, unknown>, time: EventTime, correlationId: string) {
    const created = createEvent({
      type: op.emits, eventId, subsidiary: this.settings.subsidiary, occurredAt: time.occurredAt,
      correlationId, causationId: null, payload,
    });
    if (!created.ok) {
      throw new AppError(422, 'EVENT_CONTRACT_VIOLATION', 'The request cannot be turned into a valid canonical event.', toFields(created.issues));
    }
    return created.event;
  }
}

function replay(prior: PriorUse, fingerprint: string, key: string): IntakeResult {
  if (prior.fingerprint !== fingerprint) {
    throw intakeError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key} was already used for a different request; use a new key for a new request.`);
  }
  return { ...prior.answer, replayed: true };
}

function checkTarget(operation: InboundOperation, target: string | null): void {
  const param = pathParamOf(operation);
  if (param === null || target === null) return;
  const parsed = parseWith(LocalIdSchema, target);
  if (!parsed.ok) throw new AppError(400, 'VALIDATION_FAILED', `Invalid request: ${param}`, [{ field: param, message: parsed.issues[0].message }]);
}

/** The contract's body schema, then the business times that cannot lie in the future. */
function validBody(op: IntakeOperation, raw: unknown, now: Date, today: string): Record<string, unknown> {
  const parsed = parseWith(INBOUND_OPERATIONS[op.name].body(today), raw ?? {});
  if (!parsed.ok) throw invalid(toFields(parsed.issues));
  const body = parsed.value as Record<string, unknown>;
  const future = futureTimeProblems(op, body, now, today);
  if (future.length > 0) throw invalid(future);
  return body;
}

function invalid(errors: FieldProblem[]): AppError {
  return new AppError(400, 'VALIDATION_FAILED', `Invalid request: ${errors.map((e) => e.field).join(', ')}`, errors);
}

function toFields(issues: ContractIssue[]): FieldProblem[] {
  return issues.map((i) => ({ field: i.path || '(body)', message: i.message }));
}
