/**
 * Every random choice of the simulator goes through one Random built on the contracts'
 * seeded generator, so a seed reproduces the whole plan, request for request.
 */
import { type Rng, seededRng } from '@lib/contracts';

interface WeightTable {
  keys: string[];
  cumulative: number[];
  total: number;
}

// Weight tables are module constants drawn from hundreds of thousands of times per plan.
const TABLES = new WeakMap<object, WeightTable>();

function cumulativeTable(weights: Readonly<Record<string, number | undefined>>): WeightTable {
  const keys: string[] = [];
  const cumulative: number[] = [];
  let total = 0;
  for (const [key, weight] of Object.entries(weights)) {
    total += weight ?? 0;
    keys.push(key);
    cumulative.push(total);
  }
  return { keys, cumulative, total };
}

export class Random {
  readonly next: Rng;

  constructor(seed: number) {
    this.next = seededRng(seed);
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks a key with probability proportional to its weight (pass constant tables: they are cached). */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    let table = TABLES.get(weights);
    if (!table) TABLES.set(weights, (table = cumulativeTable(weights)));
    const roll = this.next() * table.total;
    for (let i = 0; i < table.keys.length; i++) if (roll < table.cumulative[i]) return table.keys[i] as K;
    return table.keys[table.keys.length - 1] as K;
  }

  /** Digits as a string, e.g. for phone numbers. */
  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }

  /** A fresh independent stream (e.g. for a sample), derived deterministically from this one. */
  fork(): Random {
    return new Random(Math.floor(this.next() * 2 ** 32));
  }

  /** k distinct items, order random (partial Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], k: number): T[] {
    const copy = [...items];
    const n = Math.min(k, copy.length);
    for (let i = 0; i < n; i++) {
      const j = i + Math.floor(this.next() * (copy.length - i));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, n);
  }
}
