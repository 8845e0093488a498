import type { EventStore, RecordedEvent } from '@lib/event-store';
import { START_POSITION } from '@lib/event-store';

export interface FoldRange {
  /** Exclusive; defaults to the start of $all. */
  fromPosition?: string;
  /** Inclusive upper bound: the position a live checkpoint holds. */
  toPosition?: string;
  /** As-of reads: only events recorded strictly before this instant. */
  recordedBefore?: Date;
  types?: string[];
  streamPrefix?: string;
}

export interface FoldResult {
  /** The cursor after the last page: pass it as `fromPosition` to continue. */
  position: string;
  events: number;
}

export const FOLD_PAGE_SIZE = 500;

/**
 * Reads $all page by page in the range and hands each page to `onPage` before reading
 * the next, so a replay holds one page in memory whatever the history's size. The
 * caller decides the transaction each page is applied in.
 */
export async function foldPages(
  store: EventStore,
  range: FoldRange,
  onPage: (events: RecordedEvent[]) => Promise<void>,
  pageSize = FOLD_PAGE_SIZE,
): Promise<FoldResult> {
  let position = range.fromPosition ?? START_POSITION;
  let events = 0;
  if (range.toPosition !== undefined && range.toPosition <= position) return { position, events };
  for (;;) {
    const page = await store.readAll({
      fromPosition: position,
      toPosition: range.toPosition,
      recordedBefore: range.recordedBefore,
      types: range.types,
      streamPrefix: range.streamPrefix,
      maxCount: pageSize,
    });
    if (page.events.length > 0) await onPage(page.events);
    events += page.events.length;
    position = page.nextPosition;
    if (page.isEnd) return { position, events };
  }
}
