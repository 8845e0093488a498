import type { EventStore, RecordedEvent } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import type { WriteContext } from '../conflicts.ports';
import { DEFAULT_PRECEDENCE, validatePrecedence, type Precedence } from '../domain';

export const PRECEDENCE_STREAM = 'conflict-policy';
export const PRECEDENCE_CHANGED = 'ConflictPrecedenceChanged';

export interface PrecedenceChanged {
  precedence: Precedence;
  previous: Precedence;
  changedBy: string;
  changedAt: string;
}

export interface CurrentPrecedence {
  precedence: Precedence;
  /** How many changes the stream holds; 0 = the domain default is in force. */
  version: number;
  changedBy: string | null;
  changedAt: string | null;
}

/** The precedence in force after the stream's events (the newest change wins). */
export function precedenceAfter(events: readonly Pick<RecordedEvent, 'type' | 'data' | 'streamRevision'>[]): CurrentPrecedence {
  const last = [...events].reverse().find((e) => e.type === PRECEDENCE_CHANGED);
  if (!last) return { precedence: DEFAULT_PRECEDENCE, version: 0, changedBy: null, changedAt: null };
  const data = last.data as PrecedenceChanged;
  return { precedence: data.precedence, version: Number(last.streamRevision) + 1, changedBy: data.changedBy, changedAt: data.changedAt };
}

/**
 * The configured precedence lives in the event store (stream `conflict-policy`), so every
 * change is audited with its author and every past triage can be explained by the
 * precedence in force at the time (which ConflictAutoResolved/ConflictQueued also record).
 */
@Injectable()
export class PrecedenceStore {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async current(manager?: EntityManager): Promise<CurrentPrecedence> {
    const newest = await this.store.readStream(PRECEDENCE_STREAM, { manager, direction: 'backwards', maxCount: 1 });
    return precedenceAfter(newest);
  }

  /** Appends a change against the version the caller read: a concurrent change makes this fail (409). */
  async change(precedence: Precedence, ctx: WriteContext, by: { actor: string; at: string }): Promise<CurrentPrecedence> {
    const next = validatePrecedence(precedence);
    const current = await this.current(ctx.manager);
    const data: PrecedenceChanged = { precedence: next, previous: current.precedence, changedBy: by.actor, changedAt: by.at };
    await this.store.append(
      PRECEDENCE_STREAM,
      [{ eventId: ctx.eventId(PRECEDENCE_CHANGED), type: PRECEDENCE_CHANGED, data, metadata: ctx.metadata }],
      current.version === 0 ? 'no_stream' : BigInt(current.version - 1),
      { manager: ctx.manager },
    );
    return { precedence: next, version: current.version + 1, changedBy: by.actor, changedAt: by.at };
  }
}
