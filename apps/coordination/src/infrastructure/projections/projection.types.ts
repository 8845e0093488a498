import type { RecordedEvent } from '@lib/event-store';
import type { EntityManager } from 'typeorm';

export interface ProjectionContext {
  manager: EntityManager;
  /**
   * The physical name of one of the projection's tables. Live runs get the live table;
   * an auditor's rebuild gets a fresh shadow table, so the same code fills both.
   */
  table(name: string): string;
}

/** A read model kept from the event store's $all subscription. */
export interface Projection {
  /** Stable name: the checkpoint is `projection:<name>`; auditors rebuild by it. */
  readonly name: string;
  /** Schema-qualified tables it owns, each with a primary key (used to compare a rebuild with live). */
  readonly tables: ReadonlyArray<{ name: string; primaryKey: string }>;
  readonly types?: string[];
  readonly streamPrefix?: string;
  apply(events: RecordedEvent[], context: ProjectionContext): Promise<void>;
}

export const checkpointOf = (projection: Pick<Projection, 'name'>) => `projection:${projection.name}`;
export const liveTables: ProjectionContext['table'] = (name) => name;
