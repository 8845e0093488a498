import { CreditingError } from './errors';
import { Dec } from './money';
import { ClawbackRule, CreditRuleSet, SalesLevel, ProductLevel } from './rule-set';
import { validateRuleSet, validateTimeline } from './rule-set.validation';

/** The published rule sets as segments that tile time (see validateTimeline). */
export interface RuleTimeline {
  readonly segments: readonly CreditRuleSet[];
}

export const emptyTimeline = (): RuleTimeline => ({ segments: [] });

export function timelineOf(...sets: CreditRuleSet[]): RuleTimeline {
  return { segments: [...sets].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1)) };
}

const covers = (set: CreditRuleSet, date: string): boolean =>
  set.effectiveFrom <= date && (set.effectiveTo === null || date < set.effectiveTo);

function clip(existing: CreditRuleSet, draft: CreditRuleSet): CreditRuleSet[] {
  const pieces: CreditRuleSet[] = [];
  if (existing.effectiveFrom < draft.effectiveFrom) {
    const to = existing.effectiveTo === null || existing.effectiveTo > draft.effectiveFrom ? draft.effectiveFrom : existing.effectiveTo;
    pieces.push({ ...existing, effectiveTo: to });
  }
  if (draft.effectiveTo !== null && (existing.effectiveTo === null || existing.effectiveTo > draft.effectiveTo)) {
    const from = existing.effectiveFrom > draft.effectiveTo ? existing.effectiveFrom : draft.effectiveTo;
    pieces.push({ ...existing, effectiveFrom: from });
  }
  return pieces;
}

/**
 * The timeline after publishing `draft`: the draft wins over its own period and older sets keep
 * the rest, so publishing never leaves a gap. Throws with the issue list when the result is invalid.
 */
export function publishOnto(timeline: RuleTimeline, draft: CreditRuleSet): RuleTimeline {
  if (timeline.segments.some((s) => s.version === draft.version)) {
    throw new CreditingError('CREDIT_RULE_SET_VERSION_EXISTS', `rule set ${draft.version} is already published`);
  }
  const issues = validateRuleSet(draft);
  const next = timelineOf(...timeline.segments.flatMap((s) => clip(s, draft)), draft);
  issues.push(...validateTimeline(next.segments));
  if (issues.length > 0) throw new CreditingError('CREDIT_RULE_SET_INVALID', `rule set ${draft.version} is invalid`, issues);
  return next;
}

/** A rule set indexed for O(1) look-ups; compiled once per set object. */
export interface CompiledRuleSet {
  readonly set: CreditRuleSet;
  readonly factors: ReadonlyMap<string, Dec>;
  readonly weights: ReadonlyMap<string, Dec>;
  readonly defaultCrossSaleWeight: Dec;
  readonly ownSaleWeight: Dec;
  readonly productSubsidiaryWeight: Dec;
  readonly productSpecialistWeight: Dec;
  readonly salesLevels: ReadonlySet<SalesLevel>;
  readonly productLevels: ReadonlySet<ProductLevel>;
  readonly clawback: ReadonlyMap<string, ClawbackRule>;
}

const compiled = new WeakMap<CreditRuleSet, CompiledRuleSet>();

function compile(set: CreditRuleSet): CompiledRuleSet {
  return {
    set,
    factors: new Map(set.standardPremiumFactors.map((f) => [`${f.subsidiary}|${f.productLine}|${f.mode}`, new Dec(f.factor)])),
    weights: new Map(set.crossSaleWeights.map((w) => [`${w.sellingSubsidiary}|${w.sellingChannel ?? '*'}|${w.productSubsidiary}`, new Dec(w.weight)])),
    defaultCrossSaleWeight: new Dec(set.defaultCrossSaleWeight),
    ownSaleWeight: new Dec(set.ownSaleWeight),
    productSubsidiaryWeight: new Dec(set.productSubsidiaryWeight),
    productSpecialistWeight: new Dec(set.productSpecialistWeight),
    salesLevels: new Set(set.salesLevels),
    productLevels: new Set(set.productLevels),
    clawback: new Map(set.clawback.map((c) => [`${c.subsidiary}|${c.productLine ?? '*'}`, c])),
  };
}

export function compiledRuleSet(set: CreditRuleSet): CompiledRuleSet {
  let found = compiled.get(set);
  if (!found) {
    found = compile(set);
    compiled.set(set, found);
  }
  return found;
}

/** The rule set in effect on `date` (the policy transaction's effective date). */
export function ruleSetAt(timeline: RuleTimeline, date: string): CompiledRuleSet {
  const segments = timeline.segments;
  for (let i = segments.length - 1; i >= 0; i--) {
    if (covers(segments[i], date)) return compiledRuleSet(segments[i]);
  }
  throw new CreditingError('CREDIT_NO_RULE_SET_IN_EFFECT', `no credit rule set in effect on ${date}`);
}
