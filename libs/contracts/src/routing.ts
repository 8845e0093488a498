/**
 * Kafka message keys. Ordering holds per partition key, so events about one
 * subject share a key. A person with an identity document is keyed by the HMAC of
 * the normalised number (`idh:<hex>`), the SAME key on all three subsidiary topics,
 * so with equal partition counts one person's events from life, P&C and group
 * land on the same partition number and one consumer instance. Everything else is
 * keyed `<subsidiary>:<kind>:<localId>`. Policies and claims take their holder's key, so a
 * client's registration, its policies and its claims stay in order on one partition (a
 * policy never overtakes its holder's registration). Correctness across partitions still
 * comes from database constraints, never from this.
 */
import type { CanonicalEvent } from './envelope';
import type { Subsidiary } from './topics';

export const IDENTITY_KEY_PREFIX = 'idh:';
export type RoutingSubjectKind = 'client' | 'agent' | 'policy' | 'referral' | 'conflict';

export function identityRoutingKey(identityHash: string): string {
  return `${IDENTITY_KEY_PREFIX}${identityHash}`;
}

export function routingKeyFor(subsidiary: Subsidiary, kind: RoutingSubjectKind, id: string): string {
  return `${subsidiary}:${kind}:${id}`;
}

export interface RoutingOptions {
  /** The client's identity hash, when the event names a client but not its identity (consent, referral, ...). */
  clientIdentityHash?: string | null;
  /**
   * The key the client was given at registration (a publisher keeps it: an identity added
   * later does not move the client). Wins over `clientIdentityHash`; policy and claim
   * events after the issue, which name no holder, need it.
   */
  clientKey?: string | null;
}

function clientKey(sub: Subsidiary, localId: string, options: RoutingOptions): string {
  if (options.clientKey) return options.clientKey;
  return options.clientIdentityHash ? identityRoutingKey(options.clientIdentityHash) : routingKeyFor(sub, 'client', localId);
}

function holderKey(event: CanonicalEvent, options: RoutingOptions): string {
  if (options.clientKey) return options.clientKey;
  throw new Error(`${event.type} names no holder: pass the holder's key as options.clientKey`);
}

/** The message key for an event; policy and claim events follow their holder, so they stay in order behind its registration. */
export function routingKeyForEvent(event: CanonicalEvent, options: RoutingOptions = {}): string {
  const sub = event.subsidiary;
  switch (event.type) {
    case 'ClientRegistered':
    case 'ClientUpdated': {
      const p = event.payload;
      const hash = p.kind === 'person' ? p.identity?.hash : undefined;
      return hash ? identityRoutingKey(hash) : clientKey(sub, p.localId, options);
    }
    case 'ConsentChanged': return clientKey(sub, event.payload.localId, options);
    case 'RelationshipDeclared': return clientKey(sub, event.payload.fromLocalId, options);
    case 'ReferralRegistered': return clientKey(sub, event.payload.clientLocalId, options);
    case 'ActivityLogged': {
      const { clientLocalId, agentId } = event.payload;
      return clientLocalId ? clientKey(sub, clientLocalId, options) : routingKeyFor(sub, 'agent', agentId);
    }
    case 'AgentOnboarded':
    case 'AgentTransferred':
    case 'AgentTerminated': return routingKeyFor(sub, 'agent', event.payload.agentId);
    case 'PolicyIssued': return clientKey(sub, event.payload.holderLocalId, options);
    case 'PolicyRenewed':
    case 'PolicyEndorsed':
    case 'PolicyCancelled':
    case 'PolicyLapsed':
    case 'PolicyReinstated':
    case 'ClaimReported':
    case 'ClaimSettled': return holderKey(event, options);
    case 'ConflictResolved':
    case 'ConflictSuperseded': return routingKeyFor(sub, 'conflict', event.payload.conflictId);
    case 'ReferralStatusChanged': return routingKeyFor(event.payload.referringSubsidiary, 'referral', event.payload.referralId);
    case 'CreditNotice': return routingKeyFor(event.payload.productSubsidiary, 'policy', event.payload.policyNo);
    default: {
      const unreachable: never = event;
      throw new Error(`no routing key for ${(unreachable as { type: string }).type}`);
    }
  }
}
