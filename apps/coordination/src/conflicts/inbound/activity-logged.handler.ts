import type { EventEnvelope, SubsidiaryEvent } from '@lib/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { CONFLICTS_PARTY_DIRECTORY, type PartyDirectoryPort } from '../conflicts.ports';
import { ANY_PRODUCT_LINE } from '../domain';
import { saveApproach } from '../persistence/approach-index';
import { saveQuote } from '../persistence/quote-index';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { ConflictRecorder } from '../write/conflict-recorder';
import { SaleDecisions } from '../write/sale-decisions';
import { toApproach, toRecentQuote } from '../write/fact-mapping';
import { poisonOnDomainError, requireAgent, requireParty } from './inbound-support';

type ActivityLogged = EventEnvelope<'ActivityLogged'>;

/**
 * Sales activities about a known client. A quote for a line is recorded (quote_index) and checked
 * for a clash with another channel's quote; any other approach (visit, call...) is recorded too
 * (approach_index) and only matters to a top-strategic client's relationship team. Activities naming
 * no client concern no one.
 */
@Injectable()
export class ActivityLoggedHandler implements InboundHandler {
  readonly name = 'conflicts.activity-logged';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['ActivityLogged'];

  constructor(
    @Inject(CONFLICTS_PARTY_DIRECTORY) private readonly parties: PartyDirectoryPort,
    private readonly facts: ConflictFactsLoader,
    private readonly recorder: ConflictRecorder,
    private readonly sales: SaleDecisions,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    const event = ctx.event;
    if (event.type !== 'ActivityLogged' || !event.payload.clientLocalId) return;
    const partyId = await requireParty(this.parties, ctx.manager, event.subsidiary, event.payload.clientLocalId);
    const agent = await requireAgent(ctx.manager, event.payload.agentId);
    await poisonOnDomainError(() =>
      event.payload.kind === 'quote' && event.payload.productLine
        ? this.quote(ctx, event, partyId, event.payload.productLine, agent.channel)
        : this.approach(ctx, event, partyId, agent.channel),
    );
  }

  /**
   * Recorded, then the party's conflicts in the line are reconciled: the quote is judged against the
   * quotes made before it with the facts as of its time (quoteClashes), and a clash a late-arriving
   * earlier fact (a policy) judges otherwise is superseded, whatever arrived first.
   */
  private async quote(ctx: InboundContext, event: ActivityLogged, partyId: string, productLine: string, channel: string): Promise<void> {
    const quote = toRecentQuote(event, partyId, productLine, channel);
    await this.facts.lock(ctx.manager, partyId);
    await saveQuote(ctx.manager, `${event.subsidiary}:${event.payload.activityId}`, quote);
    const scope = await this.facts.loadScope(ctx.manager, partyId, productLine, { locked: true });
    const reconciled = await this.recorder.reconcile(scope, ctx);
    if (reconciled.changed) await this.sales.settle(scope, ctx);
  }

  /**
   * Kept (approach_index), then judged with the party as it stood at the approach's own time (its tier
   * and relationship team then, from the portfolio), not identity's current tier: one made before the
   * client became top-strategic is none of its team's business, one made after is, whatever arrived
   * first (a policy, renewal or status change arriving later judges it again: PartyRejudging).
   */
  private async approach(ctx: InboundContext, event: ActivityLogged, partyId: string, channel: string): Promise<void> {
    const activity = toApproach(event, partyId, channel);
    await this.facts.lock(ctx.manager, partyId);
    await saveApproach(ctx.manager, `${event.subsidiary}:${event.payload.activityId}`, activity);
    // Cheap check first: most clients are top-strategic at no moment and no rule looks at their approaches.
    if (!(await this.facts.mayBeTopStrategic(ctx.manager, partyId))) return;
    const scope = await this.facts.loadScope(ctx.manager, partyId, activity.productLine ?? ANY_PRODUCT_LINE, { locked: true });
    const reconciled = await this.recorder.reconcile(scope, ctx);
    if (reconciled.changed) await this.sales.settle(scope, ctx);
  }
}
