import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import type { EntityManager } from 'typeorm';
import { DEFAULT_TIER_THRESHOLDS, tierFor } from '../../identity/domain/tier';
import type { PartyProfileSource } from '../conflicts.ports';
import { toMs, type PartyProfile, type PartyTier, type RelationshipTeam, type Subsidiary } from '../domain';
import { HOUR_MS } from '../domain/time';

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
  /** When the policy was issued (null: recorded before issue times were kept, counts as always held). */
  issued_at?: Date | null;
}

/** A policy the party holds in force, counted toward its tier from its effective date with its annual standard premium. */
export interface TierHolding {
  readonly effectiveDate: string;
  readonly annualStandardPremium: string;
}

/** The business day (Asia/Shanghai) of an instant: policies count toward the tier from their effective date. */
const businessDay = (at: string): string => new Date(toMs(at) + 8 * HOUR_MS).toISOString().slice(0, 10);

/**
 * The party as it stood at a moment: its tier from the in-force policies effective by that day
 * (identity's rule and thresholds), and for a top-strategic account the team servicing the policies
 * issued by then (`servicers` in identity's order: largest premium first). Pure, for the as-of rules.
 */
export function profileTimeline(partyId: string, holdings: readonly TierHolding[], servicers: readonly ServicerRow[]): (at: string) => PartyProfile {
  return (at) => {
    const day = businessDay(at);
    const premium = holdings.filter((h) => h.effectiveDate <= day).reduce((sum, h) => sum.plus(h.annualStandardPremium), new Decimal(0));
    const tier = TIER_FROM_IDENTITY[tierFor(premium, DEFAULT_TIER_THRESHOLDS)] ?? 'NON_STRATEGIC';
    if (tier !== 'TOP_STRATEGIC') return { partyId, tier };
    const team = relationshipTeamOf(servicers.filter((s) => !s.issued_at || s.issued_at.getTime() <= toMs(at)));
    return { partyId, tier, ...(team ? { relationshipTeam: team } : {}) };
  };
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

  /**
   * The party's tier history, from the policies it holds in the portfolio (written in the same
   * transaction as the fact being judged, unlike identity's view, a projection that may lag): each
   * counts from its effective date with identity's rule and thresholds, so a registration, sale or
   * quote is judged by the tier of its own time whatever arrived first. A policy cancelled or lapsed
   * since no longer counts at any moment.
   */
  async timelineOf(manager: EntityManager, partyId: string): Promise<(at: string) => PartyProfile> {
    const rows: Array<ServicerRow & { effective_date: string; annual_premium: string }> = await manager.query(
      `SELECT p.effective_date::text AS effective_date,
              COALESCE(p.standard_premium, p.premium_amount * CASE p.premium_mode WHEN 'SEMI_ANNUAL' THEN 2 WHEN 'QUARTERLY' THEN 4
                WHEN 'MONTHLY' THEN 12 ELSE 1 END)::numeric(18,2)::text AS annual_premium,
              p.servicing_agent_id AS agent_id, COALESCE(a.subsidiary, p.subsidiary) AS subsidiary, COALESCE(a.channel, p.channel) AS channel, p.issued_at
         FROM coordination.policies p LEFT JOIN coordination.agents a ON a.agent_id = p.servicing_agent_id
        WHERE p.party_id = $1 AND p.status = 'in-force'
        ORDER BY p.standard_premium DESC NULLS LAST, p.effective_date, p.subsidiary, p.policy_no`,
      [partyId],
    );
    const held = rows.map((r) => ({ effectiveDate: r.effective_date, annualStandardPremium: r.annual_premium }));
    return profileTimeline(partyId, held, rows);
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
      `SELECT p.servicing_agent_id AS agent_id, COALESCE(a.subsidiary, p.subsidiary) AS subsidiary, COALESCE(a.channel, p.channel) AS channel, p.issued_at
       FROM coordination.policies p LEFT JOIN coordination.agents a ON a.agent_id = p.servicing_agent_id
       WHERE p.party_id = $1 AND p.status = 'in-force'
       ORDER BY p.standard_premium DESC NULLS LAST, p.effective_date, p.subsidiary, p.policy_no`,
      [partyId],
    );
  }
}
