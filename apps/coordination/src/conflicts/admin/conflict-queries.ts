import type { EventStore } from '@lib/event-store';
import { notFound } from '@lib/platform';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fold } from '../../infrastructure/decider-runner';
import { CLOCK, EVENT_STORE, type Clock } from '../../infrastructure/tokens';
import { CONFLICTS_SETTINGS } from '../conflicts.ports';
import type { ConflictsSettings } from '../conflicts.settings';
import { conflictDecider, conflictStreamId, type ConflictState } from '../domain';
import { CONFLICT_VIEW } from '../projections/conflicts.projection';
import { presentConflict, type ConflictDto } from './conflict-presenter';

export interface ConflictFilter {
  status?: string;
  kind?: string;
  assignee?: string;
  productLine?: string;
  slaBreached?: boolean;
  limit: number;
  offset: number;
}

/** Builds the WHERE clause; the SLA test mirrors the domain's `ageing` (strictly more than slaHours). */
function where(filter: ConflictFilter, now: Date, slaHours: number): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.status) add('status = ?', filter.status);
  if (filter.kind) add('kind = ?', filter.kind);
  if (filter.assignee) add('assignee = ?', filter.assignee);
  if (filter.productLine) add('product_line = ?', filter.productLine);
  if (filter.slaBreached !== undefined) {
    params.push(now, slaHours * 3600);
    const breached = `(COALESCE(closed_at, $${params.length - 1}) - detected_at) > make_interval(secs => $${params.length})`;
    clauses.push(filter.slaBreached ? breached : `NOT ${breached}`);
  }
  return { sql: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

/** Reads for the admin queue: the list from the read model, one conflict from its stream (read-your-writes). */
@Injectable()
export class ConflictQueries {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CONFLICTS_SETTINGS) private readonly settings: ConflictsSettings,
  ) {}

  async list(filter: ConflictFilter): Promise<{ items: ConflictDto[]; total: number; limit: number; offset: number }> {
    const now = this.clock.now();
    const { sql, params } = where(filter, now, this.settings.slaHours);
    const [{ total }] = await this.dataSource.query(`SELECT count(*)::int AS total FROM ${CONFLICT_VIEW} ${sql}`, params);
    const rows: Array<{ state: ConflictState }> = await this.dataSource.query(
      `SELECT state FROM ${CONFLICT_VIEW} ${sql} ORDER BY detected_at, conflict_id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, filter.limit, filter.offset],
    );
    const items = rows.flatMap(({ state }) =>
      state.status === 'none' ? [] : [presentConflict(state, now.toISOString(), this.settings.slaHours, { withFacts: false })],
    );
    return { items, total, limit: filter.limit, offset: filter.offset };
  }

  present(state: Exclude<ConflictState, { status: 'none' }>): ConflictDto {
    return presentConflict(state, this.clock.now().toISOString(), this.settings.slaHours, { withFacts: false });
  }

  async get(conflictId: string): Promise<ConflictDto> {
    const state = fold(conflictDecider, await this.store.readStream(conflictStreamId(conflictId)));
    if (state.status === 'none') throw notFound('CONFLICT_NOT_FOUND', `conflict ${conflictId} does not exist`);
    return presentConflict(state, this.clock.now().toISOString(), this.settings.slaHours, { withFacts: true });
  }
}
