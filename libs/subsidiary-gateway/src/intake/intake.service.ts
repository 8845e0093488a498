import {
  createEvent, deterministicEventId, INBOUND_OPERATIONS, INTAKE_EVENT_NAMESPACE, LocalIdSchema, parseWith, pathParamOf,
  type ContractIssue, type InboundOperation,
} from '@lib/contracts';
import { enqueueOutbox, type OutboxMessage } from '@lib/messaging';
import { AppError, type FieldProblem } from '@lib/platform';
import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey, type KeyObject } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { eventTime, type EventTime } from '../domain/event-time';
import { CLOCK, type Clock, GATEWAY_SETTINGS, type GatewaySettings } from '../gateway.settings';
import { BatchedStatements, claimKeysAndReadReferences } from '../persistence/batched-statements';
import {
  releaseIdempotencyKeys, requestFingerprint,
  type AcceptedAnswer, type KeyClaim, type PriorUse, type StoredAnswer,
} from '../persistence/idempotency.store';
import { Registry } from '../persistence/registry';
import { GroupCommitter, type CommitJob } from './group-commit';
import { intakeError } from './intake.errors';
import { futureTimeProblems, referencedIds, type IntakeOperation, type OperationContext } from './operation';
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

/** A request that passed validation, with everything known before the database is asked. */
interface Prepared {
  op: IntakeOperation;
  request: IntakeRequest;
  body: Record<string, unknown>;
  fingerprint: string;
  time: EventTime;
  answer: AcceptedAnswer;
}

type Job = CommitJob<IntakeResult> & { prepared: Prepared };

/**
 * How a request of a batch ended. A refused one may have claimed its key (a row to delete)
 * and written registry rows (only a rollback undoes those).
 */
type Outcome =
  | { ok: true; result: IntakeResult; message: OutboxMessage | null }
  | { ok: false; error: unknown; claimed: boolean; wroteRegistry: boolean };

/** Thrown inside a batch's transaction to roll it back; carries what each request did. */
class BatchRollback extends Error {
  constructor(readonly outcomes: Outcome[]) {
    super('batch rolled back');
  }
}

/**
 * The one path every request takes, from REST or Kafka: validate, claim the
 * idempotency key, check and record it in the registry, and enqueue its canonical
 * event to the outbox, all in ONE transaction. Nothing is written unless all of it is.
 *
 * REST requests are group-committed: requests that arrive together share one transaction
 * (multi-row statements, one WAL flush) and each is answered after that commit. A request
 * refused inside a batch has its key claim deleted before the commit; if it had written
 * more, the batch is rolled back and retried without it, then it runs alone. Kafka
 * records run in the consumer's transaction, one by one.
 */
@Injectable()
export class IntakeService {
  private readonly committer: GroupCommitter<Job>;
  /** The fingerprint key, imported once rather than per request. */
  private readonly fingerprintKey: KeyObject;

  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly dataSource: DataSource,
  ) {
    this.fingerprintKey = createSecretKey(Buffer.from(settings.hmacKey, 'utf8'));
    this.committer = new GroupCommitter<Job>(settings.groupCommit, (jobs) => this.runBatch(jobs, true));
  }

  /** With `manager`, runs inside the caller's transaction (the Kafka consumer's); otherwise group-committed. */
  async submit(request: IntakeRequest, manager?: EntityManager): Promise<IntakeResult> {
    const prepared = this.prepare(request);
    if (manager) return this.acceptAlone(manager, prepared);
    if (this.settings.groupCommit.maxBatch <= 1) return this.dataSource.transaction((m) => this.acceptAlone(m, prepared));
    return new Promise<IntakeResult>((resolve, reject) => {
      const conflictKeys = [`key:${request.idempotencyKey}`, `subject:${prepared.answer.location}`];
      this.committer.add({ prepared, conflictKeys, resolve, reject });
    });
  }

  private prepare(request: IntakeRequest): Prepared {
    const op = OPERATIONS[request.operation];
    const now = this.clock.now();
    const time = eventTime(now);
    checkTarget(request.operation, request.target);
    const body = validBody(op, request.body, now, time.today);
    const fingerprint = requestFingerprint(this.fingerprintKey, request.operation, request.target, request.body);
    const eventId = deterministicEventId(INTAKE_EVENT_NAMESPACE, `${this.settings.subsidiary}:${request.idempotencyKey}`);
    const answer: AcceptedAnswer = {
      eventId, type: op.emits, status: 'accepted', location: op.location(request.target, body), ...op.answer?.(body),
    };
    return { op, request, body, fingerprint, time, answer };
  }

  private async acceptAlone(manager: EntityManager, prepared: Prepared): Promise<IntakeResult> {
    const { schema } = this.settings;
    const { clientIds, agentIds } = this.referencedIds([prepared]);
    const { priors: [prior], references } = await claimKeysAndReadReferences(manager, schema, [this.claim(prepared)], clientIds, agentIds);
    if (prior) return replay(prior, prepared);
    const { result, message } = await this.execute(prepared, new Registry(manager, schema, new BatchedStatements(manager, schema, references)));
    await enqueueOutbox(manager, schema, [message]);
    return result;
  }

  /** Writes a batch in one transaction and settles its jobs; on a rollback, see retry. */
  private async runBatch(jobs: Job[], firstAttempt: boolean): Promise<void> {
    if (jobs.length === 1) return settle(jobs[0], this.dataSource.transaction((m) => this.acceptAlone(m, jobs[0].prepared)));
    let outcomes: Outcome[];
    try {
      outcomes = await this.dataSource.transaction((m) => this.acceptBatch(m, jobs));
    } catch (error) {
      return this.retry(jobs, error instanceof BatchRollback && firstAttempt ? error.outcomes : null);
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) job.resolve(outcome.result);
      else job.reject(outcome.error);
    });
  }

  /**
   * After a rollback: the requests that went through are retried as a batch, then the
   * others one by one, against what that batch committed. After a database error (or a
   * second rollback) every request runs alone and meets the error itself.
   */
  private async retry(jobs: Job[], outcomes: Outcome[] | null): Promise<void> {
    const passed = outcomes ? jobs.filter((_, i) => outcomes[i].ok) : [];
    const rest = outcomes ? jobs.filter((_, i) => !outcomes[i].ok) : jobs;
    if (passed.length > 0) await this.runBatch(passed, false);
    await Promise.all(rest.map((job) => settle(job, this.dataSource.transaction((m) => this.acceptAlone(m, job.prepared)))));
  }

  private async acceptBatch(manager: EntityManager, jobs: Job[]): Promise<Outcome[]> {
    const { schema } = this.settings;
    const { clientIds, agentIds } = this.referencedIds(jobs.map((job) => job.prepared));
    const { priors, references } = await claimKeysAndReadReferences(manager, schema, jobs.map((job) => this.claim(job.prepared)), clientIds, agentIds);
    const statements = new BatchedStatements(manager, schema, references);
    const outcomes = await Promise.all(jobs.map(async (job, i): Promise<Outcome> => {
      const prior = priors[i];
      const registry = new Registry(manager, schema, statements);
      try {
        if (prior) return { ok: true, result: replay(prior, job.prepared), message: null };
        return { ok: true, ...(await this.execute(job.prepared, registry)) };
      } catch (error) {
        return { ok: false, error, claimed: !prior, wroteRegistry: registry.hasWritten };
      }
    }));
    if (outcomes.some((o) => !o.ok && o.wroteRegistry)) throw new BatchRollback(outcomes);
    const refused = jobs.filter((_, i) => { const o = outcomes[i]; return !o.ok && o.claimed; });
    if (refused.length > 0) await releaseIdempotencyKeys(manager, schema, this.settings.subsidiary, refused.map((job) => job.prepared.request.idempotencyKey));
    const messages = outcomes.flatMap((o) => (o.ok && o.message ? [o.message] : []));
    if (messages.length > 0) await enqueueOutbox(manager, schema, messages);
    return outcomes;
  }

  /** What the requests declare they refer to: read with their key claims, one round trip fewer. */
  private referencedIds(requests: Prepared[]): { clientIds: string[]; agentIds: string[] } {
    const clientIds = new Set<string>();
    const agentIds = new Set<string>();
    for (const { op, body } of requests) {
      const refs = op.references?.(body);
      if (!refs) continue;
      const ids = referencedIds(refs);
      ids.clientIds.forEach((id) => clientIds.add(id));
      ids.agentIds.forEach((id) => agentIds.add(id));
    }
    return { clientIds: [...clientIds], agentIds: [...agentIds] };
  }

  private claim({ op, request, fingerprint, answer }: Prepared): KeyClaim {
    return {
      scope: this.settings.subsidiary, key: request.idempotencyKey, fingerprint, operation: op.name,
      principalId: request.principalId, answer: { statusCode: 202, body: answer },
    };
  }

  /** The operation's checks and writes; its answer and the outbox message of its event. */
  private async execute(prepared: Prepared, registry: Registry): Promise<{ result: IntakeResult; message: OutboxMessage }> {
    const { op, request, body, time, answer } = prepared;
    const accepted = await op.execute(this.context(registry), request.target, body);
    const event = this.event(op, answer.eventId, accepted.payload, time, request.correlationId);
    const message: OutboxMessage = {
      topic: this.settings.topics.events,
      key: accepted.routingKey,
      value: JSON.stringify(event),
      headers: { 'content-type': 'application/json', 'x-event-type': op.emits, 'x-event-id': answer.eventId },
    };
    return { result: { statusCode: 202, body: answer, replayed: false }, message };
  }

  private context(registry: Registry): OperationContext {
    const { subsidiary, catalogue, hmacKey, crypto } = this.settings;
    return { subsidiary, catalogue, hmacKey, registry, identity: { hashKey: hmacKey, encrypt: (normalised) => crypto.encrypt(normalised) } };
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

function replay(prior: PriorUse, { fingerprint, request }: Prepared): IntakeResult {
  const key = request.idempotencyKey;
  if (prior.fingerprint !== fingerprint) {
    throw intakeError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key} was already used for a different request; use a new key for a new request.`);
  }
  return { ...prior.answer, replayed: true };
}

/** Settles a job with how `work` ends. */
async function settle(job: Job, work: Promise<IntakeResult>): Promise<void> {
  try {
    job.resolve(await work);
  } catch (error) {
    job.reject(error);
  }
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
