/**
 * Channel conflicts staged on purpose, with the count the coordination service should find:
 * - duplicate registration: a life agent and a group account manager both register the
 *   same person for P&C motor (the group one a wave later, so "first" is certain); P&C then
 *   writes the policy naming the life referral. The rival registration was already weighed
 *   in that conflict, so the sale is not judged against it again. Resolved automatically
 *   (first valid registration).
 * - policy vs registration: a life agent registers a client for P&C accident or health
 *   cover, then a life telesales agent sells the client life's own cover for that line
 *   while the registration is live. Resolved automatically (the registration came first).
 * - channel quote clash: P&C's direct channel and a broker quote the same client for the
 *   same line within days; the default precedence always queues these for a person.
 */
import type { ProductLine } from '@lib/contracts';
import type { AgentRoster } from './agents';
import { SLOT, isoDateTime } from './calendar';
import type { SimContext } from './context';
import { hasProduct } from './catalogues';
import { draftPolicy } from './drafts';
import { logActivity } from './engagement';
import type { Person, Population } from './population';
import { money } from './premiums';
import { convert, type Lead, type LeadBook, loseLead, productRecord, productSeller, registerLead } from './referrals';
import type { PolicyDraft } from './types';

const CLASH_LINES: ProductLine[] = ['HOME', 'ACCIDENT', 'HEALTH'];
const CLASH_PRICE: Record<string, [number, number]> = { HOME: [300, 1500], ACCIDENT: [150, 500], HEALTH: [400, 2000] };

export function stageDuplicateRegistrations(ctx: SimContext, population: Population, roster: AgentRoster, leads: LeadBook): PolicyDraft[] {
  const target = Math.max(1, Math.round(ctx.options.clients / 1000));
  const candidates = population.persons.filter(
    (p) => p.role !== 'child' && p.records.life && p.records.group && !p.records.pnc?.noIdentity && leads.isFree(p, 'MOTOR'),
  );
  const drafts: PolicyDraft[] = [];
  for (const person of ctx.rng.sample(candidates, target)) {
    const draft = stagePair(ctx, roster, leads, person);
    if (draft) drafts.push(draft);
  }
  return drafts;
}

function stagePair(ctx: SimContext, roster: AgentRoster, leads: LeadBook, person: Person): PolicyDraft | null {
  const { calendar } = ctx;
  const life = person.records.life!;
  const group = person.records.group!;
  const pnc = person.records.pnc;
  const earliest = Math.max(
    calendar.firstMonthAfter(life.registeredWave, SLOT.engage),
    calendar.firstMonthAfter(group.registeredWave, SLOT.rival),
    pnc ? calendar.firstMonthAfter(pnc.registeredWave, SLOT.convert) : 0,
  );
  if (earliest >= calendar.months) return null;
  const month = ctx.rng.int(earliest, calendar.months - 1);
  const first: Lead = { entity: person, referring: life, agentId: roster.servicerAt(life.ownerId, month), productSub: 'pnc', line: 'MOTOR', month, slot: SLOT.engage };
  const rival: Lead = { ...first, referring: group, agentId: roster.servicerAt(group.ownerId, month), slot: SLOT.rival };
  leads.take(person, 'MOTOR');
  const firstId = registerLead(ctx, first);
  const rivalId = registerLead(ctx, rival, 'employee asked the account manager for a car insurance quote');
  const spec = productSeller(ctx, roster, first, month, 'JX');
  const draft = convert(ctx, first, firstId, spec, productRecord(ctx, first, spec.sellerId));
  loseLead(ctx, rival, rivalId, 'duplicate lead: the client was registered by another agent first');
  ctx.count('conflicts.duplicateRegistration');
  return draft;
}

const BYPASS_PRODUCTS: Partial<Record<ProductLine, string>> = { ACCIDENT: 'PA01', HEALTH: 'HM01' };

export function stageBypassedRegistrations(ctx: SimContext, population: Population, roster: AgentRoster, leads: LeadBook): PolicyDraft[] {
  const target = Math.max(1, Math.round(ctx.options.clients / 2000));
  const candidates = population.persons.filter((p) => p.role !== 'child' && p.records.life);
  const drafts: PolicyDraft[] = [];
  for (const person of ctx.rng.sample(candidates, target * 3)) {
    if (drafts.length >= target) break;
    const draft = stageBypass(ctx, roster, leads, person);
    if (draft) drafts.push(draft);
  }
  return drafts;
}

function stageBypass(ctx: SimContext, roster: AgentRoster, leads: LeadBook, person: Person): PolicyDraft | null {
  const { rng, calendar } = ctx;
  const life = person.records.life!;
  const line = leads.freeLine(ctx, person, ['ACCIDENT', 'HEALTH']);
  const earliest = calendar.firstMonthAfter(life.registeredWave, SLOT.engage);
  const code = line ? BYPASS_PRODUCTS[line] : undefined;
  if (!line || !code || earliest >= calendar.months || !hasProduct(ctx.catalogues.life, code)) return null;
  const month = rng.int(earliest, calendar.months - 1);
  const referrer = roster.servicerAt(life.ownerId, month);
  const seller = roster.pickActive('life', 'TELESALES', month);
  if (seller.agentId === referrer) return null;
  leads.take(person, line);
  const lead: Lead = { entity: person, referring: life, agentId: referrer, productSub: 'pnc', line, month, slot: SLOT.engage };
  const referralId = registerLead(ctx, lead);
  const draft = draftPolicy(ctx, {
    sub: 'life', code, holder: life, insured: [life], effectiveDay: calendar.randomDayIn(rng, month), wave: calendar.wave(month, SLOT.convert),
    sellerId: seller.agentId, servicerId: seller.agentId, localChannelCode: seller.localChannelCode, beforePeriod: false,
  });
  loseLead(ctx, lead, referralId, 'client bought the cover from a life telesales agent');
  if (draft) ctx.count('conflicts.policyVsRegistration');
  return draft;
}

export function stageQuoteClashes(ctx: SimContext, population: Population, roster: AgentRoster, leads: LeadBook): void {
  const target = Math.max(1, Math.round(ctx.options.clients / 1500));
  const candidates = population.persons.filter((p) => p.records.pnc && !p.records.pnc.noIdentity);
  let staged = 0;
  for (const person of ctx.rng.sample(candidates, target * 3)) {
    if (staged >= target) break;
    if (stageClash(ctx, roster, leads, person)) staged++;
  }
}

function stageClash(ctx: SimContext, roster: AgentRoster, leads: LeadBook, person: Person): boolean {
  const { rng, calendar } = ctx;
  const record = person.records.pnc!;
  const line = leads.freeLine(ctx, person, CLASH_LINES);
  const earliest = calendar.firstMonthAfter(record.registeredWave, SLOT.engage);
  if (!line || earliest >= calendar.months) return false;
  leads.take(person, line);
  const month = rng.int(earliest, calendar.months - 1);
  const wave = calendar.wave(month, SLOT.engage);
  const day = calendar.randomDayIn(rng, month);
  const brokerPrice = rng.int(CLASH_PRICE[line][0] * 100, CLASH_PRICE[line][1] * 100);
  const quotes = [
    { agent: roster.pickActive('pnc', 'BROKER', month), day, price: brokerPrice },
    { agent: roster.pickActive('pnc', 'DIRECT', month), day: Math.min(day + rng.int(1, 10), calendar.monthEnd(month)), price: Math.round(brokerPrice * (0.85 + rng.next() * 0.1)) },
  ];
  for (const q of quotes) {
    logActivity(ctx, 'pnc', wave, {
      agentId: q.agent.agentId, clientLocalId: record.localId, kind: 'quote', at: isoDateTime(q.day, calendar.randomWorkMinute(rng)),
      productLine: line, quotedPrice: money(q.price), note: `${line.toLowerCase()} cover quote`,
    });
  }
  ctx.count('conflicts.channelQuoteClash');
  return true;
}
