import type { PolicyIssuedPayload, SubsidiaryEvent } from '@lib/contracts';
import type { EventStore } from '@lib/event-store';
import { Inject, Injectable } from '@nestjs/common';
import type { InboundContext, InboundHandler } from '../infrastructure/inbound/inbound.types';
import { agentKey, clientKey, MissingFactError, policyKey } from '../infrastructure/inbound/inbound.types';
import { EVENT_STORE, PARTY_RESOLVER, PartyResolver } from '../infrastructure/tokens';
import { PolicyRecordedData, PolicyRenewalShared, PolicyServicerShared, policyStreamId, PortfolioEvent, Subsidiary } from './portfolio.events';
import { currentStatus, repeatsStatus, type PolicyLife, type StatusChange } from './policy-status';
import {
  AgentRow, findAgent, findPolicy, findPolicyAndLife, insertPolicy, issueFacts, PolicyRow, recordEndorsement, recordStatusChange, recordTerm,
  updatePolicy,
} from './portfolio.store';

type PolicyEvent = Extract<SubsidiaryEvent, { type: `Policy${string}` | `Claim${string}` }>;
type StatusEvent = Extract<PolicyEvent, { type: 'PolicyCancelled' | 'PolicyLapsed' | 'PolicyReinstated' }>;
type RenewalEvent = Extract<PolicyEvent, { type: 'PolicyRenewed' }>;

/** The policy's row as `lifecycle` left it (what updatePolicy wrote), without reading it again. */
function rowAfter(policy: PolicyRow, recorded: PortfolioEvent | null): PolicyRow {
  if (recorded?.type === 'PolicyStatusChanged') return { ...policy, status: recorded.data.policyStatus ?? recorded.data.to };
  if (recorded?.type !== 'PolicyRenewalRecorded') return policy;
  const d = recorded.data;
  return {
    ...policy, effectiveDate: d.newEffectiveDate, expiryDate: d.newExpiryDate, premiumAmount: d.premium.amount, premiumMode: d.premium.mode,
    servicingAgentId: d.servicingAgentId, status: d.policyStatus ?? policy.status,
  };
}

/** The policy's row as an issue writes it (insertPolicy). */
const issuedRow = (d: PolicyRecordedData): PolicyRow => ({
  subsidiary: d.subsidiary, policyNo: d.policyNo, partyId: d.partyId, productLine: d.productLine, status: 'in-force', servicingAgentId: d.servicingAgentId,
  sellingAgentId: d.sellingAgentId, premiumAmount: d.premium.amount, premiumMode: d.premium.mode, effectiveDate: d.effectiveDate, expiryDate: d.expiryDate,
});

/**
 * Policies and claims, resolved to the holder's group party and the selling agent's
 * subsidiary and channel. A policy whose holder or agents are not known yet waits
 * (MissingFactError) until they are; lifecycle events wait for the policy.
 */
@Injectable()
export class PolicyHandler implements InboundHandler {
  readonly name = 'portfolio.policies';
  readonly handles = [
    'PolicyIssued', 'PolicyRenewed', 'PolicyEndorsed', 'PolicyCancelled', 'PolicyLapsed', 'PolicyReinstated', 'ClaimReported', 'ClaimSettled',
  ] as const;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PARTY_RESOLVER) private readonly parties: PartyResolver,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    const event = ctx.event as PolicyEvent;
    if (event.type === 'PolicyIssued') return this.issue(ctx, event.payload);
    const { subsidiary, payload: { policyNo } } = event;
    if (event.type === 'PolicyCancelled' || event.type === 'PolicyLapsed' || event.type === 'PolicyReinstated' || event.type === 'PolicyRenewed') {
      // A status change or a renewal is judged by the policy's terms and status changes: read with its row, in one statement.
      const found = await findPolicyAndLife(ctx.manager, subsidiary, policyNo);
      if (!found) throw new MissingFactError(policyKey(subsidiary, policyNo));
      const { policy, life } = found;
      return this.record(ctx, policy, await (event.type === 'PolicyRenewed' ? this.renewal(ctx, event, policy, life) : this.statusChange(ctx, event, policy, life)));
    }
    const policy = await findPolicy(ctx.manager, subsidiary, policyNo);
    if (!policy) throw new MissingFactError(policyKey(subsidiary, policyNo));
    await this.record(ctx, policy, await this.lifecycle(ctx, event, policy));
  }

  /** Appends the portfolio event, if any, and shares the row as it left it. */
  private async record(ctx: InboundContext, policy: PolicyRow, recorded: PortfolioEvent | null): Promise<void> {
    if (recorded) await this.append(ctx, policy, recorded);
    ctx.shared.set('policy', rowAfter(policy, recorded));
  }

  private async issue(ctx: InboundContext, p: PolicyIssuedPayload): Promise<void> {
    const subsidiary = ctx.event.subsidiary as Subsidiary;
    // Two independent reads in one round trip (the connection is pipelined).
    const [{ known: issued, agents }, partyId] = await Promise.all([
      issueFacts(ctx.manager, subsidiary, p.policyNo, [p.sellingAgentId, p.servicingAgentId]),
      this.parties.partyIdOf(ctx.manager, subsidiary, p.holderLocalId),
    ]);
    if (issued) return; // a re-issue of a known policy number changes nothing
    if (!partyId) throw new MissingFactError(clientKey(subsidiary, p.holderLocalId));
    const seller = agents.get(p.sellingAgentId);
    if (!seller) throw new MissingFactError(agentKey(p.sellingAgentId));
    const servicer = agents.get(p.servicingAgentId);
    if (!servicer) throw new MissingFactError(agentKey(p.servicingAgentId));
    // Within the event's transaction a client id resolves to one party: the holder's is not looked up again.
    const known = new Map([[p.holderLocalId, partyId]]);
    const [insured, beneficiaries] = await Promise.all([
      this.refs(ctx, subsidiary, p.insuredLocalIds, known),
      this.beneficiaries(ctx, subsidiary, p.beneficiaries ?? [], known),
    ]);
    const data: PolicyRecordedData = {
      subsidiary, policyNo: p.policyNo, partyId, holderLocalId: p.holderLocalId, insured, beneficiaries,
      productCode: p.productCode, productLine: p.productLine, premium: p.premium, standardPremium: p.standardPremium ?? null,
      effectiveDate: p.effectiveDate, expiryDate: p.expiryDate, sellingAgentId: p.sellingAgentId, sellingSubsidiary: seller.subsidiary,
      sellingChannel: seller.channel, servicingAgentId: p.servicingAgentId, channel: p.channel, localChannelCode: p.localChannelCode,
      referralId: p.referralId ?? null, productSpecialistId: p.productSpecialistId ?? null, quotedPrice: p.quotedPrice ?? null, issuedAt: ctx.event.occurredAt,
    };
    // The event and its inline rows (the policy and its first term, one statement) go together, and a refused append (the
    // stream exists: another consumer recorded the policy since it was read) fails the transaction. The rows' write is
    // deferred (InboundContext.defer): the handlers after this one read behind it. The row is the one written: a policy
    // another consumer wrote first came with its stream.
    const appended = this.store.append(policyStreamId(subsidiary, p.policyNo), [this.toNew(ctx, { type: 'PolicyRecorded', data })], 'no_stream', { manager: ctx.manager });
    ctx.defer(insertPolicy(ctx.manager, data));
    await appended;
    ctx.shared.set('policy', issuedRow(data));
    ctx.shared.set('policyRecorded', data);
    const shared: PolicyServicerShared = { agentId: servicer.agentId, terminatedOn: servicer.status === 'terminated' ? (servicer.terminatedAt ?? null) : null };
    ctx.shared.set('policyServicer', shared);
  }

  /** The portfolio event for a lifecycle or claim event, after updating the inline row. */
  private async lifecycle(
    ctx: InboundContext, event: Exclude<PolicyEvent, { type: 'PolicyIssued' | 'PolicyRenewed' } | StatusEvent>, policy: PolicyRow,
  ): Promise<PortfolioEvent | null> {
    const base = { subsidiary: policy.subsidiary, policyNo: policy.policyNo, partyId: policy.partyId };
    switch (event.type) {
      case 'PolicyEndorsed': {
        const p = event.payload;
        const data = { ...base, endorsementNo: p.endorsementNo ?? null, effectiveDate: p.effectiveDate, premiumDelta: p.premiumDelta, standardPremiumDelta: p.standardPremiumDelta ?? null, reason: p.reason };
        // Kept by its date: the as-of tier counts the change from then, in its term only.
        ctx.defer(recordEndorsement(ctx.manager, policy.subsidiary, policy.policyNo, { ...data, eventId: ctx.eventId('PolicyEndorsementRecorded') }));
        return { type: 'PolicyEndorsementRecorded', data };
      }
      case 'ClaimReported':
        return { type: 'ClaimRecorded', data: { ...base, claimNo: event.payload.claimNo, reportedAt: event.payload.reportedAt, amountClaimed: event.payload.amountClaimed } };
      case 'ClaimSettled':
        return { type: 'ClaimSettlementRecorded', data: { ...base, claimNo: event.payload.claimNo, settledAt: event.payload.settledAt, amountPaid: event.payload.amountPaid } };
      default:
        return null;
    }
  }

  /**
   * Keeps the new term and moves the row to it: in force from the new term, unless a cancellation or lapse dated in it was
   * reported first (it came after it in business order). The status is judged by the terms with the new one (a term
   * reported again replaces the one with its start, see recordTerm), so the term and the row are written together, and
   * deferred (InboundContext.defer): the handlers after this one read behind them.
   */
  private async renewal(ctx: InboundContext, event: RenewalEvent, policy: PolicyRow, life: Required<PolicyLife>): Promise<PortfolioEvent> {
    const p = event.payload;
    const servicingAgentId = await this.renewalServicer(ctx, p.servicingAgentId, policy, p.newEffectiveDate);
    const term = { effectiveDate: p.newEffectiveDate, expiryDate: p.newExpiryDate };
    const policyStatus = currentStatus({ ...life, terms: [...life.terms.filter((t) => t.effectiveDate !== term.effectiveDate), term] });
    ctx.defer(recordTerm(ctx.manager, policy.subsidiary, policy.policyNo, { ...term, premium: p.premium, standardPremium: p.standardPremium ?? null }));
    ctx.defer(updatePolicy(ctx.manager, policy.subsidiary, policy.policyNo, {
      effective_date: p.newEffectiveDate, expiry_date: p.newExpiryDate, premium_amount: p.premium.amount, premium_mode: p.premium.mode,
      standard_premium: p.standardPremium ?? null, servicing_agent_id: servicingAgentId, status: policyStatus,
    }));
    const base = { subsidiary: policy.subsidiary, policyNo: policy.policyNo, partyId: policy.partyId };
    const data = {
      ...base, newEffectiveDate: p.newEffectiveDate, newExpiryDate: p.newExpiryDate, premium: p.premium, standardPremium: p.standardPremium ?? null, servicingAgentId, policyStatus,
    };
    // Crediting's servicing history takes a new servicer from the new term on (least-loaded loads count it).
    const shared: PolicyRenewalShared = { ...data, previousServicingAgentId: policy.servicingAgentId };
    ctx.shared.set('policyRenewal', shared);
    return { type: 'PolicyRenewalRecorded', data };
  }

  /**
   * Keeps the change with its date; the row takes the status business order leaves it in (currentStatus): a
   * cancellation or lapse dated before a renewed term reported after it leaves it in force.
   */
  private async statusChange(ctx: InboundContext, event: StatusEvent, policy: PolicyRow, life: Required<PolicyLife>): Promise<PortfolioEvent | null> {
    const to = event.type === 'PolicyReinstated' ? 'in-force' : event.type === 'PolicyCancelled' ? 'cancelled' : 'lapsed';
    const payload = event.payload as { effectiveDate: string; reason?: string; refund?: string };
    const change: StatusChange = { effectiveDate: payload.effectiveDate, status: to, reportedAt: event.occurredAt };
    if (repeatsStatus(life, change)) return null;
    const cause = event.type === 'PolicyReinstated' ? 'reinstated' : to === 'cancelled' ? 'cancelled' : 'lapsed';
    const policyStatus = currentStatus({ ...life, statusChanges: [...life.statusChanges, change] });
    ctx.defer(recordStatusChange(ctx.manager, policy.subsidiary, policy.policyNo, change, policyStatus));
    return {
      type: 'PolicyStatusChanged',
      data: {
        subsidiary: policy.subsidiary, policyNo: policy.policyNo, partyId: policy.partyId, from: policy.status, to, cause, effectiveDate: payload.effectiveDate,
        reason: payload.reason ?? null, refund: payload.refund ?? null, policyStatus,
      },
    };
  }

  /**
   * A renewal that still names an agent who has left keeps the agent the book was
   * reassigned to (renewal recursion); a named agent still there on the new term's first day is a
   * new decision and wins, even one whose termination, dated later, is known already (that
   * termination then hands the policy on from its date).
   */
  private async renewalServicer(ctx: InboundContext, named: string | undefined, policy: PolicyRow, newEffectiveDate: string): Promise<string> {
    if (!named || named === policy.servicingAgentId) return policy.servicingAgentId;
    const agent = await this.requireAgent(ctx, named);
    return agent.status === 'terminated' && (agent.terminatedAt ?? newEffectiveDate) <= newEffectiveDate ? policy.servicingAgentId : named;
  }

  private async requireAgent(ctx: InboundContext, agentId: string): Promise<AgentRow> {
    const agent = await findAgent(ctx.manager, agentId);
    if (!agent) throw new MissingFactError(agentKey(agentId));
    return agent;
  }

  private async ref(ctx: InboundContext, subsidiary: string, localId: string, known = new Map<string, string>()) {
    return { localId, partyId: known.get(localId) ?? (await this.parties.partyIdOf(ctx.manager, subsidiary, localId)) };
  }

  // Sent together on the handler's (pipelined) connection and answered in order: one round trip.
  private refs(ctx: InboundContext, subsidiary: string, localIds: string[], known?: Map<string, string>): Promise<Array<{ localId: string; partyId: string | null }>> {
    return Promise.all(localIds.map((id) => this.ref(ctx, subsidiary, id, known)));
  }

  private async beneficiaries(ctx: InboundContext, subsidiary: string, beneficiaries: Array<{ localId: string; sharePct: number }>, known?: Map<string, string>) {
    const refs = await this.refs(ctx, subsidiary, beneficiaries.map((b) => b.localId), known);
    return refs.map((ref, i) => ({ ...ref, sharePct: beneficiaries[i].sharePct }));
  }

  private toNew(ctx: InboundContext, event: PortfolioEvent) {
    return { eventId: ctx.eventId(event.type), type: event.type, data: event.data, metadata: ctx.metadata };
  }

  private async append(ctx: InboundContext, policy: PolicyRow, event: PortfolioEvent): Promise<void> {
    await this.store.append(policyStreamId(policy.subsidiary, policy.policyNo), [this.toNew(ctx, event)], 'stream_exists', { manager: ctx.manager });
  }
}
