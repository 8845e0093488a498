import type { SubsidiaryEvent } from '@lib/contracts';
import { Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { PartyRejudging } from '../write/party-rejudging';
import { poisonOnDomainError, sharedPolicy } from './inbound-support';

/**
 * Runs after the portfolio has kept the policy's status change or endorsement with its date: the policy
 * no longer counts toward the party's tier from the date it was cancelled or lapsed (counts again from
 * its reinstatement, and at the endorsed premium from an endorsement's date), so the approaches of the
 * party's lines are judged again, as an issued policy does. A change that arrives after them then ends
 * as one that arrived before. A cancellation, lapse or reinstatement also judges again the policy's own
 * line for any party: the registrations, sales and quotes made since its date are judged with the
 * policies in force then. A renewal (a new term, and perhaps a new servicing agent from its date, which
 * crediting's servicing history keeps after this runs) is judged by ServicingChangedHandler.
 */
@Injectable()
export class PolicyStatusChangedHandler implements InboundHandler {
  readonly name = 'conflicts.policy-status-changed';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['PolicyEndorsed', 'PolicyCancelled', 'PolicyLapsed', 'PolicyReinstated'];

  constructor(private readonly rejudging: PartyRejudging) {}

  async handle(ctx: InboundContext): Promise<void> {
    // The portfolio parks a status change or endorsement until its policy is recorded, then shares the policy's row.
    const { partyId, productLine } = sharedPolicy(ctx.shared);
    if (!partyId) return;
    // The policy was in force until (or again from) the change's date: its line's registrations, sales and quotes since met it (or not).
    const ownLine = ctx.event.type !== 'PolicyEndorsed' ? productLine : undefined;
    await poisonOnDomainError(async () => {
      const { mayBeTopStrategic, approached } = await this.rejudging.survey(ctx, partyId, Boolean(ownLine));
      // Counted at its most, the party's tier never reaches top-strategic for most parties: every line is judged again only for the others.
      if (mayBeTopStrategic) return this.rejudging.rejudgeLines(ctx, partyId, undefined, approached);
      if (ownLine) await this.rejudging.rejudgeLinesOf(ctx, partyId, [ownLine], approached);
    });
  }
}
