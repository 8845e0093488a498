/**
 * Deterministic ids (UUID v5). The coordination service derives each event id it
 * appends from the source event id, so a redelivered Kafka message produces the
 * same ids and the event store's unique constraint turns the retry into a no-op.
 */
import { v5 } from 'uuid';

/** Namespace for events the coordination service derives from inbound events. */
export const COORDINATION_EVENT_NAMESPACE = '47affd98-2225-42bf-a75d-ff5ad5e6b2c1';
/** Namespace for events a subsidiary service derives from a request's Idempotency-Key. */
export const INTAKE_EVENT_NAMESPACE = '16078886-26ee-4ed9-92e7-782aab824fd4';

/**
 * v5(namespace, sourceId). When one source yields several events, pass qualifiers
 * (e.g. 'PartyRegistered', '0'); they are joined with a separator that cannot
 * occur in ids, so ('a/b','c') and ('a','b/c') never collide.
 */
export function deterministicEventId(namespace: string, sourceId: string, ...qualifiers: string[]): string {
  return v5([sourceId, ...qualifiers].join('\u001f'), namespace);
}
