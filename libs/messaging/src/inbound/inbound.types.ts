import type { EntityManager } from 'typeorm';

export interface InboundMessage {
  topic: string;
  partition: number;
  /** Kafka offset, or the outbox row id when read from a PostgreSQL log. */
  offset: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
  /** Milliseconds since the epoch, as a string (as kafkajs gives it). */
  timestamp: string;
}

/**
 * Applies one message using `manager`, which is bound to the transaction that also
 * stores the consumed offset. Throw PoisonMessageError for a message that can never
 * succeed; any other error is treated as transient and the batch is retried.
 */
export type MessageHandler = (message: InboundMessage, manager: EntityManager) => Promise<void>;

const UNDOES_OWN_WRITES = Symbol('undoesOwnWrites');

/**
 * Marks a handler that leaves nothing behind when it throws PoisonMessageError or BatchYield (it undoes
 * its own writes first, e.g. inside a savepoint it holds for the whole message). The
 * transports then set no savepoint of their own around it: two round trips less per message.
 */
export function undoesOwnWrites(handler: MessageHandler): MessageHandler {
  return Object.assign(handler, { [UNDOES_OWN_WRITES]: true });
}

export function isUndoingOwnWrites(handler: MessageHandler): boolean {
  return (handler as MessageHandler & { [UNDOES_OWN_WRITES]?: boolean })[UNDOES_OWN_WRITES] === true;
}

const BATCH_HOOKS = Symbol('batchHooks');

/**
 * Optional per-batch work of a handler, in the batch's transaction: `prepare` sees every
 * message about to be applied (to look up in one statement what each would look up alone);
 * `finish` runs after the last one, before the offset is stored (to write in one statement
 * what each would have written alone). An error from either fails the batch like any
 * transient error: nothing of it commits, and it is retried.
 */
export interface BatchHooks {
  prepare(messages: readonly InboundMessage[], manager: EntityManager): Promise<void>;
  finish(manager: EntityManager): Promise<void>;
}

export function withBatchHooks(handler: MessageHandler, hooks: BatchHooks): MessageHandler {
  return Object.assign(handler, { [BATCH_HOOKS]: hooks });
}

export function batchHooksOf(handler: MessageHandler): BatchHooks | undefined {
  return (handler as MessageHandler & { [BATCH_HOOKS]?: BatchHooks })[BATCH_HOOKS];
}

export class PoisonMessageError extends Error {
  constructor(
    readonly reason: string,
    readonly code = 'POISON_MESSAGE',
  ) {
    super(reason);
    this.name = 'PoisonMessageError';
  }
}

export function isPoison(error: unknown): error is PoisonMessageError {
  return error instanceof PoisonMessageError || (error instanceof Error && error.name === 'PoisonMessageError');
}

/**
 * Thrown by a handler that would have to wait for a lock while its transaction holds the locks
 * taken by the messages applied before it in the same batch: two consumers each holding some
 * and waiting for the other's is how they deadlock (PostgreSQL breaks it after deadlock_timeout,
 * and one whole batch is retried). Like a poison message it must leave nothing behind. The
 * transport then commits the messages before it, with their offset, and applies it first in a new
 * transaction, where waiting holds nothing of anyone's. Thrown by the first message of a
 * transaction it fails the batch like a transient error.
 */
export class BatchYield extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'BatchYield';
  }
}

export function isBatchYield(error: unknown): error is BatchYield {
  return error instanceof BatchYield || (error instanceof Error && error.name === 'BatchYield');
}

export interface PartitionLag {
  topic: string;
  partition: number;
  lag: number;
}

export interface InboundTransport {
  start(handler: MessageHandler): Promise<void>;
  /** Finishes the batch in hand, then stops consuming. */
  stop(): Promise<void>;
  lag?(): Promise<PartitionLag[]>;
}

export interface DeadLetterPolicy {
  /** Appended to the original topic to name the dead-letter topic. Default `.dlq`. */
  suffix?: string;
  /**
   * Also enqueue the dead letter to `<topic><suffix>` through the consumer schema's
   * outbox (default true). The `dead_letters` row is always written.
   */
  publish?: boolean;
}
