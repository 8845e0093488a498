/**
 * Client requests: registrations as each subsidiary holds the client, consent to share
 * inside the group (most give it, a few withdraw), later updates of contact details,
 * and the relationships that make households and companies (spouse, child, employee, officer).
 */
import { CONTACT_CHANNELS, CONTACT_TIMES, type Subsidiary } from '@lib/contracts';
import { SLOT, addYears, dayOf, isoDate, isoDateTime } from './calendar';
import type { SimContext } from './context';
import { address, email, mobile } from './names';
import type { ClientRecord, Company, Person, Population } from './population';

const CONSENT_SOURCES = ['app', 'paper-form', 'call-center', 'agent'];
const OFFICER_ROLES = ['CEO', 'CFO', 'COO', 'HR director', 'general manager'];

export function emitClients(ctx: SimContext, population: Population): void {
  for (const entity of population.entities) {
    for (const record of Object.values(entity.records)) {
      register(ctx, record!, registrationBody(ctx, record!), record!.registeredWave, 'RegisterClient');
      consents(ctx, record!);
      if (record!.acqMonth < 0 && ctx.rng.chance(0.03)) update(ctx, record!);
    }
  }
  for (const person of population.persons) if (person.role === 'head') householdLinks(ctx, person);
  for (const company of population.companies) companyLinks(ctx, company);
}

export function registrationBody(ctx: SimContext, record: ClientRecord): Record<string, unknown> {
  const entity = record.entity;
  const contact = contactPreferences(ctx);
  if (entity.kind === 'organization') {
    return { localId: record.localId, kind: 'organization', name: record.name, creditCode: entity.creditCode, industry: entity.industry,
      size: entity.size, phones: [entity.phone], address: entity.address, ...contact };
  }
  if (record.noIdentity) return { localId: record.localId, kind: 'person', name: record.name, gender: 'U', phones: [entity.phone] };
  const adult = entity.role !== 'child';
  return {
    localId: record.localId, kind: 'person', name: record.name, gender: entity.gender,
    ...(record.variant === 'none' || ctx.rng.chance(0.8) ? { birthDate: entity.birthDate } : {}),
    identity: { type: 'RESIDENT_ID', number: entity.residentId },
    phones: adult ? [entity.phone] : [], emails: adult && entity.email ? [entity.email] : [], address: entity.address, ...(adult ? contact : {}),
  };
}

function contactPreferences(ctx: SimContext): Record<string, string> {
  if (!ctx.rng.chance(0.3)) return {};
  return { preferredChannel: ctx.rng.pick(CONTACT_CHANNELS), preferredContactTime: ctx.rng.pick(CONTACT_TIMES) };
}

function register(ctx: SimContext, record: ClientRecord, body: Record<string, unknown>, wave: number, kind: 'RegisterClient' | 'UpdateClient', suffix = ''): void {
  ctx.out.intake(record.subsidiary, kind, wave, body, {
    ...(kind === 'UpdateClient' ? { target: record.localId } : {}),
    entityKey: `${record.localId}${suffix}`,
  });
  ctx.count(kind === 'RegisterClient' ? `records.${record.subsidiary}` : 'clientUpdates');
}

/** Consent is captured at onboarding (before the period for the existing book). */
function consents(ctx: SimContext, record: ClientRecord): void {
  const { rng, calendar } = ctx;
  if (!rng.chance(0.88)) return;
  const day = record.acqMonth < 0 ? calendar.startDay - rng.int(1, 300) : calendar.randomDayIn(rng, record.acqMonth);
  const source = rng.pick(CONSENT_SOURCES);
  const grant = (scope: string, granted: boolean, at: string, wave: number) => {
    ctx.out.intake(record.subsidiary, 'ChangeConsent', wave, { scope, granted, at, source, evidenceRef: `EV-${record.localId}-${scope}` }, {
      target: record.localId, entityKey: `${record.localId}-${scope}-${granted ? 'grant' : 'withdraw'}`,
    });
    ctx.count('consents');
  };
  grant('group-sharing', true, isoDateTime(day, calendar.randomWorkMinute(rng)), record.registeredWave + 1);
  if (rng.chance(0.25)) grant('marketing', true, isoDateTime(day, calendar.randomWorkMinute(rng)), record.registeredWave + 1);
  const later = calendar.firstMonthAfter(record.registeredWave + 1, SLOT.engage);
  if (rng.chance(0.04) && later < calendar.months) {
    const month = rng.int(later, calendar.months - 1);
    grant('group-sharing', false, isoDateTime(calendar.randomDayIn(rng, month), calendar.randomWorkMinute(rng)), calendar.wave(month, SLOT.engage));
  }
}

/** A full snapshot (PUT) with a new phone or address; the identity stays what it was. */
function update(ctx: SimContext, record: ClientRecord): void {
  const { rng, calendar } = ctx;
  const body = { ...registrationBody(ctx, record) };
  if (rng.chance(0.5)) body.phones = [mobile(rng)];
  else if (record.entity.kind === 'person' && !record.noIdentity) body.address = address(rng);
  if (record.entity.kind === 'person' && !record.noIdentity && rng.chance(0.3)) body.emails = [email(rng)];
  register(ctx, record, body, calendar.wave(rng.int(0, calendar.months - 1), SLOT.engage), 'UpdateClient', '-update');
}

function relate(ctx: SimContext, sub: Subsidiary, from: ClientRecord, to: ClientRecord, kind: string, since: number, role?: string): void {
  const wave = Math.max(from.registeredWave, to.registeredWave) + 1;
  const body = { fromLocalId: from.localId, toLocalId: to.localId, kind, since: isoDate(Math.min(since, ctx.calendar.startDay - 1)), ...(role ? { role } : {}) };
  ctx.out.intake(sub, 'DeclareRelationship', wave, body, {
    entityKey: `${from.localId}-${kind}-${to.localId}`,
  });
  ctx.count('relationships');
}

/** "from is <kind> of to": the spouse of the head, each child of each parent life knows. */
function householdLinks(ctx: SimContext, head: Person): void {
  const { spouse, children } = head.household;
  const headLife = head.records.life;
  const spouseLife = spouse?.records.life;
  if (headLife && spouseLife) {
    const married = Math.max(dayOf(head.birthDate), dayOf(spouse!.birthDate));
    relate(ctx, 'life', spouseLife, headLife, 'spouse', addYears(married, 22 + ctx.rng.int(0, 8)));
  }
  for (const child of children) {
    for (const parent of [headLife, spouseLife]) if (parent && child.records.life) relate(ctx, 'life', child.records.life, parent, 'child', dayOf(child.birthDate));
  }
}

function companyLinks(ctx: SimContext, company: Company): void {
  const group = company.records.group;
  if (!group) return;
  company.employees.forEach((employee, i) => {
    const record = employee.records.group;
    if (!record) return;
    const since = ctx.calendar.startDay - ctx.rng.int(30, 3000);
    if (i === 0) relate(ctx, 'group', record, group, 'officer-of', since, ctx.rng.pick(OFFICER_ROLES));
    else if (ctx.rng.chance(0.4)) relate(ctx, 'group', record, group, 'employee-of', since);
  });
}
