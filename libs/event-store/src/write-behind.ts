import type { EntityManager } from 'typeorm';
import type { SerializedEvent } from './append-validation';
import type { AppendHolding, AppendResult, ExpectedRevision, HoldMark } from './event-store.port';

export interface HeldAppend {
  streamId: string;
  expected: ExpectedRevision;
  events: SerializedEvent[];
}

interface Entry extends HeldAppend {
  seq: number;
  /** The flush that wrote it; undefined while held. */
  flush?: number;
}

/**
 * One transaction's appends in the order they were made, held or written. Kept until release,
 * because a rollback to a savepoint undoes the flushes done since, and with them the appends made
 * before the savepoint that those flushes wrote: those are held again.
 */
class HeldAppends {
  private entries: Entry[] = [];
  private next = 0;
  private flushes = 0;

  private get held(): Entry[] {
    return this.entries.filter((entry) => entry.flush === undefined);
  }

  get size(): number {
    return this.held.length;
  }

  holds(streamId: string): boolean {
    return this.entries.some((entry) => entry.flush === undefined && entry.streamId === streamId);
  }

  add(append: HeldAppend): void {
    this.entries.push({ ...append, seq: this.next++ });
  }

  mark(): HoldMark {
    return { seq: this.next, flushes: this.flushes };
  }

  /** After a rollback to the savepoint set at the mark: what was made since is gone, what was written since is held again. */
  undoTo(mark: HoldMark): void {
    this.entries = this.entries.filter((entry) => entry.seq < mark.seq);
    for (const entry of this.entries) if (entry.flush !== undefined && entry.flush >= mark.flushes) entry.flush = undefined;
    this.flushes = mark.flushes;
  }

  /** The held appends, in order, now counted as written by a new flush. */
  take(): HeldAppend[] {
    const flush = this.flushes++;
    return this.held.map((entry) => {
      entry.flush = flush;
      return { streamId: entry.streamId, expected: entry.expected, events: entry.events };
    });
  }
}

/**
 * Write-behind for a unit of work (the inbound batch): while a transaction is held, its appends
 * wait and are written together, in one `append_batch`, when it flushes (at its end), instead of
 * one call each, so the append's fixed cost (the call, the stream's lock and row, the duplicate
 * check) is paid once per unit of work. The outcome is the one the appends would have had one by
 * one in the same transaction and order (append_batch is that, entry by entry); only the moment a
 * wrong expectation or a conflict is reported moves, to the flush, which fails the unit of work
 * as the append would have. Reading a stream with held appends, or appending to it again, flushes
 * first, so every read in the transaction sees every append before it, and each flush has every
 * stream once (append_batch's set-based case).
 */
export class WriteBehind implements AppendHolding {
  private readonly held = new WeakMap<EntityManager, HeldAppends>();

  constructor(private readonly write: (manager: EntityManager, batch: HeldAppend[]) => Promise<unknown>) {}

  hold(manager: EntityManager): void {
    if (!this.held.has(manager)) this.held.set(manager, new HeldAppends());
  }

  async release(manager: EntityManager): Promise<void> {
    await this.flush(manager);
    this.held.delete(manager);
  }

  mark(manager: EntityManager): HoldMark {
    return this.held.get(manager)?.mark() ?? { seq: 0, flushes: 0 };
  }

  undoTo(manager: EntityManager, mark: HoldMark): void {
    this.held.get(manager)?.undoTo(mark);
  }

  async flush(manager: EntityManager): Promise<void> {
    const held = this.held.get(manager);
    if (held && held.size > 0) await this.write(manager, held.take());
  }

  /**
   * Holds the append if its transaction is held (answering what is known before it is written:
   * no positions, and the next expected revision only as an exact expectation states it), else
   * answers null and the caller appends now.
   */
  async tryHold(manager: EntityManager, append: HeldAppend): Promise<AppendResult | null> {
    const held = this.held.get(manager);
    if (!held) return null;
    if (held.holds(append.streamId)) await this.flush(manager);
    held.add(append);
    const stated = typeof append.expected === 'bigint' ? append.expected : append.expected === 'no_stream' ? -1n : null;
    return { streamId: append.streamId, nextExpectedRevision: stated === null ? null : stated + BigInt(append.events.length), positions: [], held: true };
  }

  /** Before a read in the transaction: writes what is held if any of these streams has some. */
  async beforeRead(manager: EntityManager | undefined, streamIds: readonly string[]): Promise<void> {
    const held = manager && this.held.get(manager);
    if (held && streamIds.some((id) => held.holds(id))) await this.flush(manager);
  }
}
