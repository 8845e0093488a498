/**
 * What happens to a policy during the period: renewals (credit follows the agent who
 * services it then), endorsements, claims, and at most one exit (cancellation, some in
 * the free-look window, or a lapse that may be reinstated). Pure planning: the events
 * come back dated and ordered; policies.ts turns them into requests.
 */
import { addYears, isoDate } from './calendar';
import type { SimContext } from './context';
import { drawClaimCount, profileOf } from './premiums';
import type { PolicyDraft } from './types';

export type LifecycleEvent =
  | { kind: 'renew'; day: number; newExpiryDay: number }
  | { kind: 'endorse'; day: number }
  | { kind: 'cancel'; day: number; freeLook: boolean }
  | { kind: 'lapse'; day: number }
  | { kind: 'reinstate'; day: number }
  | { kind: 'claim'; day: number; lossDay: number; claimNo: string; settleDay: number | null; claimantLocalId: string };

/** Life policies may be returned within 15 days of the start of cover (cooling-off). */
export const FREE_LOOK_DAYS = 15;

interface Exit {
  events: LifecycleEvent[];
  /** Last day the policy is in force (exclusive bound for other events). */
  until: number;
}

export function planLifecycle(ctx: SimContext, d: PolicyDraft): LifecycleEvent[] {
  const { calendar } = ctx;
  const from = Math.max(d.effectiveDay, calendar.startDay);
  const exit = planExit(ctx, d, from);
  const renewals = planRenewals(ctx, d, exit.until);
  const coverEnd = Math.min(exit.until, renewals.coverEnd, calendar.endDay);
  const events: LifecycleEvent[] = [...exit.events, ...renewals.events];
  // A lapsed policy cannot be endorsed, so an endorsement comes before any lapse.
  const endorsableUntil = Math.min(coverEnd, (exit.events.find((e) => e.kind === 'lapse')?.day ?? Infinity) - 1);
  if (endorsableUntil - from > 20 && ctx.rng.chance(0.04)) events.push({ kind: 'endorse', day: ctx.rng.int(from + 10, endorsableUntil) });
  events.push(...planClaims(ctx, d, from, coverEnd));
  return events.filter((e) => e.day >= calendar.startDay && e.day <= calendar.endDay).sort((a, b) => a.day - b.day || order(a) - order(b));
}

/** Same-day events: a claim before the exit, a lapse before its reinstatement. */
function order(e: LifecycleEvent): number {
  return { renew: 0, endorse: 1, claim: 2, lapse: 3, reinstate: 4, cancel: 5 }[e.kind];
}

function planExit(ctx: SimContext, d: PolicyDraft, from: number): Exit {
  const { rng, calendar } = ctx;
  const end = calendar.endDay;
  const longTermLife = d.subsidiary === 'life' && !profileOf(d.productCode).term.renewable;
  const cancelRate = d.beforePeriod ? 0.01 : longTermLife ? 0.03 : 0.02;
  if (rng.chance(cancelRate)) {
    const freeLook = longTermLife && !d.beforePeriod && rng.chance(2 / 3);
    const day = freeLook ? d.effectiveDay + rng.int(3, FREE_LOOK_DAYS - 1) : from + rng.int(30, 240);
    if (day <= end && day <= d.expiryDay) return { events: [{ kind: 'cancel', day, freeLook }], until: day };
  }
  if (longTermLife && d.mode !== 'SINGLE' && rng.chance(0.03)) {
    const day = Math.max(d.effectiveDay + 90, from + rng.int(0, 200));
    if (day <= end) {
      const back = day + rng.int(30, 120);
      if (back <= end && rng.chance(0.35)) return { events: [{ kind: 'lapse', day }, { kind: 'reinstate', day: back }], until: end + 1 };
      return { events: [{ kind: 'lapse', day }], until: day };
    }
  }
  return { events: [], until: end + 1 };
}

/** One-year cover renews at each anniversary in the period; about one in eight is not renewed. */
function planRenewals(ctx: SimContext, d: PolicyDraft, until: number): { events: LifecycleEvent[]; coverEnd: number } {
  if (!profileOf(d.productCode).term.renewable) return { events: [], coverEnd: d.expiryDay };
  const events: LifecycleEvent[] = [];
  let coverEnd = d.expiryDay;
  for (let year = 1; ; year++) {
    const anniversary = addYears(d.effectiveDay, year);
    if (anniversary > ctx.calendar.endDay || anniversary >= until) break;
    if (!ctx.rng.chance(0.88)) break;
    coverEnd = addYears(d.effectiveDay, year + 1) - 1;
    events.push({ kind: 'renew', day: anniversary, newExpiryDay: coverEnd });
  }
  return { events, coverEnd };
}

function planClaims(ctx: SimContext, d: PolicyDraft, from: number, coverEnd: number): LifecycleEvent[] {
  const { rng, calendar } = ctx;
  if (d.claimRate === 0 || coverEnd < from) return [];
  const count = drawClaimCount(rng, d.productCode, d.insuredLocalIds.length, (coverEnd - from + 1) / 365);
  const claims: LifecycleEvent[] = [];
  for (let i = 0; i < count; i++) {
    const lossDay = rng.int(from, coverEnd);
    const day = Math.min(lossDay + rng.int(0, 5), calendar.endDay);
    const settle = day + rng.int(5, 45);
    claims.push({
      kind: 'claim', day, lossDay, claimNo: ctx.claimNo(d.subsidiary, isoDate(day).slice(0, 4)),
      settleDay: settle <= calendar.endDay && rng.chance(0.85) ? settle : null, claimantLocalId: rng.pick(d.insuredLocalIds),
    });
  }
  return claims;
}
