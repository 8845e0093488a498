import { Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import type { EntityManager } from 'typeorm';
import { DEFAULT_TIER_THRESHOLDS, tierFor } from '../../identity/domain/tier';
import type { PartyProfileSource, PartyTimeline } from '../conflicts.ports';
import { toMs, type PartyProfile, type PartyTier, type RelationshipTeam, type Subsidiary } from '../domain';
import { businessDayOf } from '../domain/time';
import {
  inForceOn, servicerChangeOn, SERVICING_SQL, STATUS_CHANGES_SQL, TERMS_SQL, type PolicyTerm, type ServicerChange, type StatusChange,
} from '../../portfolio/policy-status';

export type { PolicyTerm, ServicerChange, StatusChange };

/** Identity's tiers (client_view.tier) in the conflicts domain's vocabulary. */
export const TIER_FROM_IDENTITY: Readonly<Record<string, PartyTier>> = {
  'top-strategic': 'TOP_STRATEGIC',
  strategic: 'MID_STRATEGIC',
  standard: 'NON_STRATEGIC',
};

/** A servicing agent of one of the party's policies. */
interface AgentRow {
  agent_id: string;
  subsidiary: Subsidiary;
  channel: string;
}

interface ServicerRow extends AgentRow {
  /** When the policy was issued (null: recorded before issue times were kept, counts as always held). */
  issued_at?: Date | null;
  /**
   * The serviced policy's terms (at their premiums, endorsed by date) and status changes: its servicer is in
   * the team from its issue until it stops being in force, ranked by the premium of the term it is in then.
   */
  terms: readonly TierTerm[];
  status_changes?: readonly StatusChange[];
  /** Who serviced it from which date (its issue, reassignments, renewals naming a new agent); none: the row's agent throughout. */
  servicing?: readonly ServicerChange[];
}

/** An endorsement dated in a term: the term's annual standard premium changes by its delta from its date to the term's end. */
export interface TermEndorsement {
  readonly effectiveDate: string;
  readonly annualStandardPremiumDelta: string;
}

/** One term of a held policy, counted toward the tier on its days with its own annual standard premium as endorsed by then. */
export interface TierTerm extends PolicyTerm {
  readonly annualStandardPremium: string;
  /** The endorsements dated inside the term, in any order; none: the term keeps the premium it was written at. */
  readonly endorsements?: readonly TermEndorsement[];
}

/** A policy the party holds, counted toward its tier on the days it was in force, with the premium of the term it was in. */
export interface TierHolding {
  /** Its issue's term and every renewal's, in any order. */
  readonly terms: readonly TierTerm[];
  /** When it stopped being in force (cancelled, lapsed) or started again (reinstated), in any order; none: in force through its terms. */
  readonly statusChanges?: readonly StatusChange[];
}

const byStart = <T extends PolicyTerm>(terms: readonly T[]): T[] => [...terms].sort((a, b) => a.effectiveDate.localeCompare(b.effectiveDate));

/**
 * The premium of the term the policy was in on the day (the latest one started by then; before its first,
 * the first's: issued, not yet effective), changed by its endorsements dated by then. Terms by start.
 */
function premiumOn(terms: readonly TierTerm[], day: string): Decimal {
  const term = terms.filter((t) => t.effectiveDate <= day).pop() ?? terms[0];
  if (!term) return new Decimal(0);
  return (term.endorsements ?? []).filter((e) => e.effectiveDate <= day).reduce((sum, e) => sum.plus(e.annualStandardPremiumDelta), new Decimal(term.annualStandardPremium));
}

/** The days a policy's premium can change on: each term's start and each endorsement's date. */
const premiumChanges = (terms: readonly TierTerm[]): string[] => terms.flatMap((t) => [t.effectiveDate, ...(t.endorsements ?? []).map((e) => e.effectiveDate)]);

/** The business day (Asia/Shanghai) of an instant: policies count toward the tier from their effective date. */
const businessDay = businessDayOf;

const tierOf = (premium: Decimal): PartyTier => TIER_FROM_IDENTITY[tierFor(premium, DEFAULT_TIER_THRESHOLDS)] ?? 'NON_STRATEGIC';

/**
 * The party as it stood at a moment: its tier from the policies in force that day (inside one of their
 * terms, at that term's premium changed by its endorsements dated by then, and not cancelled or lapsed,
 * by the dates the subsidiaries reported:
 * identity's rule and thresholds), and for a top-strategic account the team servicing the policies
 * issued by then and not yet out of force: each by the agent the servicing history has servicing it that
 * day (a renewal or hand-out dated later changes none of the days before it), led by the one servicing the
 * largest premium that day (its term's, endorsed by then); a tie keeps `servicers`' order (first term).
 * Pure, for the as-of rules.
 */
export function profileTimeline(partyId: string, holdings: readonly TierHolding[], servicers: readonly ServicerRow[]): (at: string) => PartyProfile {
  const held = holdings.map((h) => ({ terms: byStart(h.terms), inForce: inForceOn(h) }));
  const serviced = servicers.map((s) => {
    const terms = byStart(s.terms);
    return { servicer: s, terms, starts: terms[0]?.effectiveDate, inForce: inForceOn({ terms, statusChanges: s.status_changes }) };
  });
  return (at) => {
    const day = businessDay(at);
    const premium = held.filter((h) => h.inForce(day)).reduce((sum, h) => sum.plus(premiumOn(h.terms, day)), new Decimal(0));
    const tier = tierOf(premium);
    if (tier !== 'TOP_STRATEGIC') return { partyId, tier };
    // Issued and not yet effective counts: the servicer already holds the relationship.
    const servicing = serviced
      .filter(({ servicer: s, starts, inForce }) => (!s.issued_at || s.issued_at.getTime() <= toMs(at)) && ((starts !== undefined && day < starts) || inForce(day)))
      .map((s) => ({ agent: servicerOn(s.servicer, day), premium: premiumOn(s.terms, day) }))
      .sort((a, b) => b.premium.comparedTo(a.premium));
    const team = relationshipTeamOf(servicing.map((s) => s.agent));
    return { partyId, tier, ...(team ? { relationshipTeam: team } : {}) };
  };
}

/** The agent servicing the policy on the day by its servicing history (the row's agent when it has none). */
function servicerOn(row: ServicerRow, day: string): AgentRow {
  const change = servicerChangeOn(row.servicing, day);
  if (!change || change.agentId === row.agent_id) return row;
  return { agent_id: change.agentId, subsidiary: (change.subsidiary ?? row.subsidiary) as Subsidiary, channel: change.channel ?? row.channel };
}

/**
 * Whether the party may have been top-strategic at some moment: all its policies counted at once,
 * in force or not, each at the largest premium any of its terms reached (endorsements counted), reach
 * the threshold. No moment's tier is higher, so when this is false no strategic-account judgement
 * depends on when (or whether) any of them was in force.
 */
export function mayBeTopStrategic(holdings: readonly TierHolding[]): boolean {
  const largest = (h: TierHolding) => {
    const terms = byStart(h.terms);
    return Decimal.max(0, ...premiumChanges(terms).map((day) => premiumOn(terms, day)));
  };
  return tierOf(holdings.reduce((sum, h) => sum.plus(largest(h)), new Decimal(0))) === 'TOP_STRATEGIC';
}

/**
 * The team that holds a top-strategic account: its in-force policies' servicing agents, led by
 * the one servicing the largest standard premium (the account's main relationship). Pure, so
 * the choice of manager is testable without a database.
 */
export function relationshipTeamOf(servicers: readonly AgentRow[]): RelationshipTeam | undefined {
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
   * counts in each of its terms (the and every renewal's, at that term's premium, changed from
   * each endorsement's date by the endorsements dated in the term) until the
   * date it was cancelled or lapsed (again from its reinstatement), with identity's rule and
   * thresholds, so a registration, sale or quote is judged by the tier of its own time whatever
   * arrived first. The relationship team of a moment is who serviced each policy that day by the
   * servicing history (read in the same statement), ranked by that day's premium; ties by the policy's
   * first term, which a renewal leaves alone.
   */
  async timelineOf(manager: EntityManager, partyId: string): Promise<PartyTimeline> {
    const rows: Array<ServicerRow & { terms: TierTerm[]; status_changes: StatusChange[]; servicing: ServicerChange[] }> = await manager.query(
      `SELECT ${TERMS_SQL} AS terms,
              p.servicing_agent_id AS agent_id, COALESCE(a.subsidiary, p.subsidiary) AS subsidiary, COALESCE(a.channel, p.channel) AS channel, p.issued_at,
              ${STATUS_CHANGES_SQL} AS status_changes, ${SERVICING_SQL} AS servicing
         FROM coordination.policies p LEFT JOIN coordination.agents a ON a.agent_id = p.servicing_agent_id
        WHERE p.party_id = $1
        ORDER BY (SELECT min(t.effective_date) FROM coordination.policy_terms t WHERE t.subsidiary = p.subsidiary AND t.policy_no = p.policy_no),
                 p.subsidiary, p.policy_no`,
      [partyId],
    );
    const held = rows.map((r) => ({ terms: r.terms, statusChanges: r.status_changes }));
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

  private servicers(manager: EntityManager, partyId: string): Promise<AgentRow[]> {
    return manager.query(
      `SELECT p.servicing_agent_id AS agent_id, COALESCE(a.subsidiary, p.subsidiary) AS subsidiary, COALESCE(a.channel, p.channel) AS channel, p.issued_at
       FROM coordination.policies p LEFT JOIN coordination.agents a ON a.agent_id = p.servicing_agent_id
       WHERE p.party_id = $1 AND p.status = 'in-force'
       ORDER BY p.standard_premium DESC NULLS LAST, p.effective_date, p.subsidiary, p.policy_no`,
      [partyId],
    );
  }
}
