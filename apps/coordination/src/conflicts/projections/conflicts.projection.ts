import type { RecordedEvent } from '@lib/event-store';
import { Injectable } from '@nestjs/common';
import type { Projection, ProjectionContext } from '../../infrastructure/projections/projection.types';
import { evolveConflict, initialConflictState, type ConflictEvent, type ConflictState } from '../domain';

export const CONFLICT_VIEW = 'coordination.conflict_view';
export const CONFLICT_EVENT_TYPES: ReadonlyArray<ConflictEvent['type']> = [
  'ConflictDetected', 'ConflictAutoResolved', 'ConflictQueued', 'ConflictAssigned', 'ConflictResolved', 'ConflictSuperseded',
];

/**
 * The coordinators' queue: one row per conflict. The row keeps the folded domain state, so
 * the view says exactly what the decider's state says (outcome, triage, assignee) without
 * re-implementing it; the flat columns exist for filtering. `conflict-policy` shares the
 * stream prefix but none of these event types.
 */
@Injectable()
export class ConflictsProjection implements Projection {
  readonly name = 'conflicts';
  readonly tables = [{ name: CONFLICT_VIEW, primaryKey: 'conflict_id' }];
  readonly types = [...CONFLICT_EVENT_TYPES];
  readonly streamPrefix = 'conflict-';

  async apply(events: RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    for (const recorded of events) {
      const event = { type: recorded.type, data: recorded.data } as ConflictEvent;
      const before = await this.stateOf(ctx, event.data.conflictId);
      const after = evolveConflict(before, event);
      if (after !== before) await this.save(ctx, after, recorded.globalPosition);
    }
  }

  private async stateOf(ctx: ProjectionContext, conflictId: string): Promise<ConflictState> {
    const rows: Array<{ state: ConflictState }> = await ctx.manager.query(
      `SELECT state FROM ${ctx.table(CONFLICT_VIEW)} WHERE conflict_id = $1`,
      [conflictId],
    );
    return rows[0]?.state ?? initialConflictState();
  }

  private async save(ctx: ProjectionContext, state: ConflictState, position: string): Promise<void> {
    if (state.status === 'none') return;
    const assignee = 'assignee' in state ? (state.assignee ?? null) : null;
    const closedAt = 'closedAt' in state ? state.closedAt : null;
    await ctx.manager.query(
      `INSERT INTO ${ctx.table(CONFLICT_VIEW)} (conflict_id, kind, party_id, product_line, status, assignee, detected_at, closed_at, state, updated_position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (conflict_id) DO UPDATE SET status = EXCLUDED.status, assignee = EXCLUDED.assignee,
         closed_at = EXCLUDED.closed_at, state = EXCLUDED.state, updated_position = EXCLUDED.updated_position`,
      [state.conflictId, state.conflict.kind, state.conflict.partyId, state.conflict.productLine, state.status, assignee,
        state.detectedAt, closedAt, JSON.stringify(state), position],
    );
  }
}
