/**
 * Reads from the coordination service's query API with the coordinator key, a small
 * pool and the same retry rules as the writes (429, 5xx and network errors retried).
 */
import { parseRetryAfter } from './client';
import { retryDelayMs } from './retry';

export interface ReadResult {
  status: number | null;
  body: unknown;
}

export interface ReaderOptions {
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
  timeoutMs?: number;
}

export class CoordinationReader {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly options: ReaderOptions = {},
  ) {}

  async get(path: string): Promise<ReadResult> {
    const doFetch = this.options.fetch ?? fetch;
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last: ReadResult = { status: null, body: null };
    for (let attempt = 1; attempt <= (this.options.maxAttempts ?? 6); attempt++) {
      let retryAfter: number | null = null;
      try {
        const response = await doFetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
          headers: { 'x-api-key': this.apiKey, accept: 'application/json' },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
        });
        const text = await response.text();
        last = { status: response.status, body: text ? safeJson(text) : null };
        if (response.status !== 429 && response.status < 500) return last;
        retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      } catch (error) {
        last = { status: null, body: error instanceof Error ? error.message : String(error) };
      }
      await sleep(retryDelayMs(attempt, retryAfter, 250, Math.random));
    }
    return last;
  }

  /**
   * The sum of a Prometheus gauge's samples on /metrics (e.g. the consumer lag over every
   * partition), or null when the service does not answer with it. One attempt: a hint, not a result.
   */
  async metricSum(name: string): Promise<number | null> {
    try {
      const response = await (this.options.fetch ?? fetch)(`${this.baseUrl.replace(/\/$/, '')}/metrics`, {
        headers: { 'x-api-key': this.apiKey, accept: 'text/plain' },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
      });
      if (response.status !== 200) return null;
      const samples = (await response.text()).split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
      if (samples.length === 0) return null;
      return samples.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    } catch {
      return null;
    }
  }

  /** `total` of a paged list endpoint (asks for one item), or null when the endpoint does not answer. */
  async total(path: string): Promise<number | null> {
    const sep = path.includes('?') ? '&' : '?';
    const { status, body } = await this.get(`${path}${sep}limit=1`);
    const total = status === 200 && body && typeof body === 'object' ? (body as { total?: unknown }).total : undefined;
    return typeof total === 'number' ? total : null;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, 500);
  }
}

/** Runs `work` over items with at most `concurrency` in flight, results in input order. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
