import { isSubsidiary, type EventEnvelope, type SubsidiaryEvent } from '@lib/contracts';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { MissingFactError, referralKey, type InboundContext, type InboundHandler } from '../../infrastructure/inbound/inbound.types';
import {
  CONFLICTS_PARTY_DIRECTORY, CREDIT_DECISION_KEY, REFERRAL_LINK_KEY,
  type PartyDirectoryPort, type PolicyReferralLink,
} from '../conflicts.ports';
import { linkPolicyToReferral, type LiveRegistration, type Subsidiary } from '../domain';
import { conflictsOfReferral, type IndexedConflict } from '../persistence/conflict-index';
import { agentOf } from '../persistence/portfolio-facts';
import { referralsForPolicy } from '../persistence/referral-index';
import { ConflictFactsLoader } from '../write/conflict-facts.loader';
import { ConflictRecorder } from '../write/conflict-recorder';
import { toIssuedPolicy } from '../write/fact-mapping';
import { ReferralWriter } from '../write/referral-writer';
import { creditDecisionForPolicy } from './policy-credit-decision';
import { poisonOnDomainError, requireParty } from './inbound-support';

type PolicyIssued = EventEnvelope<'PolicyIssued'>;

/** The portfolio's row for this policy, when it shared one (keys in either casing). */
function sharedPolicy(shared: Map<string, unknown>): { partyId?: string; sellingSubsidiary?: Subsidiary } {
  const row = (shared.get('policy') ?? {}) as Record<string, unknown>;
  const partyId = row.partyId ?? row.party_id;
  const selling = row.sellingSubsidiary ?? row.selling_subsidiary;
  return {
    ...(typeof partyId === 'string' ? { partyId } : {}),
    ...(isSubsidiary(selling) ? { sellingSubsidiary: selling } : {}),
  };
}

/**
 * Registrations already weighed against the converted referral in an earlier conflict (two
 * rival registrations a coordinator split, say) are not bypassed by this sale: that conflict's
 * decision governs it, and raising the same dispute again would only queue noise.
 */
function withoutSettled(registrations: readonly LiveRegistration[], conflicts: readonly IndexedConflict[], link?: PolicyReferralLink): LiveRegistration[] {
  const settled = new Set(conflicts.flatMap((c) => c.referralIds));
  if (link) settled.delete(link.referralId);
  return registrations.filter((r) => !settled.has(r.referralId));
}

/**
 * Runs after the portfolio has recorded the policy: converts the referral it names (or the
 * earliest open one for the party and line), detects a sale that bypassed someone else's live
 * registration, and tells crediting (which runs next) how to credit the sale.
 */
@Injectable()
export class PolicyIssuedHandler implements InboundHandler {
  readonly name = 'conflicts.policy-issued';
  readonly handles: ReadonlyArray<SubsidiaryEvent['type']> = ['PolicyIssued'];

  constructor(
    @Inject(CONFLICTS_PARTY_DIRECTORY) private readonly parties: PartyDirectoryPort,
    private readonly facts: ConflictFactsLoader,
    private readonly referrals: ReferralWriter,
    private readonly recorder: ConflictRecorder,
  ) {}

  async handle(ctx: InboundContext): Promise<void> {
    const event = ctx.event;
    if (event.type !== 'PolicyIssued') return;
    const p = event.payload;
    const shared = sharedPolicy(ctx.shared);
    const partyId = shared.partyId ?? (await requireParty(this.parties, ctx.manager, event.subsidiary, p.holderLocalId));
    const sellingSubsidiary = shared.sellingSubsidiary ?? (await this.sellerSubsidiary(ctx.manager, event));
    const excludePolicy = { subsidiary: event.subsidiary, policyNo: p.policyNo };
    await poisonOnDomainError(async () => {
      const facts = await this.facts.load(ctx.manager, { partyId, productLine: p.productLine, around: event.occurredAt, excludePolicy });
      const link = await this.convert(ctx, event, partyId);
      if (link) ctx.shared.set(REFERRAL_LINK_KEY, link);
      // The sale may close a registration or start a servicing relationship earlier in business time than registrations already judged.
      await this.recorder.reconcile(await this.facts.loadScope(ctx.manager, partyId, p.productLine), ctx);
      const referralConflicts = link ? await conflictsOfReferral(ctx.manager, link.referralId) : [];
      const policy = toIssuedPolicy(event, partyId, sellingSubsidiary);
      const judged = { ...facts, registrations: withoutSettled(facts.registrations, referralConflicts, link) };
      const recorded = await this.recorder.record({ kind: 'policy-issued', policy }, judged, event.subsidiary, ctx);
      const decision = creditDecisionForPolicy(recorded, referralConflicts, event);
      if (decision) ctx.shared.set(CREDIT_DECISION_KEY, decision);
    });
  }

  private async sellerSubsidiary(manager: EntityManager, event: PolicyIssued): Promise<Subsidiary> {
    return (await agentOf(manager, event.payload.sellingAgentId))?.subsidiary ?? event.subsidiary;
  }

  /** A named referral not seen yet parks the policy until the referral is registered (topics are not ordered together). */
  private async convert(ctx: InboundContext, event: PolicyIssued, partyId: string): Promise<PolicyReferralLink | undefined> {
    const p = event.payload;
    const candidates = await referralsForPolicy(ctx.manager, partyId, p.productLine, p.referralId);
    if (p.referralId && !candidates.some((r) => r.referralId === p.referralId)) throw new MissingFactError(referralKey(p.referralId));
    const ofThisProduct = candidates.filter((r) => r.productSubsidiary === event.subsidiary);
    const policyRef = { partyId, productLine: p.productLine, issuedAt: event.occurredAt, referralId: p.referralId };
    const link = linkPolicyToReferral(policyRef, ofThisProduct);
    if (!link) return undefined;
    const data = { referralId: link.referralId, policyNo: p.policyNo, partyId, productLine: p.productLine, issuedAt: event.occurredAt, linkedBy: link.linkedBy };
    await this.referrals.run(link.referralId, { type: 'ConvertReferral', data }, ctx);
    const referrer = ofThisProduct.find((r) => r.referralId === link.referralId)!.referrer;
    return { ...link, referrer: { ...referrer } };
  }
}
