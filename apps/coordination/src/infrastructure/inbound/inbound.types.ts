import type { SubsidiaryEvent } from '@lib/contracts';
import type { EventMetadata } from '@lib/event-store';
import type { EntityManager } from 'typeorm';

export interface InboundSource {
  kind: 'kafka' | 'postgres-log' | 'replay';
  topic: string;
  partition: number;
  offset: string;
}

/** Everything a feature handler needs to turn one subsidiary event into coordination events. */
export interface InboundContext {
  manager: EntityManager;
  event: SubsidiaryEvent;
  source: InboundSource;
  metadata: EventMetadata;
  /** A deterministic event id: UUIDv5 of the source event id and the qualifiers. */
  eventId(...qualifiers: string[]): string;
  /** Facts one handler resolved for the handlers after it (e.g. the holder's party id). */
  shared: Map<string, unknown>;
  /**
   * Hands the router a write (a statement already issued on `manager`) whose answer no statement after it needs: the handlers
   * after this one issue theirs behind it on the pipelined connection, where they run after it and see it, instead of waiting
   * a round trip for it. The router awaits it before the event's handling ends, and its failure is the event's. Not for
   * appends (a held append may wait for a flush before it is queued).
   */
  defer(write: Promise<unknown>): void;
  /**
   * False when earlier messages of the same transaction hold locks (a Kafka batch): a lock another
   * consumer holds must then not be waited for (both waiting on each other's is a deadlock), but
   * tried, throwing BatchYield when taken; the message then runs first in a new transaction.
   * Absent or true: wait.
   */
  mayWait?: boolean;
}

export interface InboundHandler {
  readonly name: string;
  /** Event types this handler reacts to; handlers run in registration order. */
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']>;
  handle(context: InboundContext): Promise<void>;
}

/**
 * Thrown by a handler when the event refers to a fact not seen yet (a policy before its
 * holder's registration). The router parks the event under `awaits` and replays it when
 * an event that provides that key is handled. Nothing is dropped.
 */
export class MissingFactError extends Error {
  constructor(readonly awaits: string, message?: string) {
    super(message ?? `waiting for ${awaits}`);
    this.name = 'MissingFactError';
  }
}

/** Keys a handled event satisfies, for parked events waiting on them. */
export function providedKeys(event: SubsidiaryEvent): string[] {
  const p = event.payload as Record<string, unknown>;
  switch (event.type) {
    case 'ClientRegistered':
      return [clientKey(event.subsidiary, String(p.localId))];
    case 'AgentOnboarded':
      return [agentKey(String(p.agentId))];
    case 'PolicyIssued':
      return [policyKey(event.subsidiary, String(p.policyNo))];
    case 'ReferralRegistered':
      return [referralKey(String(p.referralId))];
    default:
      return [];
  }
}

export const clientKey = (subsidiary: string, localId: string) => `client:${subsidiary}:${localId}`;
export const agentKey = (agentId: string) => `agent:${agentId}`;
export const policyKey = (subsidiary: string, policyNo: string) => `policy:${subsidiary}:${policyNo}`;
export const referralKey = (referralId: string) => `referral:${referralId}`;
