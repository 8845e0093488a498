import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';
import type {
  AppendResult, EventStore, ExpectedRevision, IntegrityReport, NewEvent, ReadAllOptions, ReadAllResult,
  ReadStreamOptions, RecordedEvent, StreamAppend, StreamHead, SubscribeOptions, Subscription, TransactionOptions,
} from '../event-store.port';
import { prepareAppend, prepareBatch } from '../append-validation';
import { startPollingSubscription } from '../subscription/polling-subscription';
import { UpcasterRegistry } from '../upcasters';
import { WriteBehind } from '../write-behind';
import { appendManyInOneStatement, appendToStream, retryConcurrent } from './pg-append';
import { PostgresCheckpointStore } from './pg-checkpoints';
import { readHorizonStatus, type HorizonStatus } from './pg-horizon';
import { verifyIntegrity } from './pg-integrity';
import { readAllRows, readStreamHead, readStreamRows, readStreamsRows } from './pg-read';
import type { Queryable } from './pg-rows';
import { sealAll } from './pg-sealer';

export interface PostgresEventStoreOptions {
  /** Upgrades old schema versions on read. */
  upcasters?: UpcasterRegistry;
}

export interface SealerOptions {
  intervalMs?: number;
  batchSize?: number;
  onError?: (error: unknown) => void;
}

/**
 * The default adapter: event_store.* in PostgreSQL through a TypeORM DataSource, raw SQL
 * only. Pass `{ manager }` to append inside the caller's transaction (Kafka offsets and
 * read models commit with the events); without it each append is its own transaction
 * and is retried on conflicts a fresh transaction resolves.
 */
export class PostgresEventStore implements EventStore {
  readonly checkpoints: PostgresCheckpointStore;
  private readonly upcasters: UpcasterRegistry;

  constructor(
    private readonly dataSource: DataSource,
    options: PostgresEventStoreOptions = {},
  ) {
    this.checkpoints = new PostgresCheckpointStore(dataSource);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
  }

  /** Appends in a held transaction wait for its flush (write-behind.ts). */
  readonly holding = new WriteBehind((manager, batch) => appendManyInOneStatement((sql) => manager.query(sql.text, sql.values), batch));

  async append(streamId: string, events: NewEvent[], expected: ExpectedRevision = 'any', opts?: TransactionOptions): Promise<AppendResult> {
    const prepared = prepareAppend(streamId, events, expected);
    if (opts?.manager) {
      const held = await this.holding.tryHold(opts.manager, { streamId, expected, events: prepared });
      return held ?? appendToStream(opts.manager, streamId, prepared, expected);
    }
    // A single statement commits on its own: no BEGIN/COMMIT round trips.
    return retryConcurrent(() => appendToStream(this.dataSource, streamId, prepared, expected));
  }

  async appendMany(batch: StreamAppend[], opts?: TransactionOptions): Promise<AppendResult[]> {
    const prepared = prepareBatch(batch);
    const entries = batch.map(({ streamId, expected }, i) => ({ streamId, expected: expected ?? 'any', events: prepared[i] }));
    if (opts?.manager) {
      // In the caller's transaction, the same one statement, after what the transaction holds.
      await this.holding.flush(opts.manager);
      return appendManyInOneStatement((sql) => opts.manager!.query(sql.text, sql.values), entries);
    }
    // Its own transaction: one statement, which commits on its own (no BEGIN/COMMIT round trips).
    return retryConcurrent(() => this.onClient((client) => appendManyInOneStatement((sql) => client.query(sql).then((r) => r.rows), entries)));
  }

  /** A pooled connection of its own, for named (per-connection prepared) statements. */
  private async onClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work((await runner.connect()) as PoolClient);
    } finally {
      await runner.release();
    }
  }

  async readStream(streamId: string, opts: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    await this.holding.beforeRead(opts.manager, [streamId]);
    const events = await readStreamRows(opts.manager ?? this.dataSource, streamId, opts);
    return this.upcasters.upcastAll(events);
  }

  async streamHead(streamId: string, opts: TransactionOptions = {}): Promise<StreamHead | null> {
    await this.holding.beforeRead(opts.manager, [streamId]);
    return readStreamHead(opts.manager ?? this.dataSource, streamId);
  }

  async readStreams(streamIds: string[], opts: TransactionOptions = {}): Promise<Map<string, RecordedEvent[]>> {
    await this.holding.beforeRead(opts.manager, streamIds);
    const byStream = await readStreamsRows(opts.manager ?? this.dataSource, streamIds);
    for (const [id, events] of byStream) byStream.set(id, this.upcasters.upcastAll(events));
    return byStream;
  }

  async readAll(opts: ReadAllOptions = {}): Promise<ReadAllResult> {
    const page = await readAllRows(this.dataSource, opts);
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

  verifyIntegrity(from?: string, to?: string): Promise<IntegrityReport> {
    return verifyIntegrity(this.dataSource, from, to);
  }

  /** Seals every committed event below the horizon into the audit chain; answers how many. */
  seal(batchSize?: number): Promise<number> {
    return sealAll(this.dataSource, batchSize);
  }

  /**
   * Seals in the background. Every instance may run one: an advisory lock lets one work
   * at a time. Answers a stop function.
   */
  startSealer({ intervalMs = 1000, batchSize, onError }: SealerOptions = {}): () => Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<unknown> = Promise.resolve();
    let stopped = false;
    const tick = (): void => {
      running = this.seal(batchSize)
        .catch((error: unknown) => onError?.(error))
        .finally(() => {
          if (!stopped) timer = setTimeout(tick, intervalMs);
        });
    };
    tick();
    return async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    };
  }

  horizonStatus(): Promise<HorizonStatus> {
    return readHorizonStatus(this.dataSource);
  }

  async oldestInFlightTxAgeSeconds(): Promise<number> {
    return (await this.horizonStatus()).oldestInFlightTxAgeSeconds;
  }
}
