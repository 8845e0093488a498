/** One request waiting for a group commit. */
export interface CommitJob<R> {
  /** What the job must not share a batch with: its idempotency key and the subject it changes. */
  conflictKeys: readonly string[];
  resolve(result: R): void;
  reject(error: unknown): void;
}

export interface GroupCommitOptions {
  /** Most requests in one transaction. */
  maxBatch: number;
  /** Batches (transactions) in flight at once. */
  lanes: number;
}

/**
 * Group commit's queue: requests that arrive while `lanes` batches are being written wait
 * and go together in the next one, so the batch grows with the load by itself and a lone
 * request goes out at once. A request never joins a batch (in flight or being formed)
 * that holds one of its conflict keys: it waits for that batch to end and then sees its
 * writes, as it would have waited on the row lock. `run` settles every job it is given.
 */
export class GroupCommitter<J extends CommitJob<unknown>> {
  private queue: J[] = [];
  private readonly held = new Set<string>();
  private running = 0;
  private scheduled = false;

  constructor(
    private readonly options: GroupCommitOptions,
    private readonly run: (jobs: J[]) => Promise<void>,
  ) {}

  add(job: J): void {
    this.queue.push(job);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.running >= this.options.lanes || this.queue.length === 0) return;
    this.scheduled = true;
    // After the I/O of this turn, so requests that arrived together leave together.
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    while (this.running < this.options.lanes) {
      const jobs = this.take();
      if (jobs.length === 0) return;
      this.running += 1;
      this.run(jobs)
        .catch((error: unknown) => jobs.forEach((job) => job.reject(error)))
        .finally(() => {
          for (const job of jobs) for (const key of job.conflictKeys) this.held.delete(key);
          this.running -= 1;
          this.schedule();
        });
    }
  }

  private take(): J[] {
    const jobs: J[] = [];
    const waiting: J[] = [];
    for (const job of this.queue) {
      if (jobs.length < this.options.maxBatch && job.conflictKeys.every((key) => !this.held.has(key))) {
        for (const key of job.conflictKeys) this.held.add(key);
        jobs.push(job);
      } else {
        waiting.push(job);
      }
    }
    this.queue = waiting;
    return jobs;
  }
}
