import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

// Subsidiaries in Hong Kong/Taiwan-facing channels type traditional characters;
// both conversions are idempotent on simplified input, so running both is safe.
const twToCn = OpenCC.Converter({ from: 'tw', to: 'cn' });
const hkToCn = OpenCC.Converter({ from: 'hk', to: 'cn' });

/** Full-width ASCII (U+FF01..FF5E) and the ideographic space become half-width. */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

export function toSimplified(text: string): string {
  return hkToCn(twToCn(text));
}

/** Name key: trimmed, half-width, simplified, no inner spaces, lower-case latin. */
export function normaliseName(name: string): string {
  return toSimplified(toHalfWidth(name).trim()).replace(/\s+/g, '').replace(/[.・•]/g, '·').toLowerCase();
}

export function namePinyin(normalisedName: string): string {
  return pinyin(normalisedName, { toneType: 'none', type: 'array' }).join(' ').toLowerCase();
}

/** CN mobile as its 11 digits (country prefix dropped); other numbers as bare digits. */
export function normalisePhone(phone: string): string | null {
  const digits = toHalfWidth(phone).replace(/\D/g, '');
  const national = digits.replace(/^(0086|86)(?=1\d{10}$)/, '');
  if (/^1[3-9]\d{9}$/.test(national)) return national;
  return digits.length >= 7 ? digits : null;
}

export function normaliseEmail(email: string): string | null {
  const e = toHalfWidth(email).trim().toLowerCase();
  return e.includes('@') ? e : null;
}

export function normaliseAddress(address: string): string {
  return toSimplified(toHalfWidth(address)).replace(/[\s,，.。、#\-—()（）]/g, '').toLowerCase();
}

function bigrams(text: string): Set<string> {
  const chars = [...text];
  const grams = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i] + chars[i + 1]);
  return grams;
}

/** Character-bigram Jaccard: robust to reordered or abbreviated address parts. */
export function bigramJaccard(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.size === 0 || y.size === 0) return 0;
  let shared = 0;
  for (const g of x) if (y.has(g)) shared++;
  return shared / (x.size + y.size - shared);
}

/** Levenshtein distance over code points (names are short, so O(n·m) is fine). */
export function editDistance(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/** Organisation names: drop legal-form suffixes that subsidiaries write inconsistently. */
export function normaliseOrgName(name: string): string {
  return normaliseName(name).replace(/(股份有限公司|有限责任公司|有限公司|集团|公司)$/u, '');
}
