import Decimal from 'decimal.js';
import { ConflictsDomainError } from '../conflicts.errors';
import type { IsoTimestamp } from '../conflicts.types';
import { addDays, toMs } from '../time';
import { DEFAULT_EXCLUSIVITY_WINDOWS, ExclusivityWindows, exclusivityDays } from './exclusivity-window';
import {
  AcceptReferral,
  ConvertReferral,
  ExpireReferral,
  WithdrawConversion,
  MarkReferralLost,
  OPEN_REFERRAL_STAGES,
  QuoteReferral,
  ReferralCommand,
  ReferralEvent,
  ReferralStage,
  ReferralState,
  RegisterReferral,
} from './referral.types';

type Existing = Exclude<ReferralState, { status: 'none' }>;

/** Stages a sale can convert from: open ones, and closed ones a sale issued before the close reaches late. */
const CONVERTIBLE_STAGES: readonly ReferralStage[] = [...OPEN_REFERRAL_STAGES, 'expired', 'lost'];

export const initialReferralState = (): ReferralState => ({ status: 'none' });

function existing(state: ReferralState, referralId: string): Existing {
  if (state.status === 'none') {
    throw new ConflictsDomainError('REFERRAL_NOT_FOUND', `referral ${referralId} is not registered`, { referralId });
  }
  return state;
}

/** The refusal of a move the referral's stage does not allow (REST 409). */
export function illegalTransition(state: Existing, to: string): ConflictsDomainError {
  return new ConflictsDomainError('REFERRAL_ILLEGAL_TRANSITION', `referral ${state.referralId} cannot go from ${state.status} to ${to}`, {
    referralId: state.referralId,
    from: state.status,
    to,
  });
}

function requireStage(state: Existing, allowed: readonly ReferralStage[], to: string): void {
  if (!allowed.includes(state.status)) throw illegalTransition(state, to);
}

function register(cmd: RegisterReferral, state: ReferralState, windows: ExclusivityWindows): ReferralEvent[] {
  if (state.status !== 'none') {
    throw new ConflictsDomainError('REFERRAL_ALREADY_REGISTERED', `referral ${cmd.data.referralId} already exists`, {
      referralId: cmd.data.referralId,
    });
  }
  const windowEndsAt = addDays(cmd.data.registeredAt, exclusivityDays(cmd.data.productLine, windows));
  return [{ type: 'ReferralRegistered', data: { ...cmd.data, windowEndsAt } }];
}

function accept(cmd: AcceptReferral, state: ReferralState): ReferralEvent[] {
  requireStage(existing(state, cmd.data.referralId), ['registered'], 'accepted');
  toMs(cmd.data.acceptedAt, 'acceptedAt');
  return [{ type: 'ReferralAccepted', data: cmd.data }];
}

function quote(cmd: QuoteReferral, state: ReferralState): ReferralEvent[] {
  // A re-quote replaces the price; a quote before the product side accepted has no one behind it.
  requireStage(existing(state, cmd.data.referralId), ['accepted', 'quoted'], 'quoted');
  toMs(cmd.data.quotedAt, 'quotedAt');
  if (!isPositiveMoney(cmd.data.price)) {
    throw new ConflictsDomainError('REFERRAL_INVALID_PRICE', 'price must be a positive decimal with at most 2 places', {
      price: cmd.data.price,
    });
  }
  return [{ type: 'ReferralQuoted', data: { ...cmd.data, price: new Decimal(cmd.data.price).toFixed(2) } }];
}

function isPositiveMoney(price: string): boolean {
  try {
    const d = new Decimal(price);
    return d.isFinite() && d.gt(0) && d.decimalPlaces() <= 2;
  } catch {
    return false;
  }
}

function convert(cmd: ConvertReferral, state: ReferralState): ReferralEvent[] {
  const ref = existing(state, cmd.data.referralId);
  if (ref.status === 'converted' && ref.policyNo === cmd.data.policyNo) return []; // redelivered PolicyIssued
  // A sale issued before the referral expired (inside its window) or was marked lost converts it,
  // whichever arrived first: business time, not arrival, says whether the referral still held.
  requireStage(ref, CONVERTIBLE_STAGES, 'converted');
  const issuedMs = toMs(cmd.data.issuedAt, 'issuedAt');
  if (ref.status === 'lost' && !(ref.lostAt && issuedMs < toMs(ref.lostAt))) {
    throw new ConflictsDomainError('REFERRAL_ILLEGAL_TRANSITION', `referral ${ref.referralId} was lost before ${cmd.data.policyNo} was issued`, {
      referralId: ref.referralId, from: ref.status, to: 'converted',
    });
  }
  if (ref.partyId !== cmd.data.partyId || ref.productLine !== cmd.data.productLine) {
    throw new ConflictsDomainError('REFERRAL_POLICY_MISMATCH', `policy ${cmd.data.policyNo} is not for this referral's party and line`, {
      referralId: ref.referralId,
      policyNo: cmd.data.policyNo,
    });
  }
  if (issuedMs < toMs(ref.registeredAt) || issuedMs >= toMs(ref.windowEndsAt)) {
    throw new ConflictsDomainError('REFERRAL_OUTSIDE_WINDOW', `policy ${cmd.data.policyNo} was issued outside the exclusivity window`, {
      referralId: ref.referralId,
      registeredAt: ref.registeredAt,
      windowEndsAt: ref.windowEndsAt,
      issuedAt: cmd.data.issuedAt,
    });
  }
  const { referralId, policyNo, issuedAt, linkedBy } = cmd.data;
  return [{ type: 'ReferralConverted', data: { referralId, policyNo, convertedAt: issuedAt, linkedBy } }];
}

function withdrawConversion(cmd: WithdrawConversion, state: ReferralState): ReferralEvent[] {
  const ref = existing(state, cmd.data.referralId);
  // Withdrawn already (redelivery), or converted by another sale since: nothing to withdraw.
  if (ref.status !== 'converted' || ref.policyNo !== cmd.data.policyNo) return [];
  if (ref.linkedBy === 'referralId') {
    throw new ConflictsDomainError('REFERRAL_ILLEGAL_TRANSITION', `referral ${ref.referralId} was named by ${cmd.data.policyNo}: its conversion stands`, {
      referralId: ref.referralId, from: ref.status, to: 'withdrawn',
    });
  }
  toMs(cmd.data.withdrawnAt, 'withdrawnAt');
  const reopenedAs = ref.convertedFrom ?? 'registered';
  const closedAt = reopenedAs === 'lost' ? ref.lostAt : reopenedAs === 'expired' ? ref.expiredAt : undefined;
  return [{ type: 'ReferralConversionWithdrawn', data: { ...cmd.data, reopenedAs, ...(closedAt ? { closedAt } : {}) } }];
}

const LOST_BEFORE_SALE = 'the lead was lost before the sale was issued: the sale converts the one business order gives it';

function markLost(cmd: MarkReferralLost, state: ReferralState): ReferralEvent[] {
  const ref = existing(state, cmd.data.referralId);
  const lostMs = toMs(cmd.data.lostAt, 'lostAt');
  if (!OPEN_REFERRAL_STAGES.includes(ref.status) && !lossMetOpen(ref, lostMs)) throw lossRefused(ref, cmd.data.lostAt);
  toMs(cmd.data.recordedAt, 'recordedAt');
  if (cmd.data.reason.trim() === '') {
    throw new ConflictsDomainError('REFERRAL_REASON_REQUIRED', 'a lost referral needs a reason', { referralId: cmd.data.referralId });
  }
  const { referralId, reason, lostAt } = cmd.data;
  const lost: ReferralEvent = { type: 'ReferralLost', data: { referralId, reason, lostAt } };
  if (ref.status !== 'converted') return [lost];
  // In business order the loss came first and the sale, issued at or after it, never took this referral.
  if (lostMs <= toMs(ref.closedAt!, 'closedAt')) {
    const reopenedAs = ref.convertedFrom!;
    const closedAt = reopenedAs === 'lost' ? ref.lostAt : reopenedAs === 'expired' ? ref.expiredAt : undefined;
    const withdrawn = { referralId, policyNo: ref.policyNo!, reason: LOST_BEFORE_SALE, withdrawnAt: cmd.data.recordedAt, reopenedAs, ...(closedAt ? { closedAt } : {}) };
    return [{ type: 'ReferralConversionWithdrawn', data: withdrawn }, lost];
  }
  return [{ type: 'ReferralLossNoted', data: { ...lost.data, policyNo: ref.policyNo! } }];
}

/**
 * Whether, in business order, this loss would have found the referral open although it is closed
 * now: dated before the loss it already has (the earliest report stands), before the expiry check
 * that closed it, or while the stage a sale converted it from was open. Dated at or before that sale,
 * it withdraws the conversion (a sale naming the referral takes it only if it was still open at its
 * issue time); dated after it, it is noted (ReferralLossNoted), whether the sale named the referral or
 * not. Arrival order does not matter: a report arriving late is judged by its date.
 */
function lossMetOpen(ref: Existing, lostMs: number): boolean {
  const before = (at: IsoTimestamp | undefined) => !!at && lostMs < toMs(at);
  switch (ref.status) {
    case 'lost':
      return before(ref.lostAt ?? ref.closedAt);
    case 'expired':
      return before(ref.expiredAt ?? ref.closedAt);
    case 'converted': {
      const from = ref.convertedFrom;
      if (!from) return false;
      // The stage the sale took it from must still have been open at the loss time.
      if (from === 'lost' && !before(ref.lostAt)) return false;
      if (from === 'expired' && !before(ref.expiredAt)) return false;
      return from === 'lost' || from === 'expired' || OPEN_REFERRAL_STAGES.includes(from);
    }
    default:
      return false;
  }
}

/**
 * The refusal of a loss the referral's stage does not allow even by its date: a later-dated report of
 * a loss it has, or a loss dated after the expiry check or the loss a converted referral keeps. The
 * details say which loss was reported and, when there is one, the loss the referral keeps.
 */
function lossRefused(ref: Existing, reportedLostAt: IsoTimestamp): ConflictsDomainError {
  const refused = illegalTransition(ref, 'lost');
  return new ConflictsDomainError(refused.code, refused.message, { ...refused.details, reportedLostAt, ...(ref.lostAt ? { lostAt: ref.lostAt } : {}) });
}

/**
 * The refusal to answer a loss the decider noted (ReferralLossNoted): the caller keeps the event yet
 * refuses the request as before, since the conversion stands (REST 409 once the loss is committed).
 */
export function lossRefusedButNoted(events: readonly ReferralEvent[], state: ReferralState): ConflictsDomainError | undefined {
  const noted = events.find((e): e is Extract<ReferralEvent, { type: 'ReferralLossNoted' }> => e.type === 'ReferralLossNoted');
  if (state.status === 'none' || !noted) return undefined;
  const refused = illegalTransition(state, 'lost');
  // The caller learns the report was not thrown away: it is the loss the referral keeps, and takes effect if the
  // conversion is withdrawn (the sale moved to another referral, or, when it named this one, a loss dated before it).
  const kept = state.linkedBy === 'referralId'
    ? 'the loss is kept; the sale named the referral, so its conversion stands unless a loss dated before the sale is reported'
    : 'the loss is kept and takes effect if the sale is moved to another referral';
  return new ConflictsDomainError(refused.code, `${refused.message}; ${kept}`, {
    ...refused.details, lossKept: true, reportedLostAt: noted.data.lostAt, lostAt: state.lostAt ?? noted.data.lostAt,
  });
}

function expire(cmd: ExpireReferral, state: ReferralState): ReferralEvent[] {
  const ref = existing(state, cmd.data.referralId);
  if (ref.status === 'expired') return []; // the scheduled check may fire twice; expiring is idempotent
  requireStage(ref, OPEN_REFERRAL_STAGES, 'expired');
  if (toMs(cmd.data.now, 'now') < toMs(ref.windowEndsAt)) {
    throw new ConflictsDomainError('REFERRAL_WINDOW_NOT_ENDED', `referral ${ref.referralId} is exclusive until ${ref.windowEndsAt}`, {
      referralId: ref.referralId,
      windowEndsAt: ref.windowEndsAt,
      now: cmd.data.now,
    });
  }
  return [{ type: 'ReferralExpired', data: { referralId: ref.referralId, windowEndsAt: ref.windowEndsAt, expiredAt: cmd.data.now } }];
}

export function evolveReferral(state: ReferralState, event: ReferralEvent): ReferralState {
  if (event.type === 'ReferralRegistered') return { ...event.data, status: 'registered' };
  if (state.status === 'none') return state; // an event without its registration: ignore rather than invent facts
  switch (event.type) {
    case 'ReferralAccepted':
      return { ...state, status: 'accepted' };
    case 'ReferralQuoted':
      return { ...state, status: 'quoted', quote: { price: event.data.price, currency: event.data.currency, quotedAt: event.data.quotedAt } };
    case 'ReferralConverted':
      return {
        ...state, status: 'converted', policyNo: event.data.policyNo, closedAt: event.data.convertedAt, linkedBy: event.data.linkedBy, convertedFrom: state.status,
      };
    case 'ReferralConversionWithdrawn': {
      const { policyNo: _p, closedAt: _c, linkedBy: _l, convertedFrom: _f, ...open } = state;
      return { ...open, status: event.data.reopenedAs, ...(event.data.closedAt ? { closedAt: event.data.closedAt } : {}) };
    }
    case 'ReferralLost':
      return { ...state, status: 'lost', closedAt: event.data.lostAt, lostAt: event.data.lostAt };
    case 'ReferralLossNoted':
      // As if the loss had arrived first and this sale, issued before it, converted it late: a withdrawal reopens it lost.
      return { ...state, lostAt: event.data.lostAt, convertedFrom: 'lost' };
    case 'ReferralExpired':
      return { ...state, status: 'expired', closedAt: event.data.expiredAt, expiredAt: event.data.expiredAt };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export interface ReferralDecider {
  decide(command: ReferralCommand, state: ReferralState): ReferralEvent[];
  evolve(state: ReferralState, event: ReferralEvent): ReferralState;
  initialState(): ReferralState;
}

/** The window lengths come from config, so the decider is built once at boot with them. */
export function createReferralDecider(windows: ExclusivityWindows = DEFAULT_EXCLUSIVITY_WINDOWS): ReferralDecider {
  const decide = (command: ReferralCommand, state: ReferralState): ReferralEvent[] => {
    switch (command.type) {
      case 'RegisterReferral':
        return register(command, state, windows);
      case 'AcceptReferral':
        return accept(command, state);
      case 'QuoteReferral':
        return quote(command, state);
      case 'ConvertReferral':
        return convert(command, state);
      case 'WithdrawConversion':
        return withdrawConversion(command, state);
      case 'MarkReferralLost':
        return markLost(command, state);
      case 'ExpireReferral':
        return expire(command, state);
      default: {
        const unknown: never = command;
        throw new Error(`unknown referral command ${JSON.stringify(unknown)}`);
      }
    }
  };
  return { decide, evolve: evolveReferral, initialState: initialReferralState };
}

export const referralDecider = createReferralDecider();
