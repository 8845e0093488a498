import { COORDINATION_EVENT_NAMESPACE, deterministicEventId, formatIssues, parseSubsidiaryEvent, type SubsidiaryEvent } from '@lib/contracts';
import { isBatchYield, isPoison, PoisonMessageError, undoesOwnWrites, withBatchHooks, type InboundMessage, type MessageHandler } from '@lib/messaging';
import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE, INBOUND_HANDLERS } from '../tokens';
import { InboundContext, InboundHandler, InboundSource, MissingFactError, providedKeys } from './inbound.types';
import { batchFacts, isProcessed, markAllProcessed, markProcessed, park, takeParked } from './inbound.store';

const MAX_REPLAY_DEPTH = 32;

type Parsed = ReturnType<typeof parseSubsidiaryEvent>;

/**
 * What a Kafka batch knows in memory instead of asking per event: the ids handled before
 * it (one look-up for the batch), the ids it handled (one insert at its end), and which
 * keys have parked events (so an event that provides a key nobody waits for costs nothing).
 */
class BatchState {
  /** Handled in this batch, in order; truncated when a savepoint is rolled back. */
  readonly handled: string[] = [];
  readonly handledSet = new Set<string>();
  /** Messages of this transaction that reached dispatch: after the first, locks held by earlier ones may be waited on by others. */
  started = 0;

  constructor(
    readonly parsed: WeakMap<InboundMessage, Parsed>,
    /** Event ids of the batch's own messages, looked up up front; `before` holds those handled earlier. */
    readonly checkedIds: ReadonlySet<string>,
    readonly before: ReadonlySet<string>,
    /** Keys looked up up front; `waiting` holds those with parked events (plus any parked since). */
    readonly checkedKeys: ReadonlySet<string>,
    readonly waiting: Set<string>,
  ) {}

  undoTo(mark: number): void {
    for (const id of this.handled.splice(mark)) this.handledSet.delete(id);
  }
}

/** Whether a statement failed on its own, not for one before it in its transaction (25P02: the transaction is aborted). */
const failedOnItsOwn = (error: unknown): boolean => (error as { code?: unknown } | null)?.code !== '25P02';

/** The writes an event's handlers deferred (InboundContext.defer), in the order issued. */
class DeferredWrites {
  private readonly writes: Array<Promise<unknown>> = [];

  add(write: Promise<unknown>): void {
    write.catch(() => undefined); // observed by `failures`
    this.writes.push(write);
  }

  /** Once every one has answered: the failures, in the order the writes were issued. */
  async failures(): Promise<unknown[]> {
    return (await Promise.allSettled(this.writes)).flatMap((w) => (w.status === 'rejected' ? [w.reason] : []));
  }
}

/**
 * Turns one message from a subsidiary's topic into coordination events, in the
 * transaction that also stores the consumed offset. Exactly once in effect: an event
 * id already handled is skipped; an event whose prerequisite has not arrived is parked
 * and replayed, in the same transaction, when the event that provides it is handled.
 */
@Injectable()
export class InboundRouter {
  private readonly byType = new Map<string, InboundHandler[]>();

  constructor(
    @Inject(INBOUND_HANDLERS) handlers: InboundHandler[],
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    for (const handler of handlers) {
      for (const type of handler.handles) this.byType.set(type, [...(this.byType.get(type) ?? []), handler]);
    }
  }

  /**
   * The transport's message handler; `kind` says where messages come from (recorded in
   * event metadata). A poison message leaves nothing behind (dispatch's savepoint spans the
   * whole message), so the transport needs no savepoint of its own.
   */
  handlerFor(kind: InboundSource['kind']): MessageHandler {
    const handler = undoesOwnWrites(async (message: InboundMessage, manager: EntityManager) => {
      const parsed = this.batches.get(manager)?.parsed.get(message) ?? parseSubsidiaryEvent(message.value);
      if (!parsed.ok) throw new PoisonMessageError(`${parsed.code}: ${formatIssues(parsed.issues)}`, parsed.code);
      const topicSubsidiary = /subsidiary\.(life|pnc|group)\.events$/.exec(message.topic)?.[1];
      if (topicSubsidiary && topicSubsidiary !== parsed.event.subsidiary) {
        throw new PoisonMessageError(`subsidiary ${parsed.event.subsidiary} published on ${message.topic}`, 'WRONG_TOPIC');
      }
      // Only the transaction's first message may wait for a lock; a later one yields instead (BatchYield).
      const state = this.batches.get(manager);
      const mayWait = !state || state.started++ === 0;
      await this.dispatch(parsed.event, { kind, topic: message.topic, partition: message.partition, offset: message.offset }, manager, 0, 0, mayWait);
    });
    return withBatchHooks(handler, { prepare: (messages, manager) => this.prepareBatch(messages, manager), finish: (manager) => this.finishBatch(manager) });
  }

  private readonly batches = new WeakMap<EntityManager, BatchState>();

  private async prepareBatch(messages: readonly InboundMessage[], manager: EntityManager): Promise<void> {
    const parsedMessages = new WeakMap<InboundMessage, Parsed>();
    const ids: string[] = [];
    const keys: string[] = [];
    for (const message of messages) {
      const parsed = parseSubsidiaryEvent(message.value);
      parsedMessages.set(message, parsed);
      if (!parsed.ok) continue;
      ids.push(parsed.event.eventId);
      keys.push(...providedKeys(parsed.event));
    }
    const { processed, waiting } = await batchFacts(manager, ids, keys);
    this.batches.set(manager, new BatchState(parsedMessages, new Set(ids), processed, new Set(keys), waiting));
    // The batch's appends are written together at its end (or before a read of their stream).
    this.store.holding?.hold(manager);
  }

  private async finishBatch(manager: EntityManager): Promise<void> {
    const state = this.batches.get(manager);
    this.batches.delete(manager);
    await this.store.holding?.release(manager);
    if (!state || state.handled.length === 0) return;
    const inserted = await markAllProcessed(manager, state.handled);
    // Another consumer (a zombie after a rebalance, say) handled some of these meanwhile: undo ours and retry.
    if (inserted !== state.handled.length) throw new Error(`${state.handled.length - inserted} event(s) of this batch were handled concurrently; retrying the batch`);
  }

  /** True the first time an event is handled; in a batch, from memory (a parked replay not prefetched asks the database). */
  private async firstTime(event: SubsidiaryEvent, manager: EntityManager, state: BatchState | undefined): Promise<boolean> {
    if (!state) return markProcessed(manager, event.eventId);
    const id = event.eventId;
    if (state.before.has(id) || state.handledSet.has(id)) return false;
    if (!state.checkedIds.has(id) && (await isProcessed(manager, id))) return false;
    state.handled.push(id);
    state.handledSet.add(id);
    return true;
  }

  private async takeWaiting(key: string, manager: EntityManager, state: BatchState | undefined) {
    if (state && state.checkedKeys.has(key) && !state.waiting.has(key)) return [];
    return takeParked(manager, key);
  }

  /**
   * Handles an already parsed event (replays and parked events take this path too). The
   * savepoint spans the event and the parked events it releases: a missing fact undoes
   * the event alone and parks it; a poison error undoes everything the message did.
   */
  async dispatch(event: SubsidiaryEvent, source: InboundSource, manager: EntityManager, depth: number, attempts = 0, mayWait = true): Promise<void> {
    if (depth > MAX_REPLAY_DEPTH) throw new Error(`parked-event replay deeper than ${MAX_REPLAY_DEPTH} at ${event.eventId}`);
    const savepoint = `inbound_${depth}`;
    const state = this.batches.get(manager);
    const mark = state?.handled.length ?? 0;
    const held = this.store.holding?.mark(manager);
    const undoTo = () => {
      state?.undoTo(mark);
      if (held) this.store.holding?.undoTo(manager, held);
    };
    // Not awaited before the handlers start: their first statements follow it on the (pipelined)
    // connection and run after it, in one round trip. Awaited before anything is undone or released.
    const opened = this.open(manager, savepoint, depth);
    opened.catch(() => undefined); // observed below; a failure also fails every statement behind it
    const deferred = new DeferredWrites();
    try {
      if (!(await this.firstTime(event, manager, state))) {
        await opened;
        return void (await this.release(manager, savepoint, depth));
      }
      const context = this.contextFor(event, source, manager, mayWait, deferred);
      for (const handler of this.byType.get(event.type) ?? []) await handler.handle(context);
      await opened;
      const failures = await deferred.failures();
      if (failures.length > 0) throw failures.find(failedOnItsOwn) ?? failures[0];
    } catch (thrown) {
      await opened; // a savepoint that could not be set is the failure to report
      // A deferred write that failed on its own is the one to report: the statements after it, a later handler's among them, failed for it.
      const error = (await deferred.failures()).find(failedOnItsOwn) ?? thrown;
      if (!(error instanceof MissingFactError)) return this.fail(error, manager, savepoint, depth, undoTo);
      await this.undo(manager, savepoint);
      undoTo();
      await park(manager, error.awaits, event, source, error.message, attempts);
      state?.waiting.add(error.awaits);
      return;
    }
    try {
      for (const key of providedKeys(event)) {
        for (const parked of await this.takeWaiting(key, manager, state)) await this.dispatch(parked.event, parked.source, manager, depth + 1, 0, mayWait);
      }
    } catch (error) {
      return this.fail(error, manager, savepoint, depth, undoTo);
    }
    await this.release(manager, savepoint, depth);
  }

  /**
   * A message's outermost savepoint is released lazily: the next message of the batch
   * releases it and sets its own in one round trip (simple protocol, no parameters), and
   * the last one simply commits with the batch. Nested (replay) savepoints are released at once.
   */
  private readonly heldSavepoint = new WeakSet<EntityManager>();

  private async open(manager: EntityManager, savepoint: string, depth: number): Promise<void> {
    const held = depth === 0 && this.heldSavepoint.delete(manager);
    await manager.query(held ? `RELEASE SAVEPOINT ${savepoint}; SAVEPOINT ${savepoint}` : `SAVEPOINT ${savepoint}`);
  }

  private async release(manager: EntityManager, savepoint: string, depth: number): Promise<void> {
    if (depth === 0) this.heldSavepoint.add(manager);
    else await manager.query(`RELEASE SAVEPOINT ${savepoint}`);
  }

  /** Rethrows; a poison error or a yield first undoes the whole message (the outermost savepoint), as the transport would have. */
  private async fail(error: unknown, manager: EntityManager, savepoint: string, depth: number, forget: () => void): Promise<never> {
    if (depth === 0 && (isPoison(error) || isBatchYield(error))) {
      await this.undo(manager, savepoint);
      forget();
    }
    throw error;
  }

  private async undo(manager: EntityManager, savepoint: string): Promise<void> {
    await manager.query(`ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
  }

  private contextFor(event: SubsidiaryEvent, source: InboundSource, manager: EntityManager, mayWait: boolean, deferred: DeferredWrites): InboundContext {
    return {
      manager,
      mayWait,
      event,
      source,
      shared: new Map(),
      defer: (write) => deferred.add(write),
      eventId: (...qualifiers) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, event.eventId, ...qualifiers),
      metadata: {
        correlationId: event.correlationId,
        causationId: event.eventId,
        actor: `subsidiary:${event.subsidiary}`,
        source: { ...source },
        occurredAt: event.occurredAt,
      },
    };
  }
}
