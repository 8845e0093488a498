import type { SubsidiaryEvent } from '@lib/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { SERVICING_CHANGED_KEY, type ServicingChanged } from '../../portfolio/portfolio.events';
import { CONFLICTS_PARTY_PROFILES, type PartyProfileSource } from '../conflicts.ports';
import { productLinesOf } from '../persistence/portfolio-facts';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { PartyRejudging } from '../write/party-rejudging';
import { poisonOnDomainError, sharedPolicy } from './inbound-support';

/**
 * Runs last, after crediting has kept who services each policy from which date (the servicing history):
 * a registration, sale or quote is judged with the policies as they stood at its time (in force, and by
 * whom serviced, that day), and a top-strategic client's relationship team as of a moment is who serviced
 * its policies that day. A renewal (a new term in force, perhaps a new servicing agent from its date) and
 * every event whose hand-outs changed a policy's servicing by date (a termination, a policy arriving after
 * its servicer's, a fact that judges a least-loaded hand-out again) judge again the policy's line (every
 * line of a party that may have been top-strategic), so an approach that arrived before the change ends as
 * one that arrived after it, each judged as of its own date.
 */
@Injectable()
export class ServicingChangedHandler implements InboundHandler {
  readonly name = 'conflicts.servicing-changed';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = [
    'AgentOnboarded', 'AgentTransferred', 'AgentTerminated', 'PolicyIssued', 'PolicyRenewed', 'PolicyCancelled', 'PolicyLapsed', 'PolicyReinstated',
  ];

  constructor(
    @Inject(CONFLICTS_PARTY_PROFILES) private readonly profiles: PartyProfileSource,
    private readonly facts: ConflictFactsLoader,
    private readonly rejudging: PartyRejudging,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    const changed = (ctx.shared.get(SERVICING_CHANGED_KEY) as ServicingChanged[] | undefined) ?? [];
    const linesOf = await productLinesOf(ctx.manager, changed);
    const lines = new Map<string, Set<string>>();
    const judge = (partyId: string, line: string | undefined) => {
      const of = lines.get(partyId) ?? new Set<string>();
      if (line) of.add(line);
      lines.set(partyId, of);
    };
    for (const policy of changed) judge(policy.partyId, linesOf.get(`${policy.subsidiary}/${policy.policyNo}`));
    // The portfolio shares a renewed policy's row once it recorded the renewal (it parks one whose policy is not recorded yet).
    if (ctx.event.type === 'PolicyRenewed') {
      const renewed = sharedPolicy(ctx.shared);
      if (renewed.partyId) judge(renewed.partyId, renewed.productLine);
    }
    for (const [partyId, of] of [...lines].sort(([a], [b]) => a.localeCompare(b))) {
      await poisonOnDomainError(async () => {
        await this.facts.lock(ctx.manager, partyId);
        // Counted at its most, the party's tier never reaches top-strategic for most parties: only the policies' own lines then.
        const everyLine = (await this.profiles.timelineOf?.(ctx.manager, partyId))?.mayBeTopStrategic ?? false;
        if (everyLine) await this.rejudging.rejudgeLines(ctx, partyId);
        else if (of.size > 0) await this.rejudging.rejudgeLinesOf(ctx, partyId, [...of]);
      });
    }
  }
}
