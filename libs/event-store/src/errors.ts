import type { ExpectedRevision } from './event-store.port';
import { describeExpected } from './expected-revision';

export type EventStoreErrorCode =
  | 'WRONG_EXPECTED_REVISION'
  | 'CONCURRENT_APPEND'
  | 'INVALID_APPEND'
  | 'INVALID_ARGUMENT'
  | 'INVALID_POSITION'
  | 'CHECKPOINT_CONFLICT'
  | 'UNSUPPORTED_OPERATION';

/** Base class: `code` is stable and safe to map to problem+json; `retryable` tells callers to run the unit of work again. */
export class EventStoreError extends Error {
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream was not in the expected state; re-read, re-decide, retry (HTTP 409). */
export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** -1n when the stream does not exist. */
    readonly actual: bigint,
  ) {
    super(
      'WRONG_EXPECTED_REVISION',
      `stream "${streamId}": expected ${describeExpected(expected)}, actual ${actual < 0n ? 'no stream' : `revision ${actual}`}`,
      true,
    );
  }
}

/**
 * A concurrent writer got in the way in a way that a plain retry fixes: a deadlock, two
 * transactions storing the same new eventId at once, or a transaction that took its
 * PostgreSQL transaction id before another one that then appended to the same stream
 * first (appending would put the stream out of order on $all).
 */
export class ConcurrentAppendError extends EventStoreError {
  constructor(
    readonly streamId: string | undefined,
    readonly reason: 'deadlock' | 'event_id_race' | 'transaction_order' | 'serialization',
    message: string,
  ) {
    super('CONCURRENT_APPEND', message, true);
  }
}

export class InvalidAppendError extends EventStoreError {
  constructor(message: string) {
    super('INVALID_APPEND', message);
  }
}

export class InvalidArgumentError extends EventStoreError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

export class InvalidPositionError extends EventStoreError {
  constructor(position: string) {
    super('INVALID_POSITION', `not a valid position: "${position}"`);
  }
}

/** Another instance moved the checkpoint; the batch was rolled back and the subscription resumes from the stored value. */
export class CheckpointConflictError extends EventStoreError {
  constructor(
    readonly checkpointName: string,
    readonly expected: string | null,
  ) {
    super('CHECKPOINT_CONFLICT', `checkpoint "${checkpointName}" is no longer at ${expected ?? 'its start'}`, true);
  }
}

export class UnsupportedOperationError extends EventStoreError {
  constructor(message: string) {
    super('UNSUPPORTED_OPERATION', message);
  }
}
