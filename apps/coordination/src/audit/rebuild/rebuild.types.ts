import type { DifferingKey, TableChecksum } from '../scratch/checksum';
import type { ScratchKind } from '../scratch/scratch-tables';

export interface TableComparison {
  table: string;
  live: TableChecksum;
  rebuilt: TableChecksum;
  equal: boolean;
  /** Up to ten keys whose rows differ; empty when equal. */
  differingKeys: DifferingKey[];
}

/** The answer of a rebuild: live and rebuilt read model compared at the same position of $all. */
export interface RebuildReport {
  projection: string;
  /** Both sides reflect exactly the events up to this position (the live checkpoint). */
  position: string;
  live: TableChecksum;
  rebuilt: TableChecksum;
  equal: boolean;
  swapped: boolean;
  /** `temp`: compared in session-private tables; `shadow`: `<table>_rebuild` tables were written. */
  target: ScratchKind;
  eventsReplayed: number;
  tables: TableComparison[];
}
