import { Injectable } from '@nestjs/common';
import type { ServicingChange, ServicingRejudgementPort, WriteContext } from '../conflicts.ports';
import { productLinesOf } from '../persistence/portfolio-facts';
import { PartyRejudging } from './party-rejudging';

/**
 * A policy's servicing agent by business date changed (a hand-out, a renewal naming a new agent, a
 * coordinator's reassignment): the registrations, sales, quotes and approaches judged with the servicer
 * or the relationship team of a day since were judged with the wrong one if they arrived first. The
 * policy's line is judged again, and every line of a party that may have been top-strategic, each fact
 * as of its own date: the outcome is the one of business order. Reconciling changes only what differs,
 * so being told twice doubles nothing.
 */
@Injectable()
export class ServicingRejudgement implements ServicingRejudgementPort {
  constructor(private readonly rejudging: PartyRejudging) {}

  /** `also`: a party (and line) judged too though none of its policies is in `changed` (a renewed policy's). */
  async servicingChanged(changed: readonly ServicingChange[], ctx: WriteContext, also?: { partyId: string; productLine?: string }): Promise<void> {
    const linesOf = await productLinesOf(ctx.manager, changed);
    const lines = new Map<string, Set<string>>();
    const judge = (partyId: string, line: string | undefined) => {
      const of = lines.get(partyId) ?? new Set<string>();
      if (line) of.add(line);
      lines.set(partyId, of);
    };
    for (const policy of changed) judge(policy.partyId, linesOf.get(`${policy.subsidiary}/${policy.policyNo}`));
    if (also) judge(also.partyId, also.productLine);
    for (const [partyId, of] of [...lines].sort(([a], [b]) => a.localeCompare(b))) {
      const { mayBeTopStrategic, approached } = await this.rejudging.survey(ctx, partyId, of.size > 0);
      // Counted at its most, the party's tier never reaches top-strategic for most parties: only the policies' own lines then.
      if (mayBeTopStrategic) await this.rejudging.rejudgeLines(ctx, partyId, undefined, approached);
      else if (of.size > 0) await this.rejudging.rejudgeLinesOf(ctx, partyId, [...of], approached);
    }
  }
}
