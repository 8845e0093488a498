/**
 * What every generation step shares: options, the one Random, the calendar, the
 * catalogues, the request builder, id counters and the tallies behind the ground truth.
 */
import type { Subsidiary } from '@lib/contracts';
import { PlanBuilder } from './builder';
import { Calendar } from './calendar';
import { type Catalogues, DEFAULT_CATALOGUES } from './catalogues';
import { Random } from './random';
import type { PlanOptions } from './types';

export const DEFAULT_PLAN_OPTIONS: Omit<PlanOptions, 'catalogues'> = {
  clients: 50_000,
  agents: 2_000,
  branches: 60,
  seed: 42,
  months: 12,
  start: '2025-07-01',
};

/** The fewest agents that still staff one team (leader + member) in each of the 7 channels. */
export const MIN_AGENTS = 14;

export function resolvePlanOptions(input: Partial<PlanOptions>): PlanOptions {
  const options = { ...DEFAULT_PLAN_OPTIONS, ...input };
  const problems: string[] = [];
  if (!Number.isInteger(options.clients) || options.clients < 20) problems.push('clients must be an integer >= 20');
  if (!Number.isInteger(options.agents) || options.agents < MIN_AGENTS) problems.push(`agents must be an integer >= ${MIN_AGENTS}`);
  if (!Number.isInteger(options.branches) || options.branches < 3) problems.push('branches must be an integer >= 3');
  if (!Number.isInteger(options.months) || options.months < 2 || options.months > 36) problems.push('months must be an integer in 2..36');
  if (!Number.isInteger(options.seed) || options.seed < 0 || options.seed > 0xffffffff) problems.push('seed must be an integer in 0..4294967295');
  if (!/^\d{4}-\d{2}-01$/.test(options.start)) problems.push('start must be the first day of a month, YYYY-MM-01');
  if (problems.length > 0) throw new RangeError(`invalid simulation options: ${problems.join('; ')}`);
  return options;
}

export interface Tally {
  [name: string]: number;
}

export class SimContext {
  readonly rng: Random;
  readonly calendar: Calendar;
  readonly catalogues: Catalogues;
  readonly out: PlanBuilder;
  readonly tally: Tally = {};
  private readonly counters = new Map<string, number>();

  constructor(readonly options: PlanOptions) {
    this.rng = new Random(options.seed);
    this.calendar = new Calendar(options.start, options.months);
    this.catalogues = options.catalogues ?? DEFAULT_CATALOGUES;
    this.out = new PlanBuilder(options.seed);
  }

  count(name: string, by = 1): void {
    this.tally[name] = (this.tally[name] ?? 0) + by;
  }

  /** Next number in a named sequence, starting at 1. */
  next(sequence: string): number {
    const n = (this.counters.get(sequence) ?? 0) + 1;
    this.counters.set(sequence, n);
    return n;
  }

  clientId(sub: Subsidiary): string {
    return `${CLIENT_PREFIX[sub]}-${String(this.next(`client:${sub}`)).padStart(7, '0')}`;
  }

  /** e.g. LP-2025-000123: prefix, year of the effective date, running number. */
  policyNo(sub: Subsidiary, year: string): string {
    return `${POLICY_PREFIX[sub]}-${year}-${String(this.next(`policy:${sub}`)).padStart(6, '0')}`;
  }

  claimNo(sub: Subsidiary, year: string): string {
    return `${POLICY_PREFIX[sub][0]}C-${year}-${String(this.next(`claim:${sub}`)).padStart(6, '0')}`;
  }

  referralId(referring: Subsidiary): string {
    return `R-${POLICY_PREFIX[referring][0]}-${String(this.next(`referral:${referring}`)).padStart(6, '0')}`;
  }

  activityId(sub: Subsidiary): string {
    return `ACT-${POLICY_PREFIX[sub][0]}-${String(this.next(`activity:${sub}`)).padStart(7, '0')}`;
  }
}

const CLIENT_PREFIX: Record<Subsidiary, string> = { life: 'LIFE', pnc: 'PNC', group: 'GRP' };
const POLICY_PREFIX: Record<Subsidiary, string> = { life: 'LP', pnc: 'PP', group: 'GP' };
