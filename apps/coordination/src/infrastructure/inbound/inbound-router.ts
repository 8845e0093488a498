import { COORDINATION_EVENT_NAMESPACE, deterministicEventId, formatIssues, parseSubsidiaryEvent, type SubsidiaryEvent } from '@lib/contracts';
import { isPoison, PoisonMessageError, undoesOwnWrites, type InboundMessage, type MessageHandler } from '@lib/messaging';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { INBOUND_HANDLERS } from '../tokens';
import { InboundContext, InboundHandler, InboundSource, MissingFactError, providedKeys } from './inbound.types';
import { markProcessed, park, takeParked } from './inbound.store';

const MAX_REPLAY_DEPTH = 32;

/**
 * Turns one message from a subsidiary's topic into coordination events, in the
 * transaction that also stores the consumed offset. Exactly once in effect: an event
 * id already handled is skipped; an event whose prerequisite has not arrived is parked
 * and replayed, in the same transaction, when the event that provides it is handled.
 */
@Injectable()
export class InboundRouter {
  private readonly byType = new Map<string, InboundHandler[]>();

  constructor(@Inject(INBOUND_HANDLERS) handlers: InboundHandler[]) {
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
    return undoesOwnWrites(async (message: InboundMessage, manager: EntityManager) => {
      const parsed = parseSubsidiaryEvent(message.value);
      if (!parsed.ok) throw new PoisonMessageError(`${parsed.code}: ${formatIssues(parsed.issues)}`, parsed.code);
      const topicSubsidiary = /subsidiary\.(life|pnc|group)\.events$/.exec(message.topic)?.[1];
      if (topicSubsidiary && topicSubsidiary !== parsed.event.subsidiary) {
        throw new PoisonMessageError(`subsidiary ${parsed.event.subsidiary} published on ${message.topic}`, 'WRONG_TOPIC');
      }
      await this.dispatch(parsed.event, { kind, topic: message.topic, partition: message.partition, offset: message.offset }, manager, 0);
    });
  }

  /**
   * Handles an already parsed event (replays and parked events take this path too). The
   * savepoint spans the event and the parked events it releases: a missing fact undoes
   * the event alone and parks it; a poison error undoes everything the message did.
   */
  async dispatch(event: SubsidiaryEvent, source: InboundSource, manager: EntityManager, depth: number): Promise<void> {
    if (depth > MAX_REPLAY_DEPTH) throw new Error(`parked-event replay deeper than ${MAX_REPLAY_DEPTH} at ${event.eventId}`);
    const savepoint = `inbound_${depth}`;
    await this.open(manager, savepoint, depth);
    try {
      if (!(await markProcessed(manager, event.eventId))) return void (await this.release(manager, savepoint, depth));
      const context = this.contextFor(event, source, manager);
      for (const handler of this.byType.get(event.type) ?? []) await handler.handle(context);
    } catch (error) {
      if (!(error instanceof MissingFactError)) return this.fail(error, manager, savepoint, depth);
      await this.undo(manager, savepoint);
      await park(manager, error.awaits, event, source, error.message);
      return;
    }
    try {
      for (const key of providedKeys(event)) {
        for (const parked of await takeParked(manager, key)) await this.dispatch(parked.event, parked.source, manager, depth + 1);
      }
    } catch (error) {
      return this.fail(error, manager, savepoint, depth);
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

  /** Rethrows; a poison error first undoes the whole message (the outermost savepoint), as the transport would have. */
  private async fail(error: unknown, manager: EntityManager, savepoint: string, depth: number): Promise<never> {
    if (depth === 0 && isPoison(error)) await this.undo(manager, savepoint);
    throw error;
  }

  private async undo(manager: EntityManager, savepoint: string): Promise<void> {
    await manager.query(`ROLLBACK TO SAVEPOINT ${savepoint}; RELEASE SAVEPOINT ${savepoint}`);
  }

  private contextFor(event: SubsidiaryEvent, source: InboundSource, manager: EntityManager): InboundContext {
    return {
      manager,
      event,
      source,
      shared: new Map(),
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
