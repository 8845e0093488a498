import { bigramJaccard, editDistance } from './normalise';
import { PreparedRecord } from './prepared-record';

export type NameLevel = 'exact' | 'same-pinyin' | 'edit-distance-1' | 'disagree';

export function compareName(a: PreparedRecord, b: PreparedRecord): NameLevel | null {
  if (!a.name || !b.name) return null;
  if (a.name === b.name) return 'exact';
  if (a.pinyin && a.pinyin === b.pinyin) return 'same-pinyin';
  const sameLength = [...a.name].length === [...b.name].length;
  return sameLength && editDistance(a.name, b.name) === 1 ? 'edit-distance-1' : 'disagree';
}

/** "near": one digit mistyped, or month and day swapped (a common keying error). */
export function compareBirthDate(a: string | null, b: string | null): 'exact' | 'near' | 'disagree' | null {
  if (!a || !b) return null;
  if (a === b) return 'exact';
  const da = a.replace(/\D/g, '');
  const db = b.replace(/\D/g, '');
  if (da.length !== 8 || db.length !== 8) return 'disagree';
  const swapped = da.slice(0, 4) + da.slice(6, 8) + da.slice(4, 6) === db;
  return swapped || editDistance(da, db) === 1 ? 'near' : 'disagree';
}

export function compareAddress(a: string | null, b: string | null): 'high' | 'medium' | 'disagree' | null {
  if (!a || !b) return null;
  const j = bigramJaccard(a, b);
  return j >= 0.75 ? 'high' : j >= 0.45 ? 'medium' : 'disagree';
}
