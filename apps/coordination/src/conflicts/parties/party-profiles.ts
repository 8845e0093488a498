import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import type { EntityManager } from 'typeorm';
import { DEFAULT_TIER_THRESHOLDS, tierFor } from '../../identity/domain/tier';
import type { PartyProfileSource, PartyTimeline } from '../conflicts.ports';
import { toMs, type PartyProfile, type PartyTier, type RelationshipTeam, type Subsidiary } from '../domain';
import { HOUR_MS } from '../domain/time';
import { inBusinessOrder, outOfForceOn, STATUS_CHANGES_SQL, type StatusChange } from '../../portfolio/policy-status';

export type { StatusChange };

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
  /** The serviced policy's status changes: its servicer is in the team only while it is in force. */
  status_changes?: readonly StatusChange[];
}

/** A policy the party holds, counted toward its tier from its effective date with its annual standard premium, while in force. */
export interface TierHolding {
  readonly effectiveDate: string;
  readonly annualStandardPremium: string;
  /** When it stopped being in force (cancelled, lapsed) or started again (reinstated), in any order; none: in force since its effective date. */
  readonly statusChanges?: readonly StatusChange[];
}

/** The business day (Asia/Shanghai) of an instant: policies count toward the tier from their effective date. */
const businessDay = (at: string): string => new Date(toMs(at) + 8 * HOUR_MS).toISOString().slice(0, 10);

const tierOf = (premium: Decimal): PartyTier => TIER_FROM_IDENTITY[tierFor(premium, DEFAULT_TIER_THRESHOLDS)] ?? 'NON_STRATEGIC';

/**
 * The party as it stood at a moment: its tier from the policies in force that day (effective by then
 * and not cancelled or lapsed since, by the dates the subsidiaries reported: identity's rule and
 * thresholds), and for a top-strategic account the team servicing the policies issued by then and not
 * out of force (`servicers` in identity's order: largest premium first). Pure, for the as-of rules.
 */
export function profileTimeline(partyId: string, holdings: readonly TierHolding[], servicers: readonly ServicerRow[]): (at: string) => PartyProfile {
  const held = holdings.map((h) => ({ ...h, ordered: inBusinessOrder(h.statusChanges) }));
  const serviced = servicers.map((s) => ({ servicer: s, ordered: inBusinessOrder(s.status_changes) }));
  return (at) => {
    const day = businessDay(at);
    const premium = held.filter((h) => h.effectiveDate <= day && !outOfForceOn(h.ordered, day)).reduce((sum, h) => sum.plus(h.annualStandardPremium), new Decimal(0));
    const tier = tierOf(premium);
    if (tier !== 'TOP_STRATEGIC') return { partyId, tier };
    const servicing = serviced.filter(({ servicer: s, ordered }) => (!s.issued_at || s.issued_at.getTime() <= toMs(at)) && !outOfForceOn(ordered, day));
    const team = relationshipTeamOf(servicing.map((s) => s.servicer));
    return { partyId, tier, ...(team ? { relationshipTeam: team } : {}) };
  };
}

/**
 * Whether the party may have been top-strategic at some moment: all its policies counted at once,
 * in force or not, reach the threshold. No moment's tier is higher, so when this is false no
 * strategic-account judgement depends on when (or whether) any of them was in force.
 */
export function mayBeTopStrategic(holdings: readonly TierHolding[]): boolean {
  return tierOf(holdings.reduce((sum, h) => sum.plus(h.annualStandardPremium), new Decimal(0))) === 'TOP_STRATEGIC';
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
   * counts from its effective date until the date it was cancelled or lapsed (again from its
   * reinstatement), with identity's rule and thresholds, so a registration, sale or quote is judged by
   * the tier of its own time whatever arrived first.
   */
  async timelineOf(manager: EntityManager, partyId: string): Promise<PartyTimeline> {
    const rows: Array<ServicerRow & { effective_date: string; annual_premium: string; status_changes: StatusChange[] }> = await manager.query(
      `SELECT p.effective_date::text AS effective_date,
              COALESCE(p.standard_premium, p.premium_amount * CASE p.premium_mode WHEN 'SEMI_ANNUAL' THEN 2 WHEN 'QUARTERLY' THEN 4
                WHEN 'MONTHLY' THEN 12 ELSE 1 END)::numeric(18,2)::text AS annual_premium,
              p.servicing_agent_id AS agent_id, COALESCE(a.subsidiary, p.subsidiary) AS subsidiary, COALESCE(a.channel, p.channel) AS channel, p.issued_at,
              ${STATUS_CHANGES_SQL} AS status_changes
         FROM coordination.policies p LEFT JOIN coordination.agents a ON a.agent_id = p.servicing_agent_id
        WHERE p.party_id = $1
        ORDER BY p.standard_premium DESC NULLS LAST, p.effective_date, p.subsidiary, p.policy_no`,
      [partyId],
    );
    const held = rows.map((r) => ({ effectiveDate: r.effective_date, annualStandardPremium: r.annual_premium, statusChanges: r.status_changes }));
    return { at: profileTimeline(partyId, held, rows), mayBeTopStrategic: mayBeTopStrategic(held) };
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
