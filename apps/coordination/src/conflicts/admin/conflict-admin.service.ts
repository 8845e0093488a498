import { COORDINATION_EVENT_NAMESPACE, deterministicEventId } from '@lib/contracts';
import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { execute } from '../../infrastructure/decider-runner';
import { CLOCK, EVENT_STORE, type Clock } from '../../infrastructure/tokens';
import {
  CONFLICT_RESOLUTION_LISTENERS, type ConflictResolutionListener, type ResolvedCreditDecision, type WriteContext,
} from '../conflicts.ports';
import {
  conflictDecider, conflictStreamId, isDecided, type ConflictCommand, type ConflictState, type CoordinatorDecision, type Subsidiary,
} from '../domain';
import { creditDecisionOf, indexedConflict, saveConflict } from '../persistence/conflict-index';
import { convertedPolicyOf } from '../persistence/referral-index';
import { DecisionOutbox } from '../write/decision-outbox';
import { requestContext, UnitOfWork, type Actor } from './unit-of-work';

type Decided = Extract<ConflictState, { status: 'resolved' | 'auto-resolved' }>;

/** A conflict's referrals: a registration conflict may already have become a sale, whose credit the decision moves. */
const referralIdsOf = (state: Decided): string[] =>
  [state.conflict.subject?.referralId, ...state.conflict.claimants.map((c) => c.referralId)].filter((id): id is string => Boolean(id));

/**
 * The coordination team's commands on the queue: assign a conflict, decide it. A decision is
 * appended, mirrored, handed to crediting (listeners) and announced to the subsidiaries in
 * one transaction, so none of them can happen without the others.
 */
@Injectable()
export class ConflictAdminService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFLICT_RESOLUTION_LISTENERS) private readonly listeners: ConflictResolutionListener[],
    private readonly uow: UnitOfWork,
    private readonly outbox: DecisionOutbox,
  ) {}

  assign(conflictId: string, assignee: string, actor: Actor): Promise<ConflictState> {
    return this.uow.run(async (manager) => {
      const at = this.clock.now().toISOString();
      const ctx = requestContext(manager, actor, at);
      const command = { type: 'AssignConflict', data: { conflictId, coordinatorId: assignee, assignedBy: actor.id, assignedAt: at } } as const;
      const { state } = await this.run(ctx, conflictId, command);
      await saveConflict(manager, state, (await indexedConflict(manager, conflictId))?.productSubsidiary ?? null);
      return state;
    });
  }

  resolve(conflictId: string, decision: CoordinatorDecision, rationale: string, actor: Actor): Promise<ConflictState> {
    return this.uow.run(async (manager) => {
      const at = this.clock.now().toISOString();
      const ctx = requestContext(manager, actor, at);
      const data = { conflictId, decision, rationale, decidedBy: actor.id, decidedAt: at };
      const { state } = await this.run(ctx, conflictId, { type: 'ResolveConflict', data });
      if (!isDecided(state)) return state;
      const productSubsidiary = (await indexedConflict(manager, conflictId))?.productSubsidiary ?? null;
      await saveConflict(manager, state, productSubsidiary);
      const resolvedEventId = ctx.eventId('ConflictResolved');
      await this.notifyListeners(manager, state, productSubsidiary, { ...ctx, eventId: derivedIds(resolvedEventId) });
      await this.outbox.conflictDecided(ctx, state, productSubsidiary, resolvedEventId);
      return state;
    });
  }

  private run(ctx: WriteContext, conflictId: string, command: ConflictCommand) {
    return execute(this.store, conflictStreamId(conflictId), conflictDecider, command, {
      manager: ctx.manager,
      metadata: ctx.metadata,
      eventId: (event) => ctx.eventId(event.type),
    });
  }

  private async notifyListeners(manager: EntityManager, state: Decided, productSubsidiary: Subsidiary | null, ctx: WriteContext): Promise<void> {
    const decision = creditDecisionOf(state, productSubsidiary) as ResolvedCreditDecision;
    const sale = decision.policyNo ? undefined : await convertedPolicyOf(manager, referralIdsOf(state));
    const enriched: ResolvedCreditDecision = sale ? { ...decision, policyNo: sale.policyNo, productSubsidiary: sale.productSubsidiary } : decision;
    for (const listener of this.listeners) await listener.onResolved(enriched, ctx);
  }
}

/** Listeners' event ids derive from the decision's event id, so their writes are as unique as the decision. */
const derivedIds = (sourceId: string) => (...qualifiers: string[]) => deterministicEventId(COORDINATION_EVENT_NAMESPACE, sourceId, ...qualifiers);
