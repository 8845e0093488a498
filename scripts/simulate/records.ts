/**
 * The subsidiaries' own client records of the true entities: when each subsidiary
 * acquired the client, which agent owns it, and the name as that subsidiary typed it.
 */
import type { Channel, Subsidiary } from '@lib/contracts';
import { SETUP_WAVES, SLOT } from './calendar';
import type { AgentRoster } from './agents';
import type { SimContext } from './context';
import { traditionalName, typoName } from './names';
import type { ClientRecord, Company, Entity, Person, Population } from './population';

const SUB_ORDER: Subsidiary[] = ['life', 'pnc', 'group'];
const PERSON_CHANNELS: Record<'life' | 'pnc', Partial<Record<Channel, number>>> = {
  life: { AGENCY: 0.72, BANCASSURANCE: 0.16, TELESALES: 0.12 },
  pnc: { AGENCY: 0.4, BROKER: 0.35, DIRECT: 0.25 },
};
const COMPANY_CHANNELS: Record<Subsidiary, Partial<Record<Channel, number>>> = {
  life: { AGENCY: 1 },
  pnc: { BROKER: 0.6, AGENCY: 0.4 },
  group: { GROUP_ACCOUNT: 1 },
};

/** Most of the book existed before the period; the rest is acquired month by month. */
export function drawAcquisition(ctx: SimContext): number {
  return ctx.rng.chance(0.7) ? -1 : ctx.rng.int(0, ctx.calendar.months - 1);
}

export function registrationWave(ctx: SimContext, acqMonth: number, slot: number = SLOT.register): number {
  return acqMonth < 0 ? SETUP_WAVES.clients : ctx.calendar.wave(acqMonth, slot);
}

export function openRecord(ctx: SimContext, entity: Entity, sub: Subsidiary, acqMonth: number, ownerId: string, registeredWave?: number): ClientRecord {
  const record: ClientRecord = {
    subsidiary: sub, localId: ctx.clientId(sub), entity, acqMonth,
    registeredWave: registeredWave ?? registrationWave(ctx, acqMonth),
    ownerId, name: entity.kind === 'person' ? entity.name.surname + entity.name.given : entity.name, variant: 'none', noIdentity: false,
  };
  if (entity.kind === 'person' && Object.keys(entity.records).length > 0) applyNameNoise(ctx, entity, record);
  entity.records[sub] = record;
  return record;
}

/** A second or third subsidiary sometimes holds a homophone typo or traditional script. */
function applyNameNoise(ctx: SimContext, person: Person, record: ClientRecord): void {
  const roll = ctx.rng.next();
  if (roll < 0.06) {
    record.name = typoName(ctx.rng, person.name);
    record.variant = 'typo';
  } else if (roll < 0.1) {
    const traditional = traditionalName(person.name);
    if (traditional) {
      record.name = traditional;
      record.variant = 'traditional';
    }
  }
}

export function openRecords(ctx: SimContext, population: Population, roster: AgentRoster): void {
  for (const person of population.persons) if (person.role === 'head') openHousehold(ctx, person, roster);
  for (const company of population.companies) openCompany(ctx, company, roster);
}

/** One life agent looks after the whole family; other subsidiaries know each adult on their own. */
function openHousehold(ctx: SimContext, head: Person, roster: AgentRoster): void {
  const { household } = head;
  const members = [head, ...(household.spouse ? [household.spouse] : []), ...household.children];
  const lifeMembers = members.filter((p) => p.memberships.has('life'));
  if (lifeMembers.length > 0) {
    const acq = drawAcquisition(ctx);
    const owner = roster.pickActive('life', ctx.rng.weighted(PERSON_CHANNELS.life), acq);
    for (const person of lifeMembers) openRecord(ctx, person, 'life', acq, owner.agentId);
  }
  for (const person of members) {
    if (person.memberships.has('pnc')) {
      const acq = drawAcquisition(ctx);
      openRecord(ctx, person, 'pnc', acq, roster.pickActive('pnc', ctx.rng.weighted(PERSON_CHANNELS.pnc), acq).agentId);
    }
  }
}

/** A company and its insured employees enter group together; its P&C business has its own history. */
function openCompany(ctx: SimContext, company: Company, roster: AgentRoster): void {
  for (const sub of SUB_ORDER) {
    if (!company.memberships.has(sub)) continue;
    const acq = drawAcquisition(ctx);
    const owner = roster.pickActive(sub, ctx.rng.weighted(COMPANY_CHANNELS[sub]), acq);
    openRecord(ctx, company, sub, acq, owner.agentId);
    if (sub !== 'group') continue;
    for (const employee of company.employees) openRecord(ctx, employee, 'group', acq, owner.agentId);
  }
}

/** The record a subsidiary would hold first for this entity (the one the others are compared with). */
export function primaryRecord(entity: Entity): ClientRecord {
  for (const sub of SUB_ORDER) if (entity.records[sub]) return entity.records[sub]!;
  throw new Error(`entity ${entity.id} has no record`);
}
