import { notFound } from '@lib/platform';
import { assertSubsidiary, type Principal } from '@lib/platform/auth';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/tokens';
import type { WriteContext } from '../conflicts.ports';
import { lossRefusedButNoted, type ReferralCommand, type ReferralEvent, type ReferralStage, type Subsidiary } from '../domain';
import { findReferral, lockReferral, type IndexedReferral } from '../persistence/referral-index';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { ConflictRecorder } from '../write/conflict-recorder';
import { ReferralWriter } from '../write/referral-writer';
import { SaleDecisions } from '../write/sale-decisions';
import { SaleLinks } from '../write/sale-links';
import { requestContext, UnitOfWork } from './unit-of-work';

export type ReferralChange =
  | { kind: 'acceptance'; acceptedBy: string; acceptedAt?: string }
  | { kind: 'quote'; price: string; currency: string; quotedAt?: string }
  | { kind: 'loss'; reason: string; lostAt?: string };

function commandOf(referralId: string, change: ReferralChange, now: string): ReferralCommand {
  switch (change.kind) {
    case 'acceptance':
      return { type: 'AcceptReferral', data: { referralId, acceptedBy: change.acceptedBy, acceptedAt: change.acceptedAt ?? now } };
    case 'quote':
      return { type: 'QuoteReferral', data: { referralId, price: change.price, currency: change.currency, quotedAt: change.quotedAt ?? now } };
    case 'loss':
      return { type: 'MarkReferralLost', data: { referralId, reason: change.reason, lostAt: change.lostAt ?? now, recordedAt: now } };
    default: {
      const unknown: never = change;
      throw new Error(`unknown referral change ${JSON.stringify(unknown)}`);
    }
  }
}

export interface ReferralChanged {
  referralId: string;
  status: ReferralStage;
  previousStatus: ReferralStage;
}

/** The product side moves a referral along its pipeline; only the subsidiary whose product it is may. */
@Injectable()
export class ReferralCommandsService {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly uow: UnitOfWork,
    private readonly writer: ReferralWriter,
    private readonly facts: ConflictFactsLoader,
    private readonly links: SaleLinks,
    private readonly recorder: ConflictRecorder,
    private readonly sales: SaleDecisions,
  ) {}

  async change(referralId: string, change: ReferralChange, principal: Principal, correlationId: string): Promise<ReferralChanged> {
    const { changed, refusal } = await this.uow.run(async (manager) => {
      const found = await findReferral(manager, referralId);
      if (!found) throw notFound('REFERRAL_NOT_FOUND', `referral ${referralId} is not registered`);
      assertSubsidiary(principal, found.productSubsidiary);
      // A loss may withdraw a sale's conversion and move its link: the party's writers take turns (party, then referral row).
      await this.facts.lock(manager, found.partyId);
      const referral = (await lockReferral(manager, referralId))!;
      const now = this.clock.now().toISOString();
      const ctx = requestContext(manager, { id: principal.id, correlationId }, now);
      const { events, state } = await this.writer.run(referralId, commandOf(referralId, change, now), ctx);
      await this.followLoss(referral, events, ctx);
      const status = state.status === 'none' ? referral.status : state.status;
      return { changed: { referralId, status, previousStatus: referral.status }, refusal: lossRefusedButNoted(events, state) };
    });
    // A loss after the sale that converted the referral is refused as before, but kept (committed) for a withdrawal.
    if (refusal) throw refusal;
    return changed;
  }

  /**
   * A loss dated before the sale that converted the referral withdrew that conversion: the sale
   * converts the one business order gives it (or none, credited as the seller's own). Whenever the
   * referral is lost (or its loss moved earlier), the party's conflicts in the line are judged again
   * with the referral closed at its loss: a rival registration judged a duplicate of it before the
   * loss arrived is one no longer.
   */
  private async followLoss(referral: IndexedReferral, events: readonly ReferralEvent[], ctx: WriteContext): Promise<void> {
    if (!events.some((e) => e.type === 'ReferralLost')) return;
    const withdrawn = events.find((e) => e.type === 'ReferralConversionWithdrawn');
    const sale = withdrawn && { subsidiary: referral.productSubsidiary as Subsidiary, policyNo: withdrawn.data.policyNo };
    const moved = sale ? await this.links.released(referral.partyId, referral.productLine, sale, ctx) : [];
    const scope = await this.facts.loadScope(ctx.manager, referral.partyId, referral.productLine);
    const reconciled = await this.recorder.reconcile(scope, ctx);
    if (reconciled.changed || moved.length > 0) await this.sales.settle(scope, ctx);
  }
}
