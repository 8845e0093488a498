import {
  ANY, BACKWARDS, END, FORWARDS, START, StreamNotFoundError, WrongExpectedVersionError, jsonEvent,
  type AppendStreamState, type KurrentDBClient,
} from '@kurrent/kurrentdb-client';
import type {
  AppendResult, EventStore, ExpectedRevision, NewEvent, ReadAllOptions, ReadAllResult, ReadStreamOptions, StreamHead,
  RecordedEvent, StreamAppend, SubscribeOptions, Subscription, TransactionOptions,
} from '../event-store.port';
import { prepareAppend, prepareBatch, type SerializedEvent } from '../append-validation';
import { UnsupportedOperationError, WrongExpectedRevisionError } from '../errors';
import { NO_STREAM_REVISION } from '../expected-revision';
import type { CheckpointStore } from '../subscription/checkpoint-store';
import { startPollingSubscription } from '../subscription/polling-subscription';
import { UpcasterRegistry } from '../upcasters';
import { KurrentDbCheckpointStore } from './kurrentdb-checkpoints';
import { fromKurrentEvent, kurrentEventId, toKurrentEvent, type KurrentRecorded } from './kurrentdb-mapping';
import { readAllPage } from './kurrentdb-read-all';

export interface KurrentDbEventStoreOptions {
  client: KurrentDBClient;
  /** Default: a KurrentDB stream per checkpoint (no shared transaction; handlers must be idempotent). */
  checkpoints?: CheckpointStore;
  upcasters?: UpcasterRegistry;
  /**
   * KurrentDB cannot join a PostgreSQL transaction. By default an append with `{ manager }`
   * is refused; 'append-outside' writes to KurrentDB at once and relies on deterministic
   * event ids plus an exact expected revision to make the caller's retry a no-op.
   */
  callerTransactions?: 'reject' | 'append-outside';
}

/** The port on KurrentDB. What differs from PostgreSQL is listed in the README. */
export class KurrentDbEventStore implements EventStore {
  private readonly client: KurrentDBClient;
  private readonly checkpoints: CheckpointStore;
  private readonly upcasters: UpcasterRegistry;

  constructor(private readonly options: KurrentDbEventStoreOptions) {
    this.client = options.client;
    this.checkpoints = options.checkpoints ?? new KurrentDbCheckpointStore(options.client);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision = 'any', opts?: TransactionOptions): Promise<AppendResult> {
    this.checkCallerTransaction(opts);
    const prepared = prepareAppend(streamId, events, expected);
    try {
      const result = await this.client.appendToStream(streamId, prepared.map(toEventData), { streamState: expected as AppendStreamState });
      return await this.resultOf(streamId, prepared, result.nextExpectedRevision);
    } catch (error) {
      throw translate(error, streamId, expected);
    }
  }

  /** Atomic across streams through KurrentDB's multi-stream append (server 25.1 or later). */
  async appendMany(batch: StreamAppend[], opts?: TransactionOptions): Promise<AppendResult[]> {
    this.checkCallerTransaction(opts);
    const prepared = prepareBatch(batch);
    const requests = batch.map((b, i) => ({ streamName: b.streamId, events: prepared[i].map(toEventData), expectedState: (b.expected ?? ANY) as AppendStreamState }));
    try {
      const result = await this.client.multiStreamAppend(requests);
      const revisions = new Map(result.responses.map((r) => [r.streamName, r.revision]));
      return await Promise.all(batch.map((b, i) => this.resultOf(b.streamId, prepared[i], revisions.get(b.streamId) ?? NO_STREAM_REVISION)));
    } catch (error) {
      throw translate(error, undefined, undefined);
    }
  }

  /** One read per stream: KurrentDB has no multi-stream read (transactions do not apply). */
  async readStreams(streamIds: string[]): Promise<Map<string, RecordedEvent[]>> {
    const unique = [...new Set(streamIds)];
    return new Map(await Promise.all(unique.map(async (id) => [id, await this.readStream(id)] as const)));
  }

  async streamHead(streamId: string): Promise<StreamHead | null> {
    const [newest] = await this.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    return newest ? { eventId: newest.eventId, streamRevision: newest.streamRevision } : null;
  }

  async readStream(streamId: string, opts: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = opts.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: opts.from ?? (backwards ? END : START),
        ...(opts.maxCount !== undefined && { maxCount: opts.maxCount }),
      });
      for await (const resolved of read) if (resolved.event) events.push(this.upcasters.upcast(fromKurrentEvent(resolved.event as KurrentRecorded)));
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(opts: ReadAllOptions = {}): Promise<ReadAllResult> {
    const page = await readAllPage(this.client, opts);
    return { ...page, events: this.upcasters.upcastAll(page.events) };
  }

  subscribeToAll(opts: SubscribeOptions): Subscription {
    return startPollingSubscription({ readAll: (o) => this.readAll(o), checkpoints: this.checkpoints }, opts);
  }

  getCheckpoint(name: string): Promise<string | null> {
    return this.checkpoints.get(name);
  }

  compareAndSetCheckpoint(name: string, expected: string | null, next: string, opts?: TransactionOptions): Promise<boolean> {
    return this.checkpoints.compareAndSet(name, expected, next, opts);
  }

  private checkCallerTransaction(opts?: TransactionOptions): void {
    if (opts?.manager && this.options.callerTransactions !== 'append-outside') {
      throw new UnsupportedOperationError('KurrentDB cannot append inside a PostgreSQL transaction (see callerTransactions)');
    }
  }

  /** The append result only carries the last position: read the events back for each one's position. */
  private async resultOf(streamId: string, events: SerializedEvent[], next: bigint): Promise<AppendResult> {
    const first = next - BigInt(events.length) + 1n;
    const stored = await this.readStream(streamId, { from: first < 0n ? 0n : first, maxCount: events.length });
    const byId = new Map(stored.map((e) => [kurrentEventId(e.eventId), e.globalPosition]));
    return { streamId, nextExpectedRevision: next, positions: events.map((e) => byId.get(kurrentEventId(e.eventId)) ?? '') };
  }
}

function toEventData(event: SerializedEvent) {
  const e = toKurrentEvent(event);
  return jsonEvent({ id: e.id, type: e.type, data: e.data as Record<string, unknown>, metadata: e.metadata });
}

function translate(error: unknown, streamId: string | undefined, expected: ExpectedRevision | undefined): unknown {
  if (!(error instanceof WrongExpectedVersionError)) return error;
  const actual = typeof error.actualState === 'bigint' ? error.actualState : NO_STREAM_REVISION;
  const wanted = expected ?? (typeof error.expectedState === 'bigint' ? error.expectedState : (error.expectedState as ExpectedRevision));
  return new WrongExpectedRevisionError(error.streamName || streamId || '', wanted, actual);
}
