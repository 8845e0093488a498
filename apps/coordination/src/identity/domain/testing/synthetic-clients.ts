/**
 * Seeded synthetic client population with known ground truth, for measuring
 * match quality. Noise mirrors what subsidiaries actually send: homophone and
 * mistyped characters, traditional script, changed phones, missing birth dates,
 * full-width digits, and households that share surname, phone and address.
 */
import { fakerZH_CN as faker } from '@faker-js/faker';
import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';
import { SourceClientRecord, Subsidiary, SUBSIDIARIES } from '../identity.types';

export interface LabelledRecord {
  personId: number;
  record: SourceClientRecord;
}

interface Person {
  id: number;
  surname: string;
  given: string;
  gender: 'M' | 'F';
  birthDate: string;
  phone: string;
  email: string | null;
  address: string;
}

const COMMON_NAMES = ['王伟', '张伟', '王芳', '李伟', '李娜', '张敏', '李静', '王静', '刘伟', '王秀英'];
const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

const mobile = (): string => `1${faker.helpers.arrayElement(['3', '5', '7', '8', '9'])}${faker.string.numeric(9)}`;
const date = (from: number, to: number): string =>
  faker.date.between({ from: `${from}-01-01`, to: `${to}-12-31` }).toISOString().slice(0, 10);
const addressOf = (): string =>
  `${faker.location.state()}${faker.location.city()}${faker.location.street()}${faker.number.int({ min: 1, max: 300 })}号${faker.number.int({ min: 1, max: 30 })}栋${faker.number.int({ min: 101, max: 2804 })}室`;

function newPerson(id: number, household?: Person, relation?: 'spouse' | 'child' | 'sibling'): Person {
  const gender = faker.helpers.arrayElement(['M', 'F'] as const);
  const common = faker.datatype.boolean(0.08) ? faker.helpers.arrayElement(COMMON_NAMES) : null;
  const surname = relation === 'child' || relation === 'sibling' ? household!.surname : common ? common[0] : faker.person.lastName();
  const sharedGiven = relation === 'sibling' && household!.given.length === 2 ? household!.given[0] : null;
  const given = common && !relation
    ? common.slice(1)
    : sharedGiven
      ? sharedGiven + faker.person.firstName(gender === 'M' ? 'male' : 'female').slice(-1)
      : faker.person.firstName(gender === 'M' ? 'male' : 'female');
  const birthYear = relation === 'child' ? [1985, 2010] : [1950, 2000];
  return {
    id, surname, given, gender,
    birthDate: date(birthYear[0], birthYear[1]),
    phone: household && faker.datatype.boolean(0.6) ? household.phone : mobile(),
    email: faker.datatype.boolean(0.5) ? faker.internet.email() : null,
    address: household ? household.address : addressOf(),
  };
}

/** Parents do not give two children (or a child and themselves) the same full name. */
function distinctlyNamed(household: Person[], draw: () => Person): Person {
  let person = draw();
  for (let attempt = 0; attempt < 20 && household.some((p) => p.surname + p.given === person.surname + person.given); attempt++) {
    person = draw();
  }
  return person;
}

/** Characters grouped by toneless pinyin, so a homophone typo can be drawn. */
function homophoneIndex(people: Person[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const ch of new Set(people.flatMap((p) => [...p.given]))) {
    const key = pinyin(ch, { toneType: 'none' });
    index.set(key, [...(index.get(key) ?? []), ch]);
  }
  return index;
}

function mutateName(p: Person, homophones: Map<string, string[]>, pool: string[]): string {
  const chars = [...p.given];
  const i = faker.number.int({ min: 0, max: chars.length - 1 });
  const roll = faker.number.float();
  if (roll < 0.12) {
    const alternatives = (homophones.get(pinyin(chars[i], { toneType: 'none' })) ?? []).filter((c) => c !== chars[i]);
    if (alternatives.length > 0) chars[i] = faker.helpers.arrayElement(alternatives);
  } else if (roll < 0.16) {
    chars[i] = faker.helpers.arrayElement(pool); // a mistyped, unrelated character
  }
  const name = p.surname + chars.join('');
  return faker.datatype.boolean(0.1) ? toTraditional(name) : name;
}

function noisyBirthDate(d: string): string | undefined {
  const roll = faker.number.float();
  if (roll < 0.2) return undefined;
  if (roll < 0.24 && Number(d.slice(8, 10)) <= 12) return `${d.slice(0, 4)}-${d.slice(8, 10)}-${d.slice(5, 7)}`;
  if (roll < 0.27) return d.slice(0, 9) + String((Number(d[9]) + 1) % 10);
  return d;
}

function noisyAddress(a: string): string | undefined {
  const roll = faker.number.float();
  if (roll < 0.1) return undefined;
  if (roll < 0.25) return a.replace(/^.+?[省市]/, ''); // province dropped
  if (roll < 0.3) return toTraditional(a).replace(/(\d+)/g, (n: string) => n.replace(/\d/g, (c: string) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
  return a;
}

function noisyPhones(p: Person): string[] {
  const roll = faker.number.float();
  if (roll < 0.2) return [mobile()];
  if (roll < 0.25) return [`+86 ${p.phone.slice(0, 3)} ${p.phone.slice(3, 7)} ${p.phone.slice(7)}`];
  if (roll < 0.3) return [];
  return [p.phone];
}

function recordOf(p: Person, sub: Subsidiary, seq: number, copy?: { homophones: Map<string, string[]>; pool: string[] }): SourceClientRecord {
  return {
    subsidiary: sub,
    localId: `${sub.toUpperCase()}-${String(seq).padStart(7, '0')}`,
    kind: 'person',
    name: copy ? mutateName(p, copy.homophones, copy.pool) : p.surname + p.given,
    gender: copy && faker.datatype.boolean(0.1) ? undefined : p.gender,
    birthDate: copy ? noisyBirthDate(p.birthDate) : p.birthDate,
    phones: copy ? noisyPhones(p) : [p.phone],
    emails: p.email && (!copy || faker.datatype.boolean(0.5)) ? [copy ? p.email.toUpperCase() : p.email] : [],
    address: copy ? noisyAddress(p.address) : p.address,
    occurredAt: '2026-01-01T00:00:00.000Z',
  };
}

/** `households` persons, each with 0-3 relatives; 60% of people also appear, noisy, in a second subsidiary. */
export function syntheticClients(seed: number, households: number): LabelledRecord[] {
  faker.seed(seed);
  const people: Person[] = [];
  for (let h = 0; h < households; h++) {
    const head = newPerson(people.length);
    people.push(head);
    const relatives = faker.helpers.weightedArrayElement([{ value: 0, weight: 5 }, { value: 1, weight: 2 }, { value: 2, weight: 2 }, { value: 3, weight: 1 }]);
    const household = [head];
    for (let r = 0; r < relatives; r++) {
      const relation = faker.helpers.arrayElement(['spouse', 'child', 'sibling'] as const);
      household.push(distinctlyNamed(household, () => newPerson(people.length + household.length - 1, head, relation)));
    }
    people.push(...household.slice(1));
  }
  const copy = { homophones: homophoneIndex(people), pool: [...new Set(people.flatMap((p) => [...p.given]))] };
  const out: LabelledRecord[] = [];
  for (const p of people) {
    const [first, second] = faker.helpers.shuffle([...SUBSIDIARIES]);
    out.push({ personId: p.id, record: recordOf(p, first, out.length) });
    if (faker.datatype.boolean(0.6)) out.push({ personId: p.id, record: recordOf(p, second, out.length, copy) });
  }
  return out;
}
