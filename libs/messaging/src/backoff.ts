export interface BackoffOptions {
  /** Delay after the first failure. */
  initialMs?: number;
  /** Upper bound: a broker down for an hour is retried at this pace, never given up on. */
  maxMs?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = { initialMs: 200, maxMs: 30_000 };

/** Exponential delay for the n-th consecutive failure (n >= 1), capped. */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const { initialMs, maxMs } = { ...DEFAULT_BACKOFF, ...options };
  if (failures <= 0) return 0;
  const exponent = Math.min(failures - 1, 30);
  return Math.min(maxMs, initialMs * 2 ** exponent);
}

/**
 * A sleep that stop() can cut short, so a loop waiting out a long backoff still
 * stops promptly.
 */
export class Sleeper {
  private pending = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.pending.add(done);
    });
  }

  interrupt(): void {
    for (const done of [...this.pending]) done();
  }
}
