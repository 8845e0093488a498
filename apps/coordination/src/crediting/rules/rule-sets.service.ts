import type { EventStore, RecordedEvent } from '@lib/event-store';
import { unprocessable, type Principal } from '@lib/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CLOCK, Clock, EVENT_STORE } from '../../infrastructure/tokens';
import { CREDITING_SETTINGS, type CreditingSettings } from '../crediting.settings';
import { PolicyStream, ShadowReport, shadowRun } from '../domain';
import { HierarchyLoader } from '../hierarchy/hierarchy.loader';
import { CreditLedgerEvent, ledgerHistory, ledgerStreamId } from '../ledger/credit-ledger';
import { commandWrite, CreditingUnitOfWork } from '../http/unit-of-work';
import { RecalculationService, RecalculationSummary } from './recalculation';
import { Publication, RuleCatalogue } from './rule-catalogue';
import { RuleSetDraft, ruleSetFromDraft } from './rule-set.schema';

/** The coordination team's rule-set use cases: read the timeline, publish, try a draft. */
@Injectable()
export class RuleSetsService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CREDITING_SETTINGS) private readonly settings: CreditingSettings,
    private readonly dataSource: DataSource,
    private readonly uow: CreditingUnitOfWork,
    private readonly rules: RuleCatalogue,
    private readonly recalculation: RecalculationService,
    private readonly hierarchy: HierarchyLoader,
  ) {}

  async list(): Promise<{ timeline: unknown[]; publications: Publication[] }> {
    const { publications, timeline } = await this.rules.publications(this.dataSource.manager);
    return { timeline: [...timeline.segments], publications };
  }

  /** Publishes and, in the same transaction, re-prices affected ledgers (or queues a job for many). */
  async publish(draft: RuleSetDraft, principal: Principal, correlationId?: string)
    : Promise<{ version: string; timeline: unknown[]; recalculation: RecalculationSummary }> {
    return this.uow.run(async (manager) => {
      const write = commandWrite(principal, correlationId, this.clock.now());
      const base = await this.rules.publications(manager);
      const ruleSet = ruleSetFromDraft(draft, base.timeline);
      const { event } = await this.rules.publish(manager, ruleSet, principal.id, { metadata: write.metadata, eventId: write.eventId('RuleSetPublished') });
      const recalculation = await this.recalculation.start(manager, ruleSet, write.metadata);
      return { version: ruleSet.version, timeline: [...event.data.segments], recalculation };
    });
  }

  /** What a draft would change per agent and per subsidiary over the whole recorded book; publishes nothing. */
  async shadowRun(draft: RuleSetDraft): Promise<ShadowReport & { policies: number }> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [{ n }] = await manager.query('SELECT count(*)::int AS n FROM coordination.credit_ledgers');
      if (n > this.settings.shadowRunMaxPolicies) {
        throw unprocessable('SHADOW_RUN_TOO_LARGE', `${n} policies exceed CREDIT_SHADOW_MAX_POLICIES (${this.settings.shadowRunMaxPolicies})`);
      }
      const timeline = await this.rules.timelineFor(manager);
      const ruleSet = ruleSetFromDraft(draft, timeline);
      const streams = await this.histories(manager);
      const report = shadowRun(() => streams, { timeline, hierarchy: await this.hierarchy.loadAll(manager) }, ruleSet);
      return { ...report, policies: streams.length };
    });
  }

  /** Every ledger's replayable history, read stream by stream in one snapshot. */
  private async histories(manager: EntityManager): Promise<PolicyStream[]> {
    const ledgers: Array<{ subsidiary: string; policy_no: string }> = await manager.query(
      'SELECT subsidiary, policy_no FROM coordination.credit_ledgers ORDER BY subsidiary, policy_no',
    );
    const streams: PolicyStream[] = [];
    for (const { subsidiary, policy_no: policyNo } of ledgers) {
      const recorded: RecordedEvent[] = await this.store.readStream(ledgerStreamId(subsidiary, policyNo), { manager });
      const events = recorded.map((e) => ({ type: e.type, data: e.data }) as CreditLedgerEvent);
      streams.push({ policyNo: `${subsidiary}/${policyNo}`, items: ledgerHistory(events) });
    }
    return streams;
  }
}
