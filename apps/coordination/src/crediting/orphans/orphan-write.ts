import type { EventMetadata } from '@lib/event-store';
import type { PolicyKey } from '../inbound/policy-facts';

export interface OrphanWrite {
  metadata: EventMetadata;
  eventId(...qualifiers: string[]): string;
  /** Told of each policy whose servicing agent by business date changes (the team of a top-strategic client then). */
  servicingChanged?(policy: PolicyKey): void;
}

export interface ServicingChange {
  policy: PolicyKey;
  fromAgentId: string;
  toAgentId: string;
  rule: string;
  effectiveDate: string;
  reason: string;
  /** The coordinator's whole-book reassignment this hand-out is part of (its id), kept on the history row. */
  bookId?: number;
}
