/**
 * Test-only stand-ins for the features that run around conflicts in the inbound pipeline
 * (identity before it, portfolio before it, crediting after it). They write the same inline
 * tables the real modules own (shapes from COORDINATION_WIRING.md), so the conflicts wiring
 * is exercised against real PostgreSQL without waiting for those modules.
 */
import type { SubsidiaryEvent } from '@lib/contracts';
import { Injectable, Module } from '@nestjs/common';
import { v5 } from 'uuid';
import { clientKey, MissingFactError, type InboundContext, type InboundHandler } from '../../infrastructure/inbound/inbound.types';
import { CREDIT_DECISION_KEY, REFERRAL_LINK_KEY, type ConflictResolutionListener, type ResolvedCreditDecision, type WriteContext } from '../conflicts.ports';

const PARTY_NAMESPACE = '3b8f0a52-5f0e-4f61-9a43-5d1c8e2f7a10';

export const TEST_CREDIT_DECISIONS =
  'CREATE TABLE IF NOT EXISTS test_credit_decisions (event_id uuid PRIMARY KEY, conflict_id uuid NOT NULL, decision jsonb NOT NULL)';

/** Crediting's servicing history (who services a policy from which date), which the as-of team reads; crediting writes it, not composed here. */
export const TEST_SERVICING_HISTORY = `CREATE TABLE IF NOT EXISTS coordination.credit_servicing_history (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subsidiary text NOT NULL, policy_no text NOT NULL, effective_date date NOT NULL, agent_id text NOT NULL, from_agent_id text NULL, rule text NULL,
  superseded boolean NOT NULL DEFAULT false, made_after_seq bigint NULL)`;

export const STAND_IN_TABLES = [
  `CREATE TABLE IF NOT EXISTS coordination.party_links (subsidiary text, local_id text, party_id uuid NOT NULL, PRIMARY KEY (subsidiary, local_id))`,
  `CREATE TABLE IF NOT EXISTS coordination.party_redirects (from_party_id uuid PRIMARY KEY, to_party_id uuid NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS coordination.agents (agent_id text PRIMARY KEY, subsidiary text NOT NULL, name text NOT NULL, channel text NOT NULL,
     branch_id text, team_id text, leader_id text, status text NOT NULL, joined_at date, terminated_at date, specialist_for text[])`,
  `CREATE TABLE IF NOT EXISTS coordination.policies (subsidiary text, policy_no text, party_id uuid NOT NULL, holder_local_id text NOT NULL,
     product_line text NOT NULL, status text NOT NULL, premium_amount numeric(18,2), premium_mode text, standard_premium numeric(18,2),
     effective_date date, expiry_date date, selling_agent_id text, servicing_agent_id text, channel text, selling_subsidiary text,
     referral_id text, product_specialist_id text, issued_at timestamptz, PRIMARY KEY (subsidiary, policy_no))`,
  `CREATE TABLE IF NOT EXISTS coordination.policy_status_history (subsidiary text, policy_no text, effective_date date, status text NOT NULL,
     reported_at timestamptz NOT NULL, PRIMARY KEY (subsidiary, policy_no, effective_date, status))`,
  `CREATE TABLE IF NOT EXISTS coordination.policy_terms (subsidiary text, policy_no text, effective_date date, expiry_date date NOT NULL,
     premium_amount numeric(18,2) NOT NULL, premium_mode text NOT NULL, standard_premium numeric(18,2), PRIMARY KEY (subsidiary, policy_no, effective_date))`,
  `CREATE TABLE IF NOT EXISTS coordination.policy_endorsements (subsidiary text, policy_no text, event_id text, effective_date date NOT NULL,
     premium_delta numeric(18,2) NOT NULL, standard_premium_delta numeric(18,2), PRIMARY KEY (subsidiary, policy_no, event_id))`,
  `CREATE TABLE IF NOT EXISTS coordination.client_view (party_id uuid PRIMARY KEY, view jsonb NOT NULL DEFAULT '{}', tier text, updated_position text)`,
  TEST_CREDIT_DECISIONS,
  TEST_SERVICING_HISTORY,
];

/** Identity: one party per credit code (organisations) or per local id otherwise. */
@Injectable()
export class StandInIdentity implements InboundHandler {
  readonly name = 'stand-in.identity';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['ClientRegistered'];

  async handle(ctx: InboundContext): Promise<void> {
    if (ctx.event.type !== 'ClientRegistered') return;
    const p = ctx.event.payload;
    const key = p.kind === 'organization' ? `credit-code:${p.creditCode}` : `${ctx.event.subsidiary}:${p.localId}`;
    await ctx.manager.query(
      'INSERT INTO coordination.party_links (subsidiary, local_id, party_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [ctx.event.subsidiary, p.localId, v5(key, PARTY_NAMESPACE)],
    );
  }
}

/** Portfolio: agents and policies rows (with the term), and the policy row shared with later handlers. */
@Injectable()
export class StandInPortfolio implements InboundHandler {
  readonly name = 'stand-in.portfolio';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['AgentOnboarded', 'PolicyIssued'];

  async handle(ctx: InboundContext): Promise<void> {
    const event = ctx.event;
    if (event.type === 'AgentOnboarded') {
      const p = event.payload;
      await ctx.manager.query(
        `INSERT INTO coordination.agents (agent_id, subsidiary, name, channel, branch_id, team_id, leader_id, status, joined_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8)`,
        [p.agentId, event.subsidiary, p.name, p.channel, p.branchId, p.teamId, p.leaderId, p.joinedAt],
      );
    }
    if (event.type !== 'PolicyIssued') return;
    const p = event.payload;
    const [link] = await ctx.manager.query('SELECT party_id::text FROM coordination.party_links WHERE subsidiary = $1 AND local_id = $2', [event.subsidiary, p.holderLocalId]);
    if (!link) throw new MissingFactError(clientKey(event.subsidiary, p.holderLocalId));
    const [seller] = await ctx.manager.query('SELECT subsidiary FROM coordination.agents WHERE agent_id = $1', [p.sellingAgentId]);
    await ctx.manager.query(
      `INSERT INTO coordination.policies (subsidiary, policy_no, party_id, holder_local_id, product_line, status, premium_amount, premium_mode,
         standard_premium, effective_date, expiry_date, selling_agent_id, servicing_agent_id, channel, selling_subsidiary, referral_id, issued_at)
       VALUES ($1, $2, $3, $4, $5, 'in-force', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [event.subsidiary, p.policyNo, link.party_id, p.holderLocalId, p.productLine, p.premium.amount, p.premium.mode, p.standardPremium ?? p.premium.amount,
        p.effectiveDate, p.expiryDate, p.sellingAgentId, p.servicingAgentId, p.channel, seller?.subsidiary ?? event.subsidiary, p.referralId, event.occurredAt],
    );
    await ctx.manager.query(
      `INSERT INTO coordination.policy_terms (subsidiary, policy_no, effective_date, expiry_date, premium_amount, premium_mode, standard_premium)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [event.subsidiary, p.policyNo, p.effectiveDate, p.expiryDate, p.premium.amount, p.premium.mode, p.standardPremium ?? p.premium.amount],
    );
    ctx.shared.set('policy', { partyId: link.party_id, sellingSubsidiary: seller?.subsidiary ?? event.subsidiary });
  }
}

/** Crediting, as far as conflicts is concerned: what it received for each issued policy. */
@Injectable()
export class RecordingCrediting implements InboundHandler, ConflictResolutionListener {
  readonly name = 'stand-in.crediting';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['PolicyIssued'];
  readonly issued = new Map<string, { decision: unknown; referral: unknown }>();

  async handle(ctx: InboundContext): Promise<void> {
    if (ctx.event.type !== 'PolicyIssued') return;
    this.issued.set(ctx.event.payload.policyNo, { decision: ctx.shared.get(CREDIT_DECISION_KEY), referral: ctx.shared.get(REFERRAL_LINK_KEY) });
  }

  /** Written with the resolving transaction's manager: it commits or rolls back with the decision. */
  async onResolved(decision: ResolvedCreditDecision, ctx: WriteContext): Promise<void> {
    await ctx.manager.query('INSERT INTO test_credit_decisions (event_id, conflict_id, decision) VALUES ($1, $2, $3)', [
      ctx.eventId('credit'), decision.conflictId, JSON.stringify(decision),
    ]);
  }
}

@Module({ providers: [StandInIdentity, StandInPortfolio, RecordingCrediting], exports: [StandInIdentity, StandInPortfolio, RecordingCrediting] })
export class StandInsModule {}
