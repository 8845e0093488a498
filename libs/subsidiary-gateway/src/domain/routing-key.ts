import { identityRoutingKey, normaliseIdentityNumber, routingKeyFor, type Subsidiary } from '@lib/contracts';
import { createHmac } from 'node:crypto';

/**
 * The Kafka message key of everything about one client: its registration, updates,
 * consents, relationships, referrals, activities, and its policies and claims (which
 * follow the holder). One key per client keeps that client's events in order on one
 * partition. A client with an identity document is keyed by the HMAC of it, the same
 * on all three subsidiary topics, so one person's or company's events from life, P&C
 * and group share a partition number; other clients by `<sub>:client:<localId>`.
 *
 * The key is fixed when the client is registered and kept through later updates: an
 * identity added later must not move the client's next events to another partition,
 * where they could overtake its registration.
 */
export function clientRoutingKey(subsidiary: Subsidiary, localId: string, identityHash: string | null): string {
  return identityHash ? identityRoutingKey(identityHash) : routingKeyFor(subsidiary, 'client', localId);
}

/** Agents' own events (onboarding, transfer, termination) and activities with no client. */
export function agentRoutingKey(subsidiary: Subsidiary, agentId: string): string {
  return routingKeyFor(subsidiary, 'agent', agentId);
}

/**
 * Organisations are keyed like persons, by a keyed hash of their unified social credit
 * code, so a company that is a client of P&C and of group benefits co-partitions too.
 * The prefix keeps the hash space apart from identity-document hashes.
 */
export function creditCodeHash(hmacKey: string | Uint8Array, creditCode: string): string {
  return createHmac('sha256', hmacKey).update(`CREDIT_CODE:${normaliseIdentityNumber(creditCode)}`).digest('hex');
}
