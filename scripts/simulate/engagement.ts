/**
 * Sales activity: calls, visits and meetings with clients, seminars, and quotes
 * before a sale. Activity volume drives results (LIMRA), so every agent is busy.
 */
import type { Subsidiary } from '@lib/contracts';
import type { AgentRoster } from './agents';
import { SLOT, isoDateTime } from './calendar';
import type { SimContext } from './context';
import type { ClientRecord, Population } from './population';
import { annualisedFen, money } from './premiums';
import type { PolicyDraft } from './types';

const CONTACTS_PER_YEAR = { 0: 45, 1: 40, 2: 15 };
const PERSON_CONTACTS = { call: 60, visit: 25, meeting: 15 };
const COMPANY_CONTACTS = { visit: 50, meeting: 35, call: 15 };
const NOTES = { call: 'policy review call', visit: 'service visit', meeting: 'needs analysis meeting', seminar: 'customer seminar', quote: 'quote' };

export function logActivity(ctx: SimContext, sub: Subsidiary, wave: number, fields: Record<string, unknown> & { agentId: string; clientLocalId?: string }): void {
  const activityId = ctx.activityId(sub);
  ctx.out.intake(sub, 'LogActivity', wave, { activityId, ...fields }, { entityKey: activityId });
  ctx.count('activities');
}

export function emitActivities(ctx: SimContext, population: Population, roster: AgentRoster, drafts: PolicyDraft[]): void {
  for (const entity of population.entities) {
    for (const record of Object.values(entity.records)) contacts(ctx, roster, record!);
  }
  for (const agent of roster.agents) {
    const first = Math.max(agent.joinMonth, 0);
    const last = agent.termMonth ?? ctx.calendar.months - 1;
    for (let i = ctx.rng.int(0, 2); i > 0 && first <= last; i--) {
      const month = ctx.rng.int(first, last);
      logActivity(ctx, agent.subsidiary, ctx.calendar.wave(month, SLOT.engage), {
        agentId: agent.agentId, kind: 'seminar', at: isoDateTime(ctx.calendar.randomDayIn(ctx.rng, month), 14 * 60), note: NOTES.seminar,
      });
    }
  }
  for (const draft of drafts) if (!draft.beforePeriod && draft.referralId === null && ctx.rng.chance(0.4)) quoteBefore(ctx, draft);
}

/** Group employees and children are reached through the company and the parents. */
function contacts(ctx: SimContext, roster: AgentRoster, record: ClientRecord): void {
  const { rng, calendar } = ctx;
  const entity = record.entity;
  if (entity.kind === 'person' && (entity.role === 'child' || record.subsidiary === 'group')) return;
  const earliest = calendar.firstMonthAfter(record.registeredWave, SLOT.engage);
  if (earliest >= calendar.months) return;
  const count = Number(rng.weighted(CONTACTS_PER_YEAR));
  for (let i = 0; i < count; i++) {
    const month = rng.int(earliest, calendar.months - 1);
    const kind = rng.weighted(entity.kind === 'person' ? PERSON_CONTACTS : COMPANY_CONTACTS);
    logActivity(ctx, record.subsidiary, calendar.wave(month, SLOT.engage), {
      agentId: roster.servicerAt(record.ownerId, month), clientLocalId: record.localId, kind,
      at: isoDateTime(calendar.randomDayIn(rng, month), calendar.randomWorkMinute(rng)), note: NOTES[kind],
    });
  }
}

/** The seller quoted the client a few days before the sale (same wave as the sale: they do not depend on each other). */
function quoteBefore(ctx: SimContext, d: PolicyDraft): void {
  const { rng, calendar } = ctx;
  const month = Math.max(calendar.monthOf(d.effectiveDay), 0);
  const day = Math.max(calendar.monthStart(month), d.effectiveDay - rng.int(1, 7));
  logActivity(ctx, d.subsidiary, d.wave, {
    agentId: d.sellingAgentId, clientLocalId: d.holderLocalId, kind: 'quote', at: isoDateTime(day, calendar.randomWorkMinute(rng)),
    productLine: d.productLine, quotedPrice: money(annualisedFen(d.amountFen, d.mode) * (d.mode === 'SINGLE' ? 10 : 1)), note: `quote for ${d.productCode}`,
  });
}
