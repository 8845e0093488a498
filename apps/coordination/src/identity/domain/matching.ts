/**
 * Identity resolution between two client records from different subsidiaries.
 *
 * Deterministic first: the same identity-number HMAC (persons) or the same
 * unified social credit code (organisations) is the same party; two different
 * ones are different parties (a mistyped ID number goes to a manual merge, not
 * to a guess).
 *
 * Otherwise Fellegi–Sunter: each field comparison contributes log2(m/u) bits,
 * where m = P(outcome | same person) and u = P(outcome | different people
 * among blocked candidates). We chose log-odds over a hand-weighted sum because
 * disagreement then counts *against* a match (a different birth date is strong
 * evidence of a different person), missing data counts zero instead of
 * disagreement, and the sum plus the prior odds is a probability the review
 * team can read. m/u are stated below as judgement calls, calibrated against
 * the synthetic set in matching-quality.spec.ts.
 */
import { IdentityErrorCode, identityError } from './identity.errors';
import { MatchEvidence, SourceClientRecord } from './identity.types';
import { PreparedRecord, prepare } from './prepared-record';
import { compareAddress, compareBirthDate, compareName } from './field-comparisons';

export interface MatchThresholds {
  autoLink: number;
  review: number;
}
export const DEFAULT_MATCH_THRESHOLDS: MatchThresholds = { autoLink: 0.99, review: 0.5 };

export type MatchDecision = 'auto-link' | 'review' | 'separate';

export interface MatchOutcome {
  score: number;
  decision: MatchDecision;
  method: 'deterministic' | 'probabilistic';
  evidence: MatchEvidence[];
  /** Why a high score was held back from auto-link, when it was. */
  guard: string | null;
}

type Level = { m: number; u: number };
const bits = ({ m, u }: Level): number => Math.round(Math.log2(m / u) * 100) / 100;

/** m/u per comparison level; "disagree" levels make the weight negative. */
export const FIELD_LEVELS = {
  name: {
    exact: { m: 0.88, u: 0.0005 },
    'same-pinyin': { m: 0.06, u: 0.002 },
    'edit-distance-1': { m: 0.04, u: 0.01 },
    disagree: { m: 0.02, u: 0.9875 },
  },
  birthDate: {
    exact: { m: 0.93, u: 0.0005 },
    near: { m: 0.05, u: 0.003 },
    disagree: { m: 0.02, u: 0.9965 },
  },
  // Families share a phone, so agreement is less telling than its rarity suggests.
  phone: { shared: { m: 0.65, u: 0.0005 }, disagree: { m: 0.35, u: 0.9995 } },
  email: { shared: { m: 0.5, u: 0.0001 }, disagree: { m: 0.5, u: 0.9999 } },
  address: {
    high: { m: 0.6, u: 0.002 },
    medium: { m: 0.2, u: 0.01 },
    disagree: { m: 0.2, u: 0.988 },
  },
  // Households share phone *and* address, so the two are not independent: once
  // the phone agrees, an agreeing address says little more (u is high).
  addressGivenSharedPhone: {
    high: { m: 0.65, u: 0.5 },
    medium: { m: 0.2, u: 0.2 },
    disagree: { m: 0.15, u: 0.3 },
  },
  gender: { agree: { m: 0.98, u: 0.5 }, disagree: { m: 0.02, u: 0.5 } },
} as const satisfies Record<string, Record<string, Level>>;

/** Prior odds that a blocked candidate pair is a match: about 1 in 1000. */
export const PRIOR_LOG_ODDS = -10;

export function validateThresholds(t: MatchThresholds): MatchThresholds {
  if (!(t.review >= 0 && t.review <= t.autoLink && t.autoLink <= 1)) {
    throw identityError(IdentityErrorCode.InvalidThresholds, 'need 0 <= review <= autoLink <= 1');
  }
  return t;
}

export function matchRecords(
  a: SourceClientRecord,
  b: SourceClientRecord,
  thresholds: MatchThresholds = DEFAULT_MATCH_THRESHOLDS,
): MatchOutcome {
  validateThresholds(thresholds);
  const deterministic = deterministicMatch(a, b);
  if (deterministic) return deterministic;
  if (a.kind === 'organization' || b.kind === 'organization') return organisationMatch(prepare(a), prepare(b));
  return probabilisticMatch(prepare(a), prepare(b), thresholds);
}

function deterministicMatch(a: SourceClientRecord, b: SourceClientRecord): MatchOutcome | null {
  const sure = (same: boolean, field: string): MatchOutcome => ({
    score: same ? 1 : 0,
    decision: same ? 'auto-link' : 'separate',
    method: 'deterministic',
    evidence: [{ field, comparison: same ? 'exact' : 'conflict', weight: same ? Infinity : -Infinity }],
    guard: null,
  });
  if (a.kind !== b.kind) return sure(false, 'kind');
  if (a.identity && b.identity && a.identity.type === b.identity.type) {
    return sure(a.identity.hash === b.identity.hash, 'identity');
  }
  if (a.creditCode && b.creditCode) return sure(a.creditCode.trim().toUpperCase() === b.creditCode.trim().toUpperCase(), 'creditCode');
  return null;
}

/** Without a credit code, a company name alone is never enough to link automatically. */
function organisationMatch(a: PreparedRecord, b: PreparedRecord): MatchOutcome {
  const same = a.orgName.length > 0 && a.orgName === b.orgName;
  return {
    score: same ? 0.5 : 0,
    decision: same ? 'review' : 'separate',
    method: 'probabilistic',
    evidence: [{ field: 'name', comparison: same ? 'exact' : 'disagree', weight: 0 }],
    guard: same ? 'organisation without credit code' : null,
  };
}

export function scorePersons(a: PreparedRecord, b: PreparedRecord): { score: number; evidence: MatchEvidence[] } {
  const evidence: MatchEvidence[] = [];
  const add = (field: keyof typeof FIELD_LEVELS, comparison: string | null): void => {
    if (comparison === null) return;
    const levels = FIELD_LEVELS[field] as Record<string, Level>;
    evidence.push({ field, comparison, weight: bits(levels[comparison]) });
  };
  const phone = compareSets(a.phones, b.phones);
  add('name', compareName(a, b));
  add('birthDate', compareBirthDate(a.birthDate, b.birthDate));
  add('phone', phone);
  add('email', compareSets(a.emails, b.emails));
  add(phone === 'shared' ? 'addressGivenSharedPhone' : 'address', compareAddress(a.address, b.address));
  add('gender', a.gender && b.gender ? (a.gender === b.gender ? 'agree' : 'disagree') : null);
  const logOdds = PRIOR_LOG_ODDS + evidence.reduce((sum, e) => sum + e.weight, 0);
  return { score: 1 / (1 + Math.pow(2, -logOdds)), evidence };
}

function compareSets(a: string[], b: string[]): 'shared' | 'disagree' | null {
  if (a.length === 0 || b.length === 0) return null;
  return a.some((x) => b.includes(x)) ? 'shared' : 'disagree';
}

function probabilisticMatch(a: PreparedRecord, b: PreparedRecord, t: MatchThresholds): MatchOutcome {
  const { score, evidence } = scorePersons(a, b);
  const decision: MatchDecision = score >= t.autoLink ? 'auto-link' : score >= t.review ? 'review' : 'separate';
  const guard = decision === 'auto-link' ? autoLinkGuard(evidence) : null;
  return { score, decision: guard ? 'review' : decision, method: 'probabilistic', evidence, guard };
}

/**
 * Family members share phone, address and surname, which can add up to a high
 * score. Auto-link therefore needs the name to agree (exactly or by sound), or a
 * one-character name difference backed by the same birth date; and a birth date
 * or gender that plainly conflicts (father and son of the same name, siblings
 * with homophone names) always goes to review.
 */
function autoLinkGuard(evidence: MatchEvidence[]): string | null {
  const level = (field: string) => evidence.find((e) => e.field === field)?.comparison ?? null;
  const name = level('name');
  const birth = level('birthDate');
  if (birth === 'disagree') return 'birth dates conflict';
  if (level('gender') === 'disagree') return 'genders conflict';
  if (name === 'exact' || name === 'same-pinyin') return null;
  if (name === 'edit-distance-1' && birth === 'exact') return null;
  return 'neither name nor birth date agrees';
}
