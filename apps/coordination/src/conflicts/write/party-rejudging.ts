import { Injectable } from '@nestjs/common';
import type { WriteContext } from '../conflicts.ports';
import { linesWithApproaches } from '../persistence/referral-index';
import { ConflictFactsLoader } from './conflict-facts.loader';
import { ConflictRecorder } from './conflict-recorder';
import { SaleDecisions } from './sale-decisions';

/**
 * A policy issued, renewed, endorsed, cancelled, lapsed or reinstated changes the party's tier from its date on: the
 * registrations, sales, quotes and other approaches of its lines (`*` for those naming none) made since may
 * have met a top-strategic client (or not), whatever arrived first. They are judged again, each as of its
 * own time, as in business order.
 */
@Injectable()
export class PartyRejudging {
  constructor(
    private readonly facts: ConflictFactsLoader,
    private readonly recorder: ConflictRecorder,
    private readonly sales: SaleDecisions,
  ) {}

  /** Reconciles the party's conflicts in every line it was approached in, but `except` (the caller's own, reconciled already). */
  async rejudgeLines(ctx: WriteContext, partyId: string, except?: string): Promise<void> {
    await this.rejudgeSome(ctx, partyId, (line) => line !== except);
  }

  /**
   * Reconciles the party's conflicts in the given lines it was approached in: a policy of those lines
   * stopped or resumed being in force, or changed servicer, from a date, which changes what the
   * registrations, sales and quotes made since were judged against (the servicing relationship), whatever
   * the party's tier.
   */
  async rejudgeLinesOf(ctx: WriteContext, partyId: string, lines: readonly string[]): Promise<void> {
    await this.rejudgeSome(ctx, partyId, (line) => lines.includes(line));
  }

  private async rejudgeSome(ctx: WriteContext, partyId: string, judged: (line: string) => boolean): Promise<void> {
    for (const line of await linesWithApproaches(ctx.manager, partyId)) {
      if (!judged(line)) continue;
      const scope = await this.facts.loadScope(ctx.manager, partyId, line);
      if ((await this.recorder.reconcile(scope, ctx)).changed) await this.sales.settle(scope, ctx);
    }
  }
}
