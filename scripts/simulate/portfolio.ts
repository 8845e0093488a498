/**
 * Each subsidiary's own sales to its own clients: the book in force before the period
 * and the new business written in it (new clients, and existing clients buying more).
 */
import type { Subsidiary } from '@lib/contracts';
import type { AgentRoster } from './agents';
import { SETUP_WAVES, SLOT } from './calendar';
import { hasProduct } from './catalogues';
import type { SimContext } from './context';
import { draftPolicy, equalShares } from './drafts';
import type { ClientRecord, Company, Entity, Person, Population } from './population';
import { profileOf } from './premiums';
import type { PolicyDraft } from './types';

type Menu = Record<string, number>;

const LIFE_MENU: Menu = { WL20: 12, WL10: 4, WLSP: 2, TL10: 5, TL20: 5, CI01: 18, AN10: 8, ANSP: 2, UL01: 6, HM01: 22, PA01: 12 };
/** Parents also buy children's critical-illness cover. */
const LIFE_FAMILY_MENU: Menu = { ...LIFE_MENU, CI05: 10 };
const PNC_PERSON_EXTRAS: Menu = { HOM01: 20, ACC01: 10, HLT01: 8, ACC02: 3 };
const PNC_COMPANY_MENU: Menu = { CPR01: 60, LIA01: 30, LIA02: 25, CPR02: 10 };
const GROUP_MENU: Menu = { GH01: 70, GL01: 40, GA01: 35, GH02: 15, GH03: 10, EA01: 8, GL02: 5, GA02: 5 };
const PRODUCTS_PER_CLIENT = { 1: 60, 2: 30, 3: 10 };
const LIA02_HEADS = { micro: 5, small: 30, medium: 120, large: 400 } as const;
/** Largest insured list the contract accepts on one policy. */
const MAX_INSURED = 1000;

export function planPortfolios(ctx: SimContext, population: Population, roster: AgentRoster): PolicyDraft[] {
  const drafts: PolicyDraft[] = [];
  for (const entity of population.entities) {
    for (const record of Object.values(entity.records)) {
      const codes = menuFor(ctx, entity, record!);
      if (entity.kind === 'person' && record!.subsidiary === 'pnc') maybeWithoutIdentity(ctx, record!, codes);
      for (const code of codes) push(drafts, sell(ctx, roster, record!, code, record!.acqMonth));
      if (record!.acqMonth < 0 && codes.length > 0 && ctx.rng.chance(0.12)) {
        const extra = menuFor(ctx, entity, record!).find((c) => !codes.includes(c));
        if (extra) push(drafts, sell(ctx, roster, record!, extra, ctx.rng.int(0, ctx.calendar.months - 1)));
      }
    }
  }
  return drafts;
}

function push(drafts: PolicyDraft[], draft: PolicyDraft | null): void {
  if (draft) drafts.push(draft);
}

/** The product codes this record buys (empty for children and insured employees, who hold nothing). */
function menuFor(ctx: SimContext, entity: Entity, record: ClientRecord): string[] {
  const { rng } = ctx;
  const available = (menu: Menu) => availableMenu(ctx, record.subsidiary, menu);
  if (entity.kind === 'organization') {
    if (record.subsidiary === 'life') return [];
    const menu = available(record.subsidiary === 'pnc' ? PNC_COMPANY_MENU : GROUP_MENU);
    return distinct(rng, menu, rng.weighted(PRODUCTS_PER_CLIENT));
  }
  if (record.subsidiary === 'group' || entity.role === 'child') return [];
  if (record.subsidiary === 'life') {
    const menu = available(hasLifeChild(entity) ? LIFE_FAMILY_MENU : LIFE_MENU);
    return distinct(rng, menu, rng.weighted(PRODUCTS_PER_CLIENT));
  }
  return pncPersonCodes(ctx);
}

const MENU_CACHE = new WeakMap<object, Map<Menu, Menu>>();

/** The menu without products the subsidiary's catalogue does not sell (cached: it is asked per record). */
function availableMenu(ctx: SimContext, sub: Subsidiary, menu: Menu): Menu {
  const catalogue = ctx.catalogues[sub];
  let byMenu = MENU_CACHE.get(catalogue);
  if (!byMenu) MENU_CACHE.set(catalogue, (byMenu = new Map()));
  let available = byMenu.get(menu);
  if (!available) byMenu.set(menu, (available = Object.fromEntries(Object.entries(menu).filter(([code]) => hasProduct(catalogue, code)))));
  return available;
}

function pncPersonCodes(ctx: SimContext): string[] {
  const { rng } = ctx;
  const codes: string[] = [];
  if (rng.chance(0.75)) codes.push('MOT01', rng.chance(0.75) ? 'MOT02' : 'MOT03');
  for (const [code, pct] of Object.entries(PNC_PERSON_EXTRAS)) if (rng.chance(pct / 100)) codes.push(code);
  if (codes.length === 0) codes.push('MOT01', 'MOT02');
  return codes.filter((c) => hasProduct(ctx.catalogues.pnc, c));
}

/** Motor-only clients are often known by name and phone alone (the car dealer took no identity number). */
function maybeWithoutIdentity(ctx: SimContext, record: ClientRecord, codes: string[]): void {
  const motorOnly = codes.length > 0 && codes.every((c) => ctx.catalogues.pnc.products.find((p) => p.code === c)?.productLine === 'MOTOR');
  if (motorOnly && ctx.rng.chance(0.3)) record.noIdentity = true;
}

function distinct(rng: SimContext['rng'], menu: Menu, count: number | string): string[] {
  const picked = new Set<string>();
  for (let i = 0; i < Number(count) * 3 && picked.size < Number(count); i++) picked.add(rng.weighted(menu));
  return [...picked];
}

function hasLifeChild(person: Person): boolean {
  return person.role !== 'child' && person.household.children.some((c) => c.records.life !== undefined);
}

/** A sale by whoever services the record in `month` (-1: written before the period). */
export function sell(ctx: SimContext, roster: AgentRoster, record: ClientRecord, code: string, month: number): PolicyDraft | null {
  const { rng, calendar } = ctx;
  const beforePeriod = month < 0;
  const agentId = beforePeriod ? record.ownerId : roster.servicerAt(record.ownerId, month);
  const { insured, beneficiaries, heads } = partiesFor(ctx, record, code);
  if (insured.length === 0) return null;
  return draftPolicy(ctx, {
    sub: record.subsidiary, code, holder: record, insured, beneficiaries, heads,
    effectiveDay: beforePeriod ? bookEffectiveDay(ctx, code) : calendar.randomDayIn(rng, month),
    wave: beforePeriod ? SETUP_WAVES.book : Math.max(calendar.wave(month, SLOT.engage), record.registeredWave + 1),
    sellerId: agentId, servicerId: agentId, localChannelCode: roster.get(agentId).localChannelCode, beforePeriod,
  });
}

/** Renewable cover written within the last year (so it renews in the period); long-term cover up to ten years back. */
function bookEffectiveDay(ctx: SimContext, code: string): number {
  const { term } = profileOf(code);
  const start = ctx.calendar.startDay;
  if (term.renewable) return start - ctx.rng.int(1, 364);
  if (term.days) return start - ctx.rng.int(1, term.days - 1);
  return start - ctx.rng.int(30, 3650);
}

interface Parties {
  insured: ClientRecord[];
  beneficiaries: { localId: string; sharePct: number }[];
  /** Heads a per-head premium is charged for. */
  heads: number;
}

export function partiesFor(ctx: SimContext, record: ClientRecord, code: string): Parties {
  const entity = record.entity;
  if (entity.kind === 'organization') return companyParties(record, entity, code);
  if (record.subsidiary !== 'life') return { insured: [record], beneficiaries: [], heads: 1 };
  const kids = entity.household.children.map((c) => c.records.life).filter((r): r is ClientRecord => r !== undefined);
  if (code === 'CI05') return { insured: kids.length > 0 ? [ctx.rng.pick(kids)] : [], beneficiaries: [], heads: 1 };
  const spouse = entity.role === 'head' ? entity.household.spouse : entity.household.head;
  const family = [spouse?.records.life, ...kids].filter((r): r is ClientRecord => r !== undefined && r !== record);
  const names = family.length > 0 && !profileOf(code).term.renewable && ctx.rng.chance(0.4);
  return { insured: [record], beneficiaries: names ? equalShares(family.map((r) => r.localId)) : [], heads: 1 };
}

/** Group cover insures the registered employees; P&C cover insures the company itself. */
function companyParties(record: ClientRecord, company: Company, code: string): Parties {
  if (record.subsidiary !== 'group') return { insured: [record], beneficiaries: [], heads: code === 'LIA02' ? LIA02_HEADS[company.size] : 1 };
  const insured = company.employees.map((e) => e.records.group).filter((r): r is ClientRecord => r !== undefined).slice(0, MAX_INSURED);
  return { insured, beneficiaries: [], heads: insured.length };
}
