import type { ReadAllOptions, ReadAllResult, RecordedEvent, SubscribeOptions, Subscription } from '../event-store.port';
import { CheckpointConflictError, InvalidArgumentError } from '../errors';
import { START_POSITION } from '../position';
import type { CheckpointStore } from './checkpoint-store';

export interface PollingDeps {
  readAll(opts: ReadAllOptions): Promise<ReadAllResult>;
  checkpoints: CheckpointStore;
}

const DEFAULT_BATCH = 500;
const DEFAULT_POLL_MS = 100;
const MAX_BACKOFF_MS = 5000;

/**
 * Catch-up then live, by polling readAll (which only ever returns the gap-free prefix of
 * $all). A failing batch is retried with backoff, never skipped. With a checkpointName the
 * handler and the checkpoint's compare-and-set share one transaction; if another instance
 * moved the checkpoint, the batch rolls back and reading resumes from the stored value.
 */
export function startPollingSubscription(deps: PollingDeps, opts: SubscribeOptions): Subscription {
  return new PollingSubscription(deps, opts);
}

class PollingSubscription implements Subscription {
  private cursor: string;
  private stored: string | null = null;
  private stopped = false;
  private failures = 0;
  private wake: (() => void) | undefined;
  private prefetched: { from: string; page: Promise<ReadAllResult> } | undefined;
  private markCaughtUp!: () => void;
  private failCaughtUp!: (error: Error) => void;
  private readonly caughtUpPromise = new Promise<void>((resolve, reject) => {
    this.markCaughtUp = resolve;
    this.failCaughtUp = reject;
  });
  private readonly loop: Promise<void>;

  constructor(
    private readonly deps: PollingDeps,
    private readonly opts: SubscribeOptions,
  ) {
    if (opts.batchSize !== undefined && (!Number.isInteger(opts.batchSize) || opts.batchSize < 1)) {
      throw new InvalidArgumentError(`batchSize must be a positive integer, got ${opts.batchSize}`);
    }
    this.cursor = opts.fromPosition ?? START_POSITION;
    this.caughtUpPromise.catch(() => undefined);
    this.loop = this.run();
  }

  position(): string {
    return this.cursor;
  }

  caughtUp(): Promise<void> {
    return this.caughtUpPromise;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
    this.failCaughtUp(new Error('subscription stopped before it caught up'));
  }

  private async run(): Promise<void> {
    while (!this.stopped && !(await this.attempt(() => this.loadCheckpoint()))) {
      await this.pause(this.backoff());
    }
    while (!this.stopped) {
      const caughtUp = await this.attempt(() => this.step());
      if (caughtUp === undefined) await this.pause(this.backoff());
      else if (caughtUp) await this.pause(this.opts.pollIntervalMs ?? DEFAULT_POLL_MS);
    }
  }

  private async loadCheckpoint(): Promise<boolean> {
    if (this.opts.checkpointName === undefined) return true;
    this.stored = await this.deps.checkpoints.get(this.opts.checkpointName);
    this.cursor = this.stored ?? this.opts.fromPosition ?? START_POSITION;
    return true;
  }

  /** Reads one page and delivers it; answers whether the subscription is caught up. */
  private async step(): Promise<boolean> {
    const page = await this.read(this.cursor);
    // While catching up, the next page is read while the handler works on this one.
    if (!page.isEnd) this.prefetch(page.nextPosition);
    if (page.events.length > 0) await this.deliver(page.events, page.nextPosition);
    else this.cursor = page.nextPosition;
    if (page.isEnd) this.markCaughtUp();
    return page.isEnd;
  }

  private prefetch(from: string): void {
    const page = this.read(from);
    page.catch(() => undefined); // a discarded prefetch must not become an unhandled rejection
    this.prefetched = { from, page };
  }

  /** A prefetched page is used only if the cursor really moved to where it starts (not after a failure). */
  private read(from: string): Promise<ReadAllResult> {
    const ahead = this.prefetched;
    this.prefetched = undefined;
    if (ahead?.from === from) return ahead.page;
    const { types, streamPrefix } = this.opts;
    return this.deps.readAll({ fromPosition: from, types, streamPrefix, maxCount: this.opts.batchSize ?? DEFAULT_BATCH });
  }

  private async deliver(events: RecordedEvent[], next: string): Promise<void> {
    const name = this.opts.checkpointName;
    if (name === undefined) {
      await this.opts.onEvents(events, { position: next });
    } else {
      await this.deps.checkpoints.inTransaction(async (manager) => {
        await this.opts.onEvents(events, { manager, position: next });
        const moved = await this.deps.checkpoints.compareAndSet(name, this.stored, next, { manager });
        if (!moved) throw new CheckpointConflictError(name, this.stored);
      });
      this.stored = next;
    }
    this.cursor = next;
  }

  /** Runs one unit of work; on failure reports it, resynchronises a moved checkpoint, and answers undefined. */
  private async attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      this.failures = 0;
      return result;
    } catch (error) {
      this.failures += 1;
      this.report(error);
      if (error instanceof CheckpointConflictError) await this.attempt(() => this.loadCheckpoint());
      return undefined;
    }
  }

  private report(error: unknown): void {
    try {
      this.opts.onError?.(error);
    } catch {
      // A throwing error hook must not end the subscription: it would stop the projection silently.
    }
  }

  private backoff(): number {
    return Math.min(MAX_BACKOFF_MS, 50 * 2 ** Math.min(this.failures, 10));
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }
}
