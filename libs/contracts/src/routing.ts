/**
 * Kafka message keys. Ordering holds per partition key, so events about one
 * subject share a key. A person with an identity document is keyed by the HMAC of
 * the normalised number (`idh:<hex>`), the SAME key on all three subsidiary topics,
 * so with equal partition counts one person's events from life, P&C and group
 * land on the same partition number and one consumer instance. Everything else is
 * keyed `<subsidiary>:<kind>:<localId>`. Correctness across partitions still comes
 * from database constraints, never from this.
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
}

function clientKey(sub: Subsidiary, localId: string, options: RoutingOptions): string {
  return options.clientIdentityHash ? identityRoutingKey(options.clientIdentityHash) : routingKeyFor(sub, 'client', localId);
}

/** The message key for an event; policy and claim events follow the policy so they stay in order. */
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
    case 'PolicyIssued':
    case 'PolicyRenewed':
    case 'PolicyEndorsed':
    case 'PolicyCancelled':
    case 'PolicyLapsed':
    case 'PolicyReinstated':
    case 'ClaimReported':
    case 'ClaimSettled': return routingKeyFor(sub, 'policy', event.payload.policyNo);
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
