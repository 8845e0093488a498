import { AppError } from '@lib/platform';

/**
 * A replay holds one pooled connection for its whole run and borrows a second for every
 * page it reads. Unbounded, enough concurrent replays would hold the whole pool while each
 * waits for a page connection: a deadlock. So an instance runs a few at a time; the rest
 * wait briefly, then get 503 and retry.
 */
export class ReplaySlots {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly capacity: number,
    private readonly waitMs: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  private acquire(): Promise<void> {
    if (this.running < this.capacity) {
      this.running += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = (): void => {
        clearTimeout(timer);
        this.running += 1;
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        reject(new AppError(503, 'REPLAYS_BUSY', 'Too many rebuilds and as-of reads are running on this instance; retry shortly.', [], { retryAfter: 5 }));
      }, this.waitMs);
      this.waiting.push(grant);
    });
  }

  private release(): void {
    this.running -= 1;
    this.waiting.shift()?.();
  }
}

/** Two per instance leaves the rest of the pool (DATABASE_POOL_SIZE, default 10) to requests and consumers. */
export const replaySlots = new ReplaySlots(2, 30_000);
