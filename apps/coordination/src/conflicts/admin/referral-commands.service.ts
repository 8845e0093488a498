import { notFound } from '@lib/platform';
import { assertSubsidiary, type Principal } from '@lib/platform/auth';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../infrastructure/tokens';
import type { ReferralCommand, ReferralStage } from '../domain';
import { lockReferral } from '../persistence/referral-index';
import { ReferralWriter } from '../write/referral-writer';
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
      return { type: 'MarkReferralLost', data: { referralId, reason: change.reason, lostAt: change.lostAt ?? now } };
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
  ) {}

  change(referralId: string, change: ReferralChange, principal: Principal, correlationId: string): Promise<ReferralChanged> {
    return this.uow.run(async (manager) => {
      const referral = await lockReferral(manager, referralId);
      if (!referral) throw notFound('REFERRAL_NOT_FOUND', `referral ${referralId} is not registered`);
      assertSubsidiary(principal, referral.productSubsidiary);
      const now = this.clock.now().toISOString();
      const ctx = requestContext(manager, { id: principal.id, correlationId }, now);
      const { state } = await this.writer.run(referralId, commandOf(referralId, change, now), ctx);
      return { referralId, status: state.status === 'none' ? referral.status : state.status, previousStatus: referral.status };
    });
  }
}
