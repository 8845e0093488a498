/**
 * Policy requests: the issuance, then its lifecycle in waves after it, one request of
 * a policy per wave so the subsidiary service always sees them in order.
 */
import type { AgentRoster } from './agents';
import { isoDate, isoDateTime, LIFECYCLE_SLOTS, SLOT } from './calendar';
import type { SimContext } from './context';
import { type LifecycleEvent, planLifecycle } from './lifecycle';
import { money, profileOf } from './premiums';
import type { PolicyDraft } from './types';

export function emitPolicies(ctx: SimContext, roster: AgentRoster, drafts: PolicyDraft[]): void {
  for (const draft of drafts) {
    issue(ctx, draft);
    let last = draft.wave;
    let inForceUntil = Infinity;
    for (const event of planLifecycle(ctx, draft)) {
      const wave = lifecycleWave(ctx, last, event.day);
      if (wave === null) break;
      emitEvent(ctx, roster, draft, event, wave);
      if (event.kind === 'cancel' || event.kind === 'lapse') inForceUntil = event.day;
      if (event.kind === 'reinstate') inForceUntil = Infinity;
      last = wave;
    }
    countOrphan(ctx, roster, draft, inForceUntil);
  }
}

/** The first lifecycle slot after `after`, in the event's month or later; null past the period. */
function lifecycleWave(ctx: SimContext, after: number, day: number): number | null {
  const { calendar } = ctx;
  for (let month = Math.max(calendar.monthOf(day), 0); month < calendar.months; month++) {
    for (let k = 0; k < LIFECYCLE_SLOTS; k++) {
      const wave = calendar.wave(month, SLOT.lifecycle + k);
      if (wave > after) return wave;
    }
  }
  return null;
}

function issue(ctx: SimContext, d: PolicyDraft): void {
  const body = {
    policyNo: d.policyNo, productCode: d.productCode, holderLocalId: d.holderLocalId, insuredLocalIds: d.insuredLocalIds,
    ...(d.beneficiaries.length > 0 ? { beneficiaries: d.beneficiaries } : {}),
    premium: { amount: money(d.amountFen), currency: 'CNY', mode: d.mode },
    effectiveDate: isoDate(d.effectiveDay), expiryDate: isoDate(d.expiryDay),
    sellingAgentId: d.sellingAgentId, servicingAgentId: d.servicingAgentId, channel: d.channel, localChannelCode: d.localChannelCode,
    referralId: d.referralId,
  };
  ctx.out.intake(d.subsidiary, 'IssuePolicy', d.wave, body, { entityKey: d.policyNo });
  ctx.count('policies.issued');
}

function emitEvent(ctx: SimContext, roster: AgentRoster, d: PolicyDraft, event: LifecycleEvent, wave: number): void {
  const { rng, calendar } = ctx;
  const spec = (suffix: string) => ({ target: d.policyNo, entityKey: `${d.policyNo}-${suffix}` });
  switch (event.kind) {
    case 'renew': {
      const servicer = roster.servicerAt(d.servicingAgentId, Math.max(calendar.monthOf(event.day), 0));
      const amount = Math.max(100, Math.round(d.amountFen * (0.9 + rng.next() * 0.2)));
      const body = {
        newEffectiveDate: isoDate(event.day), newExpiryDate: isoDate(event.newExpiryDay),
        premium: { amount: money(amount), currency: 'CNY', mode: d.mode }, servicingAgentId: servicer,
      };
      ctx.out.intake(d.subsidiary, 'RenewPolicy', wave, body, spec(`R${isoDate(event.day)}`));
      return ctx.count('policies.renewals');
    }
    case 'endorse':
      ctx.out.intake(d.subsidiary, 'EndorsePolicy', wave, endorsement(ctx, d, event.day), spec('E1'));
      return ctx.count('policies.endorsements');
    case 'cancel':
      ctx.out.intake(d.subsidiary, 'CancelPolicy', wave, cancellation(ctx, d, event.day, event.freeLook), spec('C'));
      ctx.count('policies.cancellations');
      return event.freeLook ? ctx.count('policies.freeLookCancellations') : undefined;
    case 'lapse':
      ctx.out.intake(d.subsidiary, 'LapsePolicy', wave, { effectiveDate: isoDate(event.day), reason: 'premium unpaid after the 60-day grace period' }, spec('L'));
      return ctx.count('policies.lapses');
    case 'reinstate':
      ctx.out.intake(d.subsidiary, 'ReinstatePolicy', wave, { effectiveDate: isoDate(event.day) }, spec('RI'));
      return ctx.count('policies.reinstatements');
    case 'claim':
      return claim(ctx, d, event, wave);
  }
}

const ENDORSEMENT_DIRECTIONS = { none: 50, up: 30, down: 20 };
const ENDORSEMENT_REASONS = {
  none: ['address changed', 'beneficiary changed', 'contact details corrected', 'payment account changed'],
  up: ['sum assured increased', 'rider added', 'cover extended'],
  down: ['sum assured reduced', 'rider removed'],
};

function endorsement(ctx: SimContext, d: PolicyDraft, day: number): Record<string, unknown> {
  const { rng } = ctx;
  const direction = rng.weighted(ENDORSEMENT_DIRECTIONS);
  const delta = direction === 'none' ? 0 : Math.round(d.amountFen * (0.05 + rng.next() * 0.15)) * (direction === 'up' ? 1 : -1);
  return { endorsementNo: `${d.policyNo}-E1`, effectiveDate: isoDate(day), premiumDelta: delta === 0 ? '0.00' : money(delta), reason: rng.pick(ENDORSEMENT_REASONS[direction]) };
}

/** Free-look returns the premium in full; otherwise the unexpired part (or a surrender value). */
function cancellation(ctx: SimContext, d: PolicyDraft, day: number, freeLook: boolean): Record<string, unknown> {
  const term = Math.max(1, Math.min(d.expiryDay, d.effectiveDay + 365) - d.effectiveDay);
  const unexpired = Math.max(0, Math.min(1, (d.effectiveDay + term - day) / term));
  const share = freeLook ? 1 : d.subsidiary === 'life' && term >= 365 ? 0.1 + ctx.rng.next() * 0.6 : unexpired;
  const reason = freeLook ? 'cooling-off withdrawal' : ctx.rng.pick(['surrender at the holder\'s request', 'vehicle sold', 'company closed the site', 'replaced by another policy']);
  return { effectiveDate: isoDate(day), reason, refund: money(Math.round(d.amountFen * share)) };
}

function claim(ctx: SimContext, d: PolicyDraft, event: Extract<LifecycleEvent, { kind: 'claim' }>, wave: number): void {
  const { rng } = ctx;
  const { claimAmount } = profileOf(d.productCode);
  const claimed = rng.int(claimAmount[0] * 100, claimAmount[1] * 100);
  const report = {
    claimNo: event.claimNo, policyNo: d.policyNo, reportedAt: isoDateTime(event.day, rng.int(8 * 60, 20 * 60)),
    amountClaimed: money(claimed), lossDate: isoDate(event.lossDay), claimantLocalId: event.claimantLocalId,
  };
  ctx.out.intake(d.subsidiary, 'ReportClaim', wave, report, { entityKey: event.claimNo });
  ctx.count('policies.claimsReported');
  if (event.settleDay === null) return;
  const settleWave = lifecycleWave(ctx, wave, event.settleDay);
  if (settleWave === null) return;
  const paid = rng.chance(0.1) ? 0 : Math.round(claimed * (0.6 + rng.next() * 0.4));
  const settlement = { policyNo: d.policyNo, settledAt: isoDateTime(event.settleDay, rng.int(9 * 60, 18 * 60)), amountPaid: money(paid) };
  ctx.out.intake(d.subsidiary, 'SettleClaim', settleWave, settlement, { target: event.claimNo, entityKey: event.claimNo });
  ctx.count('policies.claimsSettled');
}

/** A policy still in force when its servicing agent leaves becomes an orphan to reassign. */
function countOrphan(ctx: SimContext, roster: AgentRoster, d: PolicyDraft, inForceUntil: number): void {
  const agent = roster.get(d.servicingAgentId);
  if (agent.termMonth === null) return;
  const leaves = ctx.calendar.monthEnd(agent.termMonth);
  if (inForceUntil > leaves && d.expiryDay > leaves && d.effectiveDay <= leaves) ctx.count('orphanPolicies');
}
