import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EVENT_STORE } from '../../infrastructure/tokens';
import { auditError, AuditErrorCode } from '../audit.errors';
import { ProjectionCatalog } from '../projection-catalog';
import { foldPages } from '../scratch/fold';
import { createScratchSql, scratchTarget } from '../scratch/scratch-tables';
import { inSessionTransaction, withSession } from '../scratch/session';
import { AS_OF_READERS, type AsOfParams, type AsOfReader, type AsOfResult } from './as-of.types';

/**
 * Any registered view as it stood at an instant, computed from the event history up to
 * that instant (never from the live read tables): the projection's own `apply` folds the
 * events recorded before it into session-private temporary tables, the reader queries
 * them, and the tables vanish with the session. Pages are committed one by one so the
 * replay never holds back the event store's commit horizon.
 */
@Injectable()
export class AsOfService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly catalog: ProjectionCatalog,
    @Inject(AS_OF_READERS) private readonly readers: AsOfReader[],
  ) {}

  views(): Array<{ name: string; projection: string }> {
    return this.readers.map((r) => ({ name: r.name, projection: r.projection }));
  }

  async read(view: string, asOf: Date, params: AsOfParams): Promise<AsOfResult> {
    const reader = this.readers.find((r) => r.name === view);
    if (!reader) throw auditError(AuditErrorCode.AsOfViewNotAvailable, `No as-of reader is registered for the ${view} view.`);
    const projection = this.catalog.require(reader.projection);
    const scope = { types: projection.types, streamPrefix: projection.streamPrefix, ...reader.scope?.(params) };
    return withSession(this.dataSource, async (session) => {
      const target = scratchTarget('temp', projection);
      for (const sql of createScratchSql(target)) await session.query(sql);
      const folded = await foldPages(this.store, { ...scope, recordedBefore: asOf }, (events) =>
        inSessionTransaction(session, (manager) => projection.apply(events, { manager, table: target.tableOf })),
      );
      const result = await reader.read(session.manager, target.tableOf, params);
      if (result === null) throw auditError(AuditErrorCode.AsOfNotFound, `The ${view} view did not exist at ${asOf.toISOString()}.`);
      return { view, asOf: asOf.toISOString(), position: folded.position, eventsReplayed: folded.events, result };
    });
  }
}
