import type { EntityManager } from 'typeorm';

/**
 * The event store port. Both adapters (PostgreSQL, KurrentDB) implement it and run the
 * same contract suite (`runEventStoreContract`). Positions are opaque strings that sort
 * lexicographically in global order; `START_POSITION` is before every event.
 */
export type ExpectedRevision = 'any' | 'no_stream' | 'stream_exists' | bigint;

export interface EventSource {
  kind: string;
  topic?: string;
  partition?: number;
  offset?: string;
  [k: string]: unknown;
}

export interface EventMetadata {
  correlationId?: string;
  causationId?: string | null;
  actor?: string;
  source?: EventSource;
  occurredAt?: string;
  [k: string]: unknown;
}

export interface NewEvent<T = unknown> {
  /** Client-supplied and unique across the store (UUIDv5 of the source id): the idempotency key. */
  eventId: string;
  type: string;
  /** Defaults to 1. */
  schemaVersion?: number;
  data: T;
  metadata?: EventMetadata;
}

export interface RecordedEvent<T = unknown> extends Required<Omit<NewEvent<T>, 'metadata'>> {
  metadata: EventMetadata;
  streamId: string;
  streamRevision: bigint;
  globalPosition: string;
  recordedAt: Date;
}

export interface AppendResult {
  streamId: string;
  /**
   * Revision of the stream's last event after the append (pass it as `expected` next time); for a
   * held append, what its expectation states (an exact revision or no stream), else null.
   */
  nextExpectedRevision: bigint | null;
  /** One position per appended event, in input order; the original position for an already stored eventId. None while held. */
  positions: string[];
  /** Held in its transaction (`AppendHolding`): written, and checked, when the transaction's holder flushes. */
  held?: true;
}

/**
 * Write-behind for a unit of work that owns its transaction (the inbound batch): between `hold`
 * and `release`, appends made with that transaction's manager are held and written together;
 * reading a stream with held appends writes them first. `mark` and `undoTo` follow the holder's
 * savepoints. An adapter without it appends at once.
 */
/** Where a savepoint was set: the appends made so far and the flushes done so far. */
export interface HoldMark {
  seq: number;
  flushes: number;
}

export interface AppendHolding {
  hold(manager: EntityManager): void;
  /** Writes what is held (errors as the appends would have raised) and stops holding. */
  release(manager: EntityManager): Promise<void>;
  /** Taken when the holder sets a savepoint, given back when it rolls back to it. */
  mark(manager: EntityManager): HoldMark;
  undoTo(manager: EntityManager, mark: HoldMark): void;
}

export interface StreamHead {
  eventId: string;
  streamRevision: bigint;
}

export interface TransactionOptions {
  /** Run inside the caller's transaction (TypeORM `dataSource.transaction(em => ...)`). */
  manager?: EntityManager;
}

export interface StreamAppend {
  streamId: string;
  events: NewEvent[];
  expected?: ExpectedRevision;
}

export interface ReadStreamOptions {
  /** Inclusive; defaults to the first (forwards) or last (backwards) revision. */
  from?: bigint;
  direction?: 'forwards' | 'backwards';
  maxCount?: number;
  manager?: EntityManager;
}

export interface ReadAllOptions {
  /** Exclusive cursor: events strictly after it. Defaults to START_POSITION. */
  fromPosition?: string;
  /** Inclusive upper bound. */
  toPosition?: string;
  types?: string[];
  streamPrefix?: string;
  /** Defaults to 1000. */
  maxCount?: number;
  recordedBefore?: Date;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /** Cursor to pass as `fromPosition` for the next page; may lie beyond the last returned event. */
  nextPosition: string;
  /** True when everything readable right now (below the commit horizon / toPosition) was read. */
  isEnd: boolean;
}

export interface BatchContext {
  /** Set when the subscription has a `checkpointName`: write read models with it, same transaction as the checkpoint. */
  manager?: EntityManager;
  /** The position the checkpoint will hold once this batch commits. */
  position: string;
}

export interface SubscribeOptions {
  fromPosition?: string;
  /** Resume from, and after each batch advance (compare-and-set, in the handler's transaction), this checkpoint. */
  checkpointName?: string;
  types?: string[];
  streamPrefix?: string;
  batchSize?: number;
  pollIntervalMs?: number;
  onEvents: (events: RecordedEvent[], context: BatchContext) => Promise<void>;
  /** Called when a batch fails (it is retried with backoff, never skipped) or the checkpoint moved under us. */
  onError?: (error: unknown) => void;
}

export interface Subscription {
  stop(): Promise<void>;
  /** Cursor after the last delivered (or scanned) event. */
  position(): string;
  /** Resolves once everything committed below the horizon at some point after start was delivered. */
  caughtUp(): Promise<void>;
}

export type IntegrityProblemKind =
  | 'EVENT_MODIFIED'
  | 'EVENT_DELETED'
  | 'EVENT_INSERTED'
  | 'SEAL_MISSING'
  | 'SEAL_MODIFIED';

export interface IntegrityProblem {
  kind: IntegrityProblemKind;
  auditSeq?: string;
  globalPosition?: string;
  eventId?: string;
  streamId?: string;
  streamRevision?: string;
  detail: string;
}

export interface IntegrityReport {
  ok: boolean;
  /** Audit sequence numbers checked, inclusive; null when nothing is sealed in the range. */
  checkedFrom: string | null;
  checkedTo: string | null;
  checkedCount: number;
  /** Last seal: record `hash` outside the database to detect truncation of the tail. */
  head: { auditSeq: string; position: string; hash: string } | null;
  /** Committed events after the head not sealed yet (normal, sealing runs behind). */
  unsealedCount: number;
  problems: IntegrityProblem[];
}

export interface EventStore {
  append(streamId: string, events: NewEvent[], expected?: ExpectedRevision, opts?: TransactionOptions): Promise<AppendResult>;
  appendMany(batch: StreamAppend[], opts?: TransactionOptions): Promise<AppendResult[]>;
  readStream(streamId: string, opts?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * The id and revision of the stream's newest event, without reading its data (null when the stream
   * has no events): enough to tell whether a state folded from it is still current.
   */
  streamHead(streamId: string, opts?: TransactionOptions): Promise<StreamHead | null>;
  /** Several whole streams at once, each forwards; a stream with no events answers []. */
  readStreams(streamIds: string[], opts?: TransactionOptions): Promise<Map<string, RecordedEvent[]>>;
  readAll(opts?: ReadAllOptions): Promise<ReadAllResult>;
  subscribeToAll(opts: SubscribeOptions): Subscription;
  getCheckpoint(name: string): Promise<string | null>;
  compareAndSetCheckpoint(name: string, expected: string | null, next: string, opts?: TransactionOptions): Promise<boolean>;
  verifyIntegrity?(from?: string, to?: string): Promise<IntegrityReport>;
  holding?: AppendHolding;
}
