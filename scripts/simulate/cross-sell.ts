/**
 * The four cross-selling flows the group pays for (Ping An's weights): life agents
 * referring P&C and group business, P&C reps referring group business, group account
 * managers referring P&C business. Most leads convert; the rest are closed as lost.
 */
import type { Channel, ProductLine, Subsidiary } from '@lib/contracts';
import type { AgentRoster } from './agents';
import { SLOT } from './calendar';
import type { SimContext } from './context';
import type { ClientRecord, Entity, Population } from './population';
import { openRecord } from './records';
import { convert, type Lead, LeadBook, LOSS_REASONS, loseLead, productRecord, productSeller, registerLead } from './referrals';
import type { PolicyDraft } from './types';

interface Flow {
  from: Subsidiary;
  to: Subsidiary;
  kind: Entity['kind'];
  rate: number;
  lines: ProductLine[];
  /** The product side's local channel code for this kind of cross-sale, if it has one. */
  crossCode?: string;
  /** Only this channel of the referring side makes such referrals. */
  referrerChannel?: Channel;
}

const GROUP_LINES: ProductLine[] = ['GROUP_HEALTH', 'GROUP_ACCIDENT', 'GROUP_LIFE'];
const FLOWS: Flow[] = [
  { from: 'life', to: 'pnc', kind: 'person', rate: 0.07, lines: ['MOTOR', 'HOME'], crossCode: 'JX', referrerChannel: 'AGENCY' },
  { from: 'life', to: 'group', kind: 'organization', rate: 0.04, lines: GROUP_LINES, crossCode: 'GX' },
  { from: 'pnc', to: 'group', kind: 'organization', rate: 0.08, lines: GROUP_LINES, crossCode: 'CX' },
  { from: 'group', to: 'pnc', kind: 'organization', rate: 0.1, lines: ['COMMERCIAL_PROPERTY', 'LIABILITY'] },
];
export const CONVERSION_RATE = 0.78;

export function planCrossSelling(ctx: SimContext, population: Population, roster: AgentRoster, leads: LeadBook): PolicyDraft[] {
  const drafts: PolicyDraft[] = [];
  for (const flow of FLOWS) {
    for (const entity of population.entities) {
      if (entity.kind !== flow.kind || !ctx.rng.chance(flow.rate)) continue;
      const lead = leadFor(ctx, roster, leads, flow, entity);
      if (!lead) continue;
      leads.take(entity, lead.line);
      const referralId = registerLead(ctx, lead);
      if (!ctx.rng.chance(CONVERSION_RATE)) {
        loseLead(ctx, lead, referralId, ctx.rng.pick(LOSS_REASONS));
        continue;
      }
      const month = lead.month + 1 < ctx.calendar.months && ctx.rng.chance(0.4) ? lead.month + 1 : lead.month;
      const spec = productSeller(ctx, roster, lead, month, flow.crossCode);
      const draft = convert(ctx, lead, referralId, spec, productRecord(ctx, lead, spec.sellerId));
      if (draft) drafts.push(draft);
    }
  }
  return drafts;
}

/** A lead for a line the entity neither holds nor was referred for, by an agent active at the time. */
function leadFor(ctx: SimContext, roster: AgentRoster, leads: LeadBook, flow: Flow, entity: Entity): Lead | null {
  if (entity.kind === 'person' && entity.role === 'child') return null;
  const target = entity.records[flow.to];
  // Group cover needs the employees, so only companies group already knows; a product-side
  // record without an identity number may resolve to another party than the lead.
  if ((flow.to === 'group' && !target) || target?.noIdentity) return null;
  const existing = entity.records[flow.from];
  if (!existing && (flow.from !== 'life' || entity.kind === 'person')) return null;
  const line = leads.freeLine(ctx, entity, flow.lines);
  if (!line) return null;
  const waits = [existing?.registeredWave ?? -1, (target?.registeredWave ?? -1) - 1];
  const earliest = ctx.calendar.firstMonthAfter(Math.max(...waits), SLOT.engage);
  if (earliest >= ctx.calendar.months) return null;
  const month = ctx.rng.int(earliest, ctx.calendar.months - 1);
  const referring = existing ?? openReferrerRecord(ctx, roster, entity, flow, month);
  const agentId = roster.servicerAt(referring.ownerId, month);
  if (flow.referrerChannel && roster.get(agentId).channel !== flow.referrerChannel) return null;
  return { entity, referring, agentId, productSub: flow.to, line, month, slot: SLOT.engage };
}

/** A life agent who refers a company to group registers the company as a life client first. */
function openReferrerRecord(ctx: SimContext, roster: AgentRoster, entity: Entity, flow: Flow, month: number): ClientRecord {
  const agent = roster.pickActive(flow.from, 'AGENCY', month);
  ctx.count('records.openedForReferral');
  return openRecord(ctx, entity, flow.from, month, agent.agentId);
}
