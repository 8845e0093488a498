/**
 * Chinese names, phones, e-mails and addresses from faker's zh_CN word lists, drawn
 * with the plan's own Random (one seed for everything, and far faster than faker's
 * template engine). Also the noise subsidiaries really send: homophone typos and
 * traditional characters for the same person.
 */
import { fakerZH_CN } from '@faker-js/faker';
import * as OpenCC from 'opencc-js';
import type { Random } from './random';

type WordList = string[] | { generic?: string[]; male?: string[]; female?: string[] };
const DEFINITIONS = fakerZH_CN.rawDefinitions;

function words(list: WordList | undefined, key: 'generic' | 'male' | 'female' = 'generic'): string[] {
  if (!list) return [];
  if (Array.isArray(list)) return list;
  return list[key] ?? list.generic ?? [];
}

const SURNAMES = words(DEFINITIONS.person?.last_name as WordList).filter((s) => s.length === 1 || s.length === 2);
const GIVEN = { M: words(DEFINITIONS.person?.first_name as WordList, 'male'), F: words(DEFINITIONS.person?.first_name as WordList, 'female') };
const PROVINCES = (DEFINITIONS.location?.state as string[] | undefined) ?? ['北京市'];
const CITIES = (DEFINITIONS.location?.city_name as string[] | undefined) ?? ['北京'];
const STREETS = (DEFINITIONS.location?.street_name as string[] | undefined) ?? ['人民路'];
const EMAIL_DOMAINS = (DEFINITIONS.internet?.free_email as string[] | undefined) ?? ['qq.com'];
const COMPANY_CATEGORIES = (DEFINITIONS.company?.category as string[] | undefined) ?? ['物流'];
const LEGAL_FORMS = ['有限公司', '有限责任公司', '股份有限公司', '集团有限公司'];

/** Industry slugs (the contract wants lower-case latin) for faker's company categories. */
const INDUSTRY: Record<string, string> = {
  传媒: 'media', 保险: 'insurance', 印刷: 'printing', 建设: 'construction', 旅游发展: 'tourism', 林业: 'forestry',
  水产: 'fisheries', 燃气: 'gas-utilities', 物流: 'logistics', 电力: 'power-utilities', 矿业: 'mining',
  网络科技: 'internet-technology', 运输: 'transportation', 食品: 'food',
};

/** Given-name characters that are typed for one another (same pinyin). */
const HOMOPHONES: Record<string, string> = {
  伟: '玮', 玮: '伟', 静: '婧', 婧: '静', 丽: '莉', 莉: '丽', 明: '铭', 铭: '明', 华: '桦', 军: '君', 芳: '方', 敏: '闽',
  杰: '洁', 洁: '杰', 涛: '韬', 磊: '垒', 婷: '亭', 娜: '纳', 辉: '晖', 晖: '辉', 轩: '萱', 宇: '雨', 雨: '宇', 博: '波',
  文: '雯', 雯: '文', 思: '斯', 涵: '晗', 浩: '皓', 皓: '浩', 俊: '峻', 峻: '俊', 嘉: '佳', 佳: '嘉', 欣: '馨', 馨: '欣',
};

export interface PersonName {
  surname: string;
  given: string;
}

export function personName(rng: Random, gender: 'M' | 'F', surname?: string): PersonName {
  const list = GIVEN[gender];
  let given = rng.pick(list);
  // Faker's list is short; two halves of different names give realistic variety.
  if (rng.chance(0.5)) given = `${rng.pick(list)[0]}${rng.pick(list).slice(-1)}`;
  return { surname: surname ?? rng.pick(SURNAMES), given };
}

export function mobile(rng: Random): string {
  return `1${rng.pick(['3', '5', '7', '8', '9'])}${rng.digits(9)}`;
}

export function email(rng: Random): string {
  return `${rng.int(1, 9)}${rng.digits(rng.int(5, 9))}@${rng.pick(EMAIL_DOMAINS)}`;
}

export function address(rng: Random): string {
  const province = rng.pick(PROVINCES);
  const city = rng.pick(CITIES);
  return `${province}${city}市${rng.pick(STREETS)}${rng.int(1, 999)}号${rng.int(1, 30)}栋${rng.int(101, 2804)}室`;
}

export function companyName(rng: Random): { name: string; industry: string } {
  const category = rng.pick(COMPANY_CATEGORIES);
  const brand = `${rng.pick(GIVEN.M)[0]}${rng.pick(GIVEN.F).slice(-1)}`;
  return { name: `${rng.pick(CITIES)}${brand}${category}${rng.pick(LEGAL_FORMS)}`, industry: INDUSTRY[category] ?? 'general-business' };
}

/** One given-name character swapped for a homophone, or for another name character. */
export function typoName(rng: Random, name: PersonName): string {
  const chars = [...name.given];
  const at = chars.findIndex((c) => HOMOPHONES[c] !== undefined);
  if (at >= 0) chars[at] = HOMOPHONES[chars[at]];
  else chars[chars.length - 1] = rng.pick(GIVEN.F.filter((g) => !g.endsWith(chars[chars.length - 1]))).slice(-1);
  return name.surname + chars.join('');
}

let converter: ((text: string) => string) | null = null;

/** The name in traditional characters, or null when it reads the same in both scripts. */
export function traditionalName(name: PersonName): string | null {
  const toTraditional = (converter ??= OpenCC.Converter({ from: 'cn', to: 'tw' }));
  const plain = name.surname + name.given;
  const converted = toTraditional(plain);
  return converted === plain ? null : converted;
}
