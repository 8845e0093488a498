/**
 * The group's true clients: persons in households and companies with employees, and
 * which subsidiaries know each of them. Records (the subsidiaries' partial pictures)
 * are made in records.ts; this file is the ground truth they are drawn from.
 */
import { generateCreditCode, generateResidentId, type ProductLine, type Subsidiary } from '@lib/contracts';
import { addYears, isoDate } from './calendar';
import type { SimContext } from './context';
import { address, companyName, email, mobile, type PersonName, personName } from './names';

export interface ClientRecord {
  subsidiary: Subsidiary;
  localId: string;
  entity: Entity;
  /** -1: an existing client before the period. */
  acqMonth: number;
  registeredWave: number;
  ownerId: string;
  /** The name as this subsidiary holds it (typos, traditional script). */
  name: string;
  variant: 'none' | 'typo' | 'traditional';
  noIdentity: boolean;
}

interface EntityBase {
  id: number;
  phone: string;
  address: string;
  records: Partial<Record<Subsidiary, ClientRecord>>;
  /** Subsidiaries to register the entity with (filled before records are made). */
  memberships: Set<Subsidiary>;
  heldLines: Set<ProductLine>;
  holderSubs: Set<Subsidiary>;
  /** Annualised premium held, in fen: kept under the top-strategic threshold (see portfolio.ts). */
  annualFen: number;
}

export interface Person extends EntityBase {
  kind: 'person';
  name: PersonName;
  gender: 'M' | 'F';
  birthDate: string;
  residentId: string;
  email: string | null;
  household: Household;
  role: 'head' | 'spouse' | 'child';
  employer: Company | null;
}

export interface Company extends EntityBase {
  kind: 'organization';
  name: string;
  industry: string;
  size: 'micro' | 'small' | 'medium' | 'large';
  creditCode: string;
  employees: Person[];
}

export type Entity = Person | Company;

export interface Household {
  head: Person;
  spouse: Person | null;
  children: Person[];
}

export interface Population {
  persons: Person[];
  companies: Company[];
  entities: Entity[];
}

const MEMBERSHIP_WEIGHTS = { life: 44, pnc: 30, 'life+pnc': 12, group: 6, 'life+group': 4, 'pnc+group': 2, 'life+pnc+group': 2 };
const SIZE_WEIGHTS = { micro: 40, small: 35, medium: 18, large: 7 } as const;
/** How strongly a company of each size attracts the employees the group insures. */
const EMPLOYER_PULL = { micro: 1, small: 3, medium: 8, large: 20 } as const;

export function buildPopulation(ctx: SimContext): Population {
  const organizations = Math.max(1, Math.round(ctx.options.clients * 0.03));
  const persons = buildPersons(ctx, ctx.options.clients - organizations);
  const companies = Array.from({ length: organizations }, () => newCompany(ctx, persons.length));
  companies.forEach((c, i) => (c.id = persons.length + i));
  assignEmployers(ctx, persons, companies);
  return { persons, companies, entities: [...persons, ...companies] };
}

function buildPersons(ctx: SimContext, count: number): Person[] {
  const { rng } = ctx;
  const persons: Person[] = [];
  while (persons.length < count) {
    const head = newPerson(ctx, persons.length, rng.chance(0.55) ? 'M' : 'F', 25, 65);
    const household: Household = { head, spouse: null, children: [] };
    head.household = household;
    persons.push(head);
    if (persons.length < count && rng.chance(0.45)) addFamily(ctx, household, persons, count);
    drawMemberships(ctx, household);
  }
  return persons;
}

function addFamily(ctx: SimContext, household: Household, persons: Person[], count: number): void {
  const { rng } = ctx;
  const { head } = household;
  const spouse = newPerson(ctx, persons.length, head.gender === 'M' ? 'F' : 'M', 25, 65, undefined, head);
  spouse.household = household;
  spouse.role = 'spouse';
  household.spouse = spouse;
  persons.push(spouse);
  const father = head.gender === 'M' ? head : spouse;
  const kids = rng.chance(0.55) ? rng.int(1, 2) : 0;
  for (let k = 0; k < kids && persons.length < count; k++) {
    const child = newPerson(ctx, persons.length, rng.chance(0.5) ? 'M' : 'F', 1, 19, father.name.surname);
    child.household = household;
    child.role = 'child';
    child.address = head.address;
    child.phone = head.phone;
    household.children.push(child);
    persons.push(child);
  }
}

function newPerson(ctx: SimContext, id: number, gender: 'M' | 'F', minAge: number, maxAge: number, surname?: string, partner?: Person): Person {
  const { rng, calendar } = ctx;
  const latest = addYears(calendar.startDay, -minAge);
  const earliest = addYears(calendar.startDay, -maxAge);
  const birthDate = isoDate(rng.int(earliest, latest));
  const person: Person = {
    id, kind: 'person', name: personName(rng, gender, surname), gender, birthDate,
    residentId: generateResidentId(rng.next, { birthDate, gender }),
    phone: mobile(rng), email: rng.chance(0.45) ? email(rng) : null, address: partner?.address ?? address(rng),
    household: undefined as unknown as Household, role: 'head', employer: null,
    records: {}, memberships: new Set(), heldLines: new Set(), holderSubs: new Set(), annualFen: 0,
  };
  return person;
}

/** Adults draw their subsidiaries; a family with children is a life family (the children are insured there). */
function drawMemberships(ctx: SimContext, household: Household): void {
  const adults = [household.head, household.spouse].filter((p): p is Person => p !== null);
  for (const adult of adults) {
    for (const sub of ctx.rng.weighted(MEMBERSHIP_WEIGHTS).split('+')) adult.memberships.add(sub as Subsidiary);
    if (household.children.length > 0 || (adult.role === 'spouse' && household.head.memberships.has('life'))) adult.memberships.add('life');
  }
  household.children.forEach((c) => c.memberships.add('life'));
}

function newCompany(ctx: SimContext, id: number): Company {
  const { rng } = ctx;
  const { name, industry } = companyName(rng);
  return {
    id, kind: 'organization', name, industry, size: rng.weighted(SIZE_WEIGHTS), creditCode: generateCreditCode(rng.next),
    phone: mobile(rng), address: address(rng), employees: [],
    records: {}, memberships: new Set(), heldLines: new Set(), holderSubs: new Set(), annualFen: 0,
  };
}

/** Group-insured persons are employees of companies; a company with employees is a group client. */
function assignEmployers(ctx: SimContext, persons: Person[], companies: Company[]): void {
  const { rng } = ctx;
  const eligible = companies.filter(() => rng.chance(0.6));
  const cumulative: number[] = [];
  eligible.reduce((sum, c) => (cumulative.push(sum + EMPLOYER_PULL[c.size]), sum + EMPLOYER_PULL[c.size]), 0);
  for (const person of persons) {
    if (!person.memberships.has('group')) continue;
    if (eligible.length === 0) {
      person.memberships.delete('group');
      if (person.memberships.size === 0) person.memberships.add('pnc');
      continue;
    }
    const employer = eligible[lowerBound(cumulative, rng.next() * cumulative[cumulative.length - 1])];
    person.employer = employer;
    employer.employees.push(person);
  }
  for (const company of companies) {
    if (company.employees.length > 0) company.memberships.add('group');
    if (company.employees.length === 0 || rng.chance(0.45)) company.memberships.add('pnc');
  }
}

function lowerBound(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] > value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
