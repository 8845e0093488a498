import { Inject, Injectable } from '@nestjs/common';
import { CONFLICTS_PARTY_PROFILES, type PartyProfileSource, type WriteContext } from '../conflicts.ports';
import { linesWithApproaches } from '../persistence/referral-index';
import { ConflictFactsLoader } from './conflict-facts.loader';
import { ConflictRecorder } from './conflict-recorder';
import { SaleDecisions } from './sale-decisions';

/** What a rejudging caller reads behind the party's lock: whether the party may have been top-strategic, and the lines it was approached in. */
export interface PartySurvey {
  mayBeTopStrategic: boolean;
  approached?: readonly string[];
}

/**
 * A policy issued, renewed, endorsed, cancelled, lapsed or reinstated changes the party's tier from its date on: the
 * registrations, sales, quotes and other approaches of its lines (`*` for those naming none) made since may
 * have met a top-strategic client (or not), whatever arrived first. They are judged again, each as of its
 * own time, as in business order.
 */
@Injectable()
export class PartyRejudging {
  constructor(
    @Inject(CONFLICTS_PARTY_PROFILES) private readonly profiles: PartyProfileSource,
    private readonly facts: ConflictFactsLoader,
    private readonly recorder: ConflictRecorder,
    private readonly sales: SaleDecisions,
  ) {}

  /**
   * Takes the party's lock and reads behind it, in the same round trip (the connection is pipelined), whether the party
   * may have been top-strategic (counted at its most; false when the profile source keeps no history) and, with
   * `lines`, the lines it was approached in.
   */
  async survey(ctx: WriteContext, partyId: string, lines: boolean): Promise<PartySurvey> {
    const [, timeline, approached] = await Promise.all([
      this.facts.lock(ctx.manager, partyId),
      this.profiles.timelineOf?.(ctx.manager, partyId),
      lines ? linesWithApproaches(ctx.manager, partyId) : undefined,
    ]);
    return { mayBeTopStrategic: timeline?.mayBeTopStrategic ?? false, ...(approached ? { approached } : {}) };
  }

  /**
   * Reconciles the party's conflicts in every line it was approached in (`approached` when the caller read them under
   * the party's lock), but `except` (the caller's own, reconciled already).
   */
  async rejudgeLines(ctx: WriteContext, partyId: string, except?: string, approached?: readonly string[]): Promise<void> {
    await this.rejudgeSome(ctx, partyId, (line) => line !== except, approached);
  }

  /**
   * Reconciles the party's conflicts in the given lines it was approached in: a policy of those lines
   * stopped or resumed being in force, or changed servicer, from a date, which changes what the
   * registrations, sales and quotes made since were judged against (the servicing relationship), whatever
   * the party's tier.
   */
  async rejudgeLinesOf(ctx: WriteContext, partyId: string, lines: readonly string[], approached?: readonly string[]): Promise<void> {
    await this.rejudgeSome(ctx, partyId, (line) => lines.includes(line), approached);
  }

  private async rejudgeSome(ctx: WriteContext, partyId: string, judged: (line: string) => boolean, approached?: readonly string[]): Promise<void> {
    for (const line of approached ?? (await linesWithApproaches(ctx.manager, partyId))) {
      if (!judged(line)) continue;
      const scope = await this.facts.loadScope(ctx.manager, partyId, line);
      if ((await this.recorder.reconcile(scope, ctx)).changed) await this.sales.settle(scope, ctx);
    }
  }
}
