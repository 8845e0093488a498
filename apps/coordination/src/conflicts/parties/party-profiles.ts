import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PartyProfileSource } from '../conflicts.ports';
import type { PartyProfile, PartyTier, RelationshipTeam, Subsidiary } from '../domain';

/** Identity's tiers (client_view.tier) in the conflicts domain's vocabulary. */
export const TIER_FROM_IDENTITY: Readonly<Record<string, PartyTier>> = {
  'top-strategic': 'TOP_STRATEGIC',
  strategic: 'MID_STRATEGIC',
  standard: 'NON_STRATEGIC',
};

interface ServicerRow {
  agent_id: string;
  subsidiary: Subsidiary;
  channel: string;
}

/**
 * The team that holds a top-strategic account: its in-force policies' servicing agents, led by
 * the one servicing the largest standard premium (the account's main relationship). Pure, so
 * the choice of manager is testable without a database.
 */
export function relationshipTeamOf(servicers: readonly ServicerRow[]): RelationshipTeam | undefined {
  const [manager, ...rest] = servicers;
  if (!manager) return undefined;
  const members = new Map<string, { subsidiary: Subsidiary; agentId: string }>();
  for (const s of rest) members.set(`${s.subsidiary}:${s.agent_id}`, { subsidiary: s.subsidiary, agentId: s.agent_id });
  members.delete(`${manager.subsidiary}:${manager.agent_id}`);
  return { manager: { subsidiary: manager.subsidiary, channel: manager.channel, agentId: manager.agent_id }, members: [...members.values()] };
}

/**
 * Default profile source. The tier comes from identity's client view when that read model
 * exists (otherwise every party is treated as non-strategic). Reading a projection here is
 * safe for replay: the facts a rule used are stored in ConflictDetected, never re-derived.
 */
@Injectable()
export class SqlPartyProfiles implements PartyProfileSource {
  private clientViewExists = false;

  async profileOf(manager: EntityManager, partyId: string): Promise<PartyProfile | undefined> {
    const tier = await this.tierOf(manager, partyId);
    if (tier !== 'TOP_STRATEGIC') return { partyId, tier };
    const team = relationshipTeamOf(await this.servicers(manager, partyId));
    return { partyId, tier, ...(team ? { relationshipTeam: team } : {}) };
  }

  private async tierOf(manager: EntityManager, partyId: string): Promise<PartyTier> {
    if (!this.clientViewExists) {
      const [{ exists }] = await manager.query(`SELECT to_regclass('coordination.client_view') IS NOT NULL AS exists`);
      if (!exists) return 'NON_STRATEGIC';
      this.clientViewExists = true;
    }
    const rows: Array<{ tier: string | null }> = await manager.query(
      'SELECT tier FROM coordination.client_view WHERE party_id = $1::uuid',
      [partyId],
    );
    return TIER_FROM_IDENTITY[rows[0]?.tier ?? ''] ?? 'NON_STRATEGIC';
  }

  private servicers(manager: EntityManager, partyId: string): Promise<ServicerRow[]> {
    return manager.query(
      `SELECT p.servicing_agent_id AS agent_id, COALESCE(a.subsidiary, p.subsidiary) AS subsidiary, COALESCE(a.channel, p.channel) AS channel
       FROM coordination.policies p LEFT JOIN coordination.agents a ON a.agent_id = p.servicing_agent_id
       WHERE p.party_id = $1 AND p.status = 'in-force'
       ORDER BY p.standard_premium DESC NULLS LAST, p.effective_date, p.subsidiary, p.policy_no`,
      [partyId],
    );
  }
}
