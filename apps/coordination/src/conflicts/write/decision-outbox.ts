import { COORDINATION_EVENT_NAMESPACE, createEvent, deterministicEventId, formatIssues, type DecisionType } from '@lib/contracts';
import { enqueueOutbox } from '@lib/messaging';
import { Inject, Injectable } from '@nestjs/common';
import { COORDINATION_SCHEMA } from '../../infrastructure/tokens';
import { CONFLICTS_SETTINGS, type WriteContext } from '../conflicts.ports';
import type { ConflictsSettings } from '../conflicts.settings';
import type { ConflictState, CreditDecision, ReferralEvent, ReferralStage, ReferralState, Subsidiary } from '../domain';
import {
  conflictAddressees, conflictResolvedPayload, conflictSupersededPayload, referralAddressees, referralStatusPayload,
} from './decision-messages';

type Decided = Extract<ConflictState, { status: 'resolved' | 'auto-resolved' }>;

interface Outgoing {
  type: DecisionType;
  payload: object;
  addressees: Subsidiary[];
  key: string;
  occurredAt: string;
  /** The coordination event this message announces; each addressee's copy gets its own id from it. */
  causationId: string;
}

/**
 * Decisions back to the subsidiaries, through the coordination outbox in the caller's
 * transaction: published if and only if the events that caused them commit. One message
 * per addressee (the envelope's `subsidiary` is the addressee), keyed by party.
 */
@Injectable()
export class DecisionOutbox {
  constructor(@Inject(CONFLICTS_SETTINGS) private readonly settings: ConflictsSettings) {}

  async conflictDecided(ctx: WriteContext, state: Decided, productSubsidiary: Subsidiary | null, causationId: string): Promise<void> {
    await this.enqueue(ctx, {
      type: 'ConflictResolved',
      payload: conflictResolvedPayload(state),
      addressees: conflictAddressees(state, productSubsidiary),
      key: state.conflict.partyId,
      occurredAt: state.outcome.decidedAt,
      causationId,
    });
  }

  /** A decision already sent no longer stands: the same addressees are told it is withdrawn. */
  async conflictSuperseded(
    ctx: WriteContext, state: Extract<ConflictState, { status: 'superseded' }>, withdrawn: Pick<CreditDecision, 'mode' | 'shares'>,
    replacedBy: readonly string[], productSubsidiary: Subsidiary | null, causationId: string,
  ): Promise<void> {
    await this.enqueue(ctx, {
      type: 'ConflictSuperseded',
      payload: conflictSupersededPayload(state, withdrawn, replacedBy),
      addressees: conflictAddressees(state, productSubsidiary),
      key: state.conflict.partyId,
      occurredAt: state.closedAt,
      causationId,
    });
  }

  async referralChanged(ctx: WriteContext, referral: ReferralState, event: ReferralEvent, previous: ReferralStage | null, causationId: string): Promise<void> {
    if (referral.status === 'none') return;
    const payload = referralStatusPayload(referral, event, previous);
    await this.enqueue(ctx, {
      type: 'ReferralStatusChanged',
      payload,
      addressees: referralAddressees(referral),
      key: referral.partyId,
      occurredAt: payload.at,
      causationId,
    });
  }

  private async enqueue(ctx: WriteContext, out: Outgoing): Promise<void> {
    const messages = out.addressees.map((addressee) => {
      const eventId = deterministicEventId(COORDINATION_EVENT_NAMESPACE, out.causationId, 'decision', addressee);
      const built = createEvent({
        type: out.type,
        eventId,
        subsidiary: addressee,
        occurredAt: out.occurredAt,
        correlationId: ctx.metadata.correlationId ?? out.causationId,
        causationId: out.causationId,
        payload: out.payload,
      });
      // Our own payload failing the public contract is a bug: fail the unit of work loudly.
      if (!built.ok) throw new Error(`invalid ${out.type} decision message: ${formatIssues(built.issues)}`);
      return {
        topic: this.settings.decisionsTopic,
        key: out.key,
        value: JSON.stringify(built.event),
        headers: { 'content-type': 'application/json', 'x-event-type': out.type, 'x-event-id': eventId },
      };
    });
    if (messages.length > 0) await enqueueOutbox(ctx.manager, COORDINATION_SCHEMA, messages);
  }
}
