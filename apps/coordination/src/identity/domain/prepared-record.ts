import { SourceClientRecord } from './identity.types';
import {
  namePinyin,
  normaliseAddress,
  normaliseEmail,
  normaliseName,
  normaliseOrgName,
  normalisePhone,
} from './normalise';

/** A record normalised once for comparison (pinyin conversion is the costly part). */
export interface PreparedRecord {
  name: string;
  pinyin: string;
  orgName: string;
  birthDate: string | null;
  gender: string | null;
  phones: string[];
  emails: string[];
  address: string | null;
}

// Memoised by object identity: callers compare one record against many candidates.
const cache = new WeakMap<SourceClientRecord, PreparedRecord>();

export function prepare(record: SourceClientRecord): PreparedRecord {
  const hit = cache.get(record);
  if (hit) return hit;
  const name = normaliseName(record.name);
  const prepared: PreparedRecord = {
    name,
    pinyin: record.kind === 'person' ? namePinyin(name) : '',
    orgName: record.kind === 'organization' ? normaliseOrgName(record.name) : '',
    birthDate: record.birthDate?.trim() || null,
    gender: record.gender ?? null,
    phones: unique(record.phones.map(normalisePhone)),
    emails: unique(record.emails.map(normaliseEmail)),
    address: record.address ? normaliseAddress(record.address) || null : null,
  };
  cache.set(record, prepared);
  return prepared;
}

const unique = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => !!x))];

/**
 * Blocking keys: only records sharing one are compared, which keeps candidate
 * search far from O(n²). Phone, e-mail, birth date + surname sound, full-name sound.
 */
export function blockingKeys(record: SourceClientRecord): string[] {
  const p = prepare(record);
  const surname = p.pinyin.split(' ')[0] ?? '';
  return [
    ...p.phones.map((x) => `phone:${x}`),
    ...p.emails.map((x) => `email:${x}`),
    ...(p.birthDate ? [`dob:${p.birthDate}:${surname}`] : []),
    ...(p.pinyin ? [`pinyin:${p.pinyin}`] : []),
    ...(p.orgName ? [`org:${p.orgName}`] : []),
  ];
}
