import type { EntityManager } from 'typeorm';

/** Features register their as-of readers under this token (see AuditModule.forRoot). */
export const AS_OF_READERS = Symbol('AS_OF_READERS');

export type AsOfParams = Record<string, string>;

/**
 * Reads one view of a read model as it stood at a past instant. The audit API replays the
 * named projection's events recorded before that instant with the projection's own code
 * into temporary tables, then calls `read` with `tableOf` mapping each of the
 * projection's live table names to its temporary copy: write the same SQL as the live
 * query, with `tableOf('coordination.x')` in place of `coordination.x`.
 */
export interface AsOfReader<R = unknown> {
  /** The view's name in the API: `client` (GET /v1/audit/clients/{partyId}), `kpi` (GET /v1/audit/kpi). */
  readonly name: string;
  /** The projection whose tables `read` queries. */
  readonly projection: string;
  /**
   * Optional narrowing of the replay to the events this read needs. Only safe when the
   * projection's rows for those params depend on nothing else; by default the
   * projection's own filter is replayed.
   */
  scope?(params: AsOfParams): { types?: string[]; streamPrefix?: string };
  /** The view, or null when it did not exist at that instant (answered 404). */
  read(manager: EntityManager, tableOf: (liveTable: string) => string, params: AsOfParams): Promise<R | null>;
}

export interface AsOfResult<R = unknown> {
  view: string;
  asOf: string;
  /** The cursor in $all after the last event replayed. */
  position: string;
  eventsReplayed: number;
  result: R;
}
