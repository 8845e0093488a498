/**
 * Cross-selling: an agent of one subsidiary registers a lead (referral) for another
 * subsidiary's product; the product side issues the policy naming the referral, or
 * the lead is lost. Each (client, product line) is referred at most once and is never
 * sold otherwise, so the only conflicts are the ones conflicts.ts stages on purpose.
 */
import type { ProductLine, Subsidiary } from '@lib/contracts';
import type { AgentRoster } from './agents';
import { SLOT } from './calendar';
import { productsForLine } from './catalogues';
import type { SimContext } from './context';
import { draftPolicy } from './drafts';
import { partiesFor } from './portfolio';
import type { ClientRecord, Entity } from './population';
import { openRecord } from './records';
import type { PolicyDraft } from './types';

export interface Lead {
  entity: Entity;
  referring: ClientRecord;
  agentId: string;
  productSub: Subsidiary;
  line: ProductLine;
  month: number;
  slot: number;
}

export interface ConversionSpec {
  /** Who sells on the product side, and under which of its local channel codes. */
  sellerId: string;
  localChannelCode: string;
  month: number;
}

/** Remembers which (entity, line) pairs are spoken for. */
export class LeadBook {
  private readonly taken = new Set<string>();

  isFree(entity: Entity, line: ProductLine): boolean {
    return !entity.heldLines.has(line) && !this.taken.has(`${entity.id}:${line}`);
  }

  take(entity: Entity, line: ProductLine): void {
    this.taken.add(`${entity.id}:${line}`);
  }

  freeLine(ctx: SimContext, entity: Entity, lines: readonly ProductLine[]): ProductLine | null {
    const free = lines.filter((l) => this.isFree(entity, l));
    return free.length > 0 ? ctx.rng.pick(free) : null;
  }
}

/** Registers the lead and returns its id. */
export function registerLead(ctx: SimContext, lead: Lead, note?: string): string {
  const referralId = ctx.referralId(lead.referring.subsidiary);
  const body = {
    referralId, clientLocalId: lead.referring.localId, productSubsidiary: lead.productSub, productLine: lead.line,
    referringAgentId: lead.agentId, ...(note ? { note } : {}),
  };
  ctx.out.intake(lead.referring.subsidiary, 'RegisterReferral', ctx.calendar.wave(lead.month, lead.slot), body, {
    entityKey: referralId,
  });
  ctx.count('referrals.registered');
  ctx.count(`referrals.side.${lead.referring.subsidiary}->${lead.productSub}`);
  return referralId;
}

/** The product side's record of the client: the one it has, or a new one opened for this sale. */
export function productRecord(ctx: SimContext, lead: Lead, ownerId: string): ClientRecord {
  const existing = lead.entity.records[lead.productSub];
  if (existing) return existing;
  ctx.count('records.openedForReferral');
  return openRecord(ctx, lead.entity, lead.productSub, lead.month, ownerId, ctx.calendar.wave(lead.month, SLOT.engage));
}

/** The policy that converts the referral, issued after the product-side record exists. */
export function convert(ctx: SimContext, lead: Lead, referralId: string, spec: ConversionSpec, record: ClientRecord): PolicyDraft | null {
  const catalogue = ctx.catalogues[lead.productSub];
  const candidates = productsForLine(catalogue, lead.line);
  if (candidates.length === 0) return null;
  const code = ctx.rng.pick(candidates).code;
  const { insured, heads } = partiesFor(ctx, record, code);
  if (insured.length === 0) return null;
  const wave = Math.max(ctx.calendar.wave(spec.month, SLOT.convert), ...[record, ...insured].map((r) => r.registeredWave + 1));
  const draft = draftPolicy(ctx, {
    sub: lead.productSub, code, holder: record, insured, heads, effectiveDay: ctx.calendar.randomDayIn(ctx.rng, spec.month), wave,
    sellerId: spec.sellerId, servicerId: spec.sellerId, localChannelCode: spec.localChannelCode, referralId, beforePeriod: false,
  });
  if (draft) {
    ctx.count('referrals.converted');
    ctx.count(`referrals.convertedSide.${lead.referring.subsidiary}->${lead.productSub}`);
  }
  return draft;
}

/** The product side closes a lead it will not write (after the coordination service has seen it). */
export function loseLead(ctx: SimContext, lead: Lead, referralId: string, reason: string): void {
  ctx.out.coordination(lead.productSub, 'MarkReferralLost', ctx.calendar.finalWave, `/v1/referrals/${encodeURIComponent(referralId)}/loss`, { reason }, {
    target: referralId, entityKey: referralId,
  });
  ctx.count('referrals.lost');
}

/**
 * The seller a product side puts on a referred sale: whoever services the client there, or
 * an agent of the product side. The sale is booked under the cross-selling channel code
 * (e.g. P&C's JX, life agents selling P&C) when the catalogue has one.
 */
export function productSeller(ctx: SimContext, roster: AgentRoster, lead: Lead, month: number, crossCode?: string): ConversionSpec {
  const record = lead.entity.records[lead.productSub];
  const sellerId = record && record.acqMonth <= month ? roster.servicerAt(record.ownerId, month) : defaultSeller(roster, lead.productSub, month);
  const crossSelling = crossCode !== undefined && ctx.catalogues[lead.productSub].channels.some((c) => c.code === crossCode);
  return { sellerId, localChannelCode: crossSelling ? crossCode : roster.get(sellerId).localChannelCode, month };
}

function defaultSeller(roster: AgentRoster, sub: Subsidiary, month: number): string {
  return roster.pickActive(sub, sub === 'group' ? 'GROUP_ACCOUNT' : 'AGENCY', month).agentId;
}

export const LOSS_REASONS = ['client bought elsewhere', 'price not accepted', 'client not reachable', 'underwriting declined', 'duplicate lead'];
