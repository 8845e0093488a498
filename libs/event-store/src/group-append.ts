import type { AppendResult, EventStore, NewEvent } from './event-store.port';

export interface GroupAppenderOptions {
  /** Most appends committed in one transaction (default 256). */
  maxGroup?: number;
}

interface Pending {
  streamId: string;
  events: NewEvent[];
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/**
 * Appends (expected revision 'any') from many concurrent callers, committed together: while
 * one group's transaction is in flight, new callers queue, and the whole queue goes in the
 * next transaction (`appendMany`). Each caller's promise settles only once the transaction
 * holding its events has committed, so a caller that waits for it before answering still
 * answers only with its events durable; the saving is one transaction and one commit (WAL
 * flush) per group instead of one per append. An idle appender sends a lone append at once,
 * so a quiet service adds no delay. A group that fails is retried one append at a time,
 * so one bad append fails alone and the others still commit (or fail) on their own.
 */
export class GroupAppender {
  private queue: Pending[] = [];
  private busy = false;
  private readonly maxGroup: number;

  constructor(
    private readonly store: Pick<EventStore, 'append' | 'appendMany'>,
    options: GroupAppenderOptions = {},
  ) {
    this.maxGroup = Math.max(1, options.maxGroup ?? 256);
  }

  append(streamId: string, events: NewEvent[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events, resolve, reject });
      if (!this.busy) void this.drain();
    });
  }

  /** One group at a time: groups commit in the order their callers arrived. */
  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        await this.commit(group);
      }
    } finally {
      this.busy = false;
    }
  }

  private async commit(group: Pending[]): Promise<void> {
    if (group.length === 1) return this.alone(group[0]);
    let results: AppendResult[];
    try {
      results = await this.store.appendMany(group.map(({ streamId, events }) => ({ streamId, events, expected: 'any' as const })));
    } catch {
      // Nothing of the group was committed (one transaction): each append on its own decides its fate.
      await Promise.all(group.map((p) => this.alone(p)));
      return;
    }
    group.forEach((p, i) => p.resolve(results[i]));
  }

  private async alone(p: Pending): Promise<void> {
    try {
      p.resolve(await this.store.append(p.streamId, p.events, 'any'));
    } catch (error) {
      p.reject(error);
    }
  }
}
