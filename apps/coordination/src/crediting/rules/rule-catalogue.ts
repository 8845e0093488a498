import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import type { EventMetadata, EventStore, RecordedEvent } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK, Clock, EVENT_STORE } from '../../infrastructure/tokens';
import { CreditRuleSet, RuleSetPublished, RuleTimeline, decidePublication, defaultRuleSet, emptyTimeline, evolveCatalogue } from '../domain';

export const RULES_STREAM = 'credit-rules';
/** Crediting holds it shared while it computes; publishing holds it exclusively (see publish). */
const RULES_LOCK = 'crediting:credit-rules';
/** The seed's id is the same on every instance, so racing seeds store one event. */
export const SEED_EVENT_ID = deterministicEventId(COORDINATION_EVENT_NAMESPACE, RULES_STREAM, 'seed', 'v1');

export interface Publication {
  version: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  publishedAt: string;
  publishedBy: string;
  position: string;
}

const published = (e: RecordedEvent) => ({ type: e.type, data: e.data }) as RuleSetPublished;

/**
 * The `credit-rules` stream: every RuleSetPublished carries the whole timeline after it, so the
 * newest event alone answers "which rules apply". The default rule set is published as v1 the
 * first time anyone needs rules and finds none.
 */
@Injectable()
export class RuleCatalogue {
  /** Immutable per event: reusing the object keeps the domain's compiled rule sets warm. */
  private cached?: { eventId: string; timeline: RuleTimeline };

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * The timeline to credit with, inside the caller's transaction. The shared lock makes a
   * publication wait for credits being computed and vice versa, so no credit is computed under
   * rules that a concurrent retroactive publication fails to re-price.
   */
  async timelineFor(manager: EntityManager): Promise<RuleTimeline> {
    // The head is read with the lock and runs once the lock is held (the connection is pipelined). Only
    // the newest event's id: its data (the whole timeline, about 16 KB) is read when it is not the cached one.
    const [, head] = await Promise.all([
      manager.query('SELECT pg_advisory_xact_lock_shared(hashtext($1))', [RULES_LOCK]),
      this.store.streamHead(RULES_STREAM, { manager }),
    ]);
    if (!head) return this.seed(manager);
    if (this.cached?.eventId !== head.eventId) {
      const [last] = await this.store.readStream(RULES_STREAM, { manager, direction: 'backwards', maxCount: 1 });
      this.cached = { eventId: last.eventId, timeline: evolveCatalogue(emptyTimeline(), published(last)) };
    }
    return this.cached.timeline;
  }

  async publications(manager: EntityManager): Promise<{ publications: Publication[]; timeline: RuleTimeline; ruleSets: CreditRuleSet[] }> {
    const events = await this.store.readStream(RULES_STREAM, { manager });
    const timeline = events.map(published).reduce(evolveCatalogue, emptyTimeline());
    const publications = events.map((e) => {
      const { ruleSet, publishedAt, publishedBy } = published(e).data;
      return { version: ruleSet.version, effectiveFrom: ruleSet.effectiveFrom, effectiveTo: ruleSet.effectiveTo, publishedAt, publishedBy, position: e.globalPosition };
    });
    return { publications, timeline, ruleSets: events.map((e) => published(e).data.ruleSet) };
  }

  /**
   * Validates and appends a draft (throws CREDIT_RULE_SET_INVALID with issue paths). Takes the
   * exclusive lock first, before any write, so it waits for in-flight credits to commit and
   * credits that start later read the new timeline.
   */
  async publish(manager: EntityManager, ruleSet: CreditRuleSet, publishedBy: string, write: { metadata: EventMetadata; eventId: string })
    : Promise<{ event: RuleSetPublished; previous: RuleTimeline }> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [RULES_LOCK]);
    const events = await this.store.readStream(RULES_STREAM, { manager });
    const previous = events.length === 0 ? await this.seed(manager) : events.map(published).reduce(evolveCatalogue, emptyTimeline());
    const [event] = decidePublication({ type: 'PublishRuleSet', data: { ruleSet, publishedAt: this.clock.now().toISOString(), publishedBy } }, previous);
    await this.store.append(RULES_STREAM, [{ eventId: write.eventId, type: event.type, data: event.data, metadata: write.metadata }], 'stream_exists', { manager });
    return { event, previous };
  }

  private async seed(manager: EntityManager): Promise<RuleTimeline> {
    const ruleSet = defaultRuleSet();
    const [event] = decidePublication({ type: 'PublishRuleSet', data: { ruleSet, publishedAt: this.clock.now().toISOString(), publishedBy: 'system:default-rule-set' } }, emptyTimeline());
    await this.store.append(RULES_STREAM, [{ eventId: SEED_EVENT_ID, type: event.type, data: event.data, metadata: { actor: 'system:default-rule-set' } }], 'no_stream', { manager });
    return evolveCatalogue(emptyTimeline(), event);
  }
}
