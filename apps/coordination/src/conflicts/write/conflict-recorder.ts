import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { execute } from '../../infrastructure/decider-runner';
import { CLOCK, EVENT_STORE, type Clock } from '../../infrastructure/tokens';
import { CONFLICTS_SETTINGS, type WriteContext } from '../conflicts.ports';
import type { ConflictsSettings } from '../conflicts.settings';
import {
  conflictDecider, conflictKey, conflictStreamId, detectConflicts, expectedScopeConflicts, isDecided, reconcileScope,
  type ConflictFacts, type ConflictState, type DetectedConflict, type NewFact, type Precedence, type ScopePlan, type Subsidiary,
} from '../domain';
import { indexedConflict, saveConflict, scopeConflicts, type ScopeConflictRows } from '../persistence/conflict-index';
import type { LoadedScope } from './conflict-facts.loader';
import { DecisionOutbox } from './decision-outbox';
import { PrecedenceStore } from './precedence.store';

/** A conflict reconciled by natural key has its id derived from the key, whichever fact raised it. */
const naturalConflictId = (key: string): string => deterministicEventId(COORDINATION_EVENT_NAMESPACE, 'conflict', key);

export interface RecordedConflict {
  conflictId: string;
  state: ConflictState;
}

export interface Reconciled {
  /** Something was detected or superseded: the credit of the party's sales in the line may have to follow. */
  changed: boolean;
  /** Whether any conflict of the party in the line stands now. */
  standing: boolean;
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

  /**
   * Brings the conflicts the party's registrations and sales in this line raised in line with the
   * facts as they stand now, each judged as of its filing or issue: new ones are detected, ones a
   * late-arriving earlier fact disproved are superseded. Their ids come from their natural keys, so
   * any arrival order of the same facts ends with the same conflicts.
   */
  /** `read`: the scope's recorded conflicts when the caller read them with the scope (under its lock, nothing written since). */
  async reconcile(scope: LoadedScope, ctx: WriteContext, read?: ScopeConflictRows): Promise<Reconciled> {
    const recorded = read ?? (await scopeConflicts(ctx.manager, scope.facts.partyId, scope.facts.productLine));
    const expected = expectedScopeConflicts(scope.facts, this.settings.detection)
      .filter((e) => !(e.conflict.kind === 'policy-vs-registration' && recorded.judgedBefore.has(e.conflict.subject?.policyNo ?? '')));
    const plan = reconcileScope(expected, recorded.keyed);
    if (plan.supersede.length === 0 && plan.detect.length === 0) return { changed: false, standing: recorded.standing };
    const at = this.clock.now().toISOString();
    for (const stale of plan.supersede) await this.supersedeOne(stale, at, ctx);
    const { precedence } = await this.precedence.current(ctx.manager);
    for (const { key, conflict, facts, productSubsidiary: ofSale } of plan.detect) {
      const productSubsidiary = ofSale ?? scope.productSubsidiaries.get(conflict.subject?.referralId ?? '') ?? null;
      await this.recordOne(conflict, facts, precedence, at, productSubsidiary, ctx, { conflictId: naturalConflictId(key), key });
    }
    // Conservative: one that stood before may just have been superseded (the caller then merely reads more).
    return { changed: true, standing: recorded.standing || plan.detect.length > 0 };
  }

  private async supersedeOne(stale: ScopePlan['supersede'][number], at: string, ctx: WriteContext): Promise<void> {
    const reason = stale.replacedBy.length > 0
      ? 'a fact from earlier in business time arrived late: the registration is judged by what stood when it was filed'
      : 'a fact from earlier in business time arrived late: the facts as they stood no longer support this conflict';
    const before = await indexedConflict(ctx.manager, stale.conflictId);
    const eventIdOf = (type: string) => ctx.eventId('conflict', stale.key, type);
    const { events, state } = await execute(
      this.store,
      conflictStreamId(stale.conflictId),
      conflictDecider,
      { type: 'SupersedeConflict', data: { conflictId: stale.conflictId, reason, replacedBy: stale.replacedBy, supersededAt: at } },
      { manager: ctx.manager, metadata: ctx.metadata, eventId: (event) => eventIdOf(event.type) },
    );
    if (events.length === 0) return;
    await saveConflict(ctx.manager, state, null, stale.key);
    // Its decision went out to the subsidiaries: tell them it is withdrawn, naming what replaces it.
    if (state.status !== 'superseded' || !before?.decision) return;
    const replacedBy = stale.replacedBy.map((key) => naturalConflictId(key));
    await this.outbox.conflictSuperseded(ctx, state, before.decision, replacedBy, before.productSubsidiary, eventIdOf('ConflictSuperseded'));
  }

  private async recordOne(
    conflict: DetectedConflict,
    facts: ConflictFacts,
    precedence: Precedence,
    detectedAt: string,
    productSubsidiary: Subsidiary | null,
    ctx: WriteContext,
    natural?: { conflictId: string; key: string },
  ): Promise<RecordedConflict> {
    // A redelivered fact derives the same id, so the decider finds the stream and appends nothing.
    const key = natural?.key ?? conflictKey(conflict);
    const conflictId = natural?.conflictId ?? ctx.eventId('conflict', key);
    const eventIdOf = (type: string) => ctx.eventId('conflict', key, type);
    const { events, state } = await execute(
      this.store,
      conflictStreamId(conflictId),
      conflictDecider,
      { type: 'DetectConflict', data: { conflictId, conflict, facts, precedence, detectedAt } },
      { manager: ctx.manager, metadata: ctx.metadata, eventId: (event) => eventIdOf(event.type) },
    );
    if (events.length === 0) return { conflictId, state };
    await saveConflict(ctx.manager, state, productSubsidiary, natural?.key);
    if (isDecided(state)) await this.outbox.conflictDecided(ctx, state, productSubsidiary, eventIdOf('ConflictAutoResolved'));
    return { conflictId, state };
  }
}
