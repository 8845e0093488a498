import { PoisonMessageError } from '@lib/messaging';
import type { EntityManager } from 'typeorm';
import { agentKey, clientKey, MissingFactError } from '../../infrastructure/inbound/inbound.types';
import type { PartyDirectoryPort } from '../conflicts.ports';
import { ConflictsDomainError } from '../domain';
import { agentOf, type AgentFacts } from '../persistence/portfolio-facts';

/**
 * A domain refusal of a subsidiary's event (a referral id registered twice, a malformed
 * timestamp) will never succeed on retry: dead-letter it with the domain's code.
 */
export async function poisonOnDomainError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConflictsDomainError) throw new PoisonMessageError(error.message, error.code);
    throw error;
  }
}

/** The party (and line) of the policy the portfolio recorded or changed earlier in this event's transaction, when it shared its row (keys in either casing). */
export function sharedPolicy(shared: Map<string, unknown>): { partyId?: string; productLine?: string } {
  const row = (shared.get('policy') ?? {}) as Record<string, unknown>;
  const partyId = row.partyId ?? row.party_id;
  const productLine = row.productLine ?? row.product_line;
  return typeof partyId === 'string' ? { partyId, ...(typeof productLine === 'string' ? { productLine } : {}) } : {};
}

/** The client's party; parks the event until identity has registered the client. */
export async function requireParty(parties: PartyDirectoryPort, manager: EntityManager, subsidiary: string, localId: string): Promise<string> {
  const partyId = await parties.partyIdOf(manager, subsidiary, localId);
  if (!partyId) throw new MissingFactError(clientKey(subsidiary, localId), `client ${subsidiary}/${localId} is not registered yet`);
  return partyId;
}

/** The agent as the portfolio knows it; parks the event until the agent is onboarded. */
export async function requireAgent(manager: EntityManager, agentId: string): Promise<AgentFacts> {
  const agent = await agentOf(manager, agentId);
  if (!agent) throw new MissingFactError(agentKey(agentId), `agent ${agentId} is not onboarded yet`);
  return agent;
}
