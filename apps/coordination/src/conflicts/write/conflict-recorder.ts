import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { execute } from '../../infrastructure/decider-runner';
import { CLOCK, EVENT_STORE, type Clock } from '../../infrastructure/tokens';
import { CONFLICTS_SETTINGS, type WriteContext } from '../conflicts.ports';
import type { ConflictsSettings } from '../conflicts.settings';
import {
  conflictDecider, conflictKey, conflictStreamId, detectConflicts, isDecided,
  type ConflictFacts, type ConflictState, type DetectedConflict, type NewFact, type Precedence, type Subsidiary,
} from '../domain';
import { saveConflict } from '../persistence/conflict-index';
import { DecisionOutbox } from './decision-outbox';
import { PrecedenceStore } from './precedence.store';

export interface RecordedConflict {
  conflictId: string;
  state: ConflictState;
}

/**
 * Runs the detection rules on a new fact and records each conflict found: DetectConflict on
 * `conflict-<id>` with the configured precedence (auto-resolved or queued), the inline index,
 * and for an auto-resolution the decision message, all in the caller's transaction.
 */
@Injectable()
export class ConflictRecorder {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFLICTS_SETTINGS) private readonly settings: ConflictsSettings,
    private readonly precedence: PrecedenceStore,
    private readonly outbox: DecisionOutbox,
  ) {}

  async record(fact: NewFact, facts: ConflictFacts, productSubsidiary: Subsidiary | null, ctx: WriteContext): Promise<RecordedConflict[]> {
    const detected = detectConflicts(fact, facts, this.settings.detection);
    if (detected.length === 0) return [];
    const { precedence } = await this.precedence.current(ctx.manager);
    const detectedAt = this.clock.now().toISOString();
    const recorded: RecordedConflict[] = [];
    for (const conflict of detected) {
      recorded.push(await this.recordOne(conflict, facts, precedence, detectedAt, productSubsidiary, ctx));
    }
    return recorded;
  }

  private async recordOne(
    conflict: DetectedConflict,
    facts: ConflictFacts,
    precedence: Precedence,
    detectedAt: string,
    productSubsidiary: Subsidiary | null,
    ctx: WriteContext,
  ): Promise<RecordedConflict> {
    // A redelivered fact derives the same id, so the decider finds the stream and appends nothing.
    const key = conflictKey(conflict);
    const conflictId = ctx.eventId('conflict', key);
    const eventIdOf = (type: string) => ctx.eventId('conflict', key, type);
    const { events, state } = await execute(
      this.store,
      conflictStreamId(conflictId),
      conflictDecider,
      { type: 'DetectConflict', data: { conflictId, conflict, facts, precedence, detectedAt } },
      { manager: ctx.manager, metadata: ctx.metadata, eventId: (event) => eventIdOf(event.type) },
    );
    if (events.length === 0) return { conflictId, state };
    await saveConflict(ctx.manager, state, productSubsidiary);
    if (isDecided(state)) await this.outbox.conflictDecided(ctx, state, productSubsidiary, eventIdOf('ConflictAutoResolved'));
    return { conflictId, state };
  }
}
