import { ValidationIssue } from './errors';
import { Dec, isDecimal, isIsoDate } from './money';
import { CreditRuleSet, PAYMENT_MODES, PRODUCT_LINES, SUBSIDIARIES } from './rule-set';

type Issues = ValidationIssue[];

function checkRate(issues: Issues, path: string, value: string, max: number): void {
  if (!isDecimal(value)) {
    issues.push({ path, code: 'not_a_decimal', message: `${value} is not a decimal string` });
    return;
  }
  const rate = new Dec(value);
  if (rate.lt(0) || rate.gt(max)) {
    issues.push({ path, code: 'out_of_range', message: `${value} must lie within [0, ${max}]` });
  }
}

function checkFactors(set: CreditRuleSet, issues: Issues): void {
  const seen = new Set<string>();
  set.standardPremiumFactors.forEach((f, i) => {
    const key = `${f.subsidiary}|${f.productLine}|${f.mode}`;
    if (seen.has(key)) issues.push({ path: `standardPremiumFactors[${i}]`, code: 'duplicate', message: `${key} twice` });
    seen.add(key);
    // A factor above 2 would make a product worth more than twice its premium: a typo, not a policy.
    checkRate(issues, `standardPremiumFactors[${i}].factor`, f.factor, 2);
  });
  for (const sub of SUBSIDIARIES) {
    for (const line of PRODUCT_LINES[sub]) {
      for (const mode of PAYMENT_MODES) {
        if (!seen.has(`${sub}|${line}|${mode}`)) {
          issues.push({ path: 'standardPremiumFactors', code: 'missing_factor', message: `no factor for ${sub}/${line}/${mode}` });
        }
      }
    }
  }
}

function checkWeights(set: CreditRuleSet, issues: Issues): void {
  set.crossSaleWeights.forEach((w, i) => {
    checkRate(issues, `crossSaleWeights[${i}].weight`, w.weight, 1);
    if (w.sellingSubsidiary === w.productSubsidiary) {
      issues.push({ path: `crossSaleWeights[${i}]`, code: 'not_cross_sale', message: 'selling and product subsidiary are the same' });
    }
  });
  for (const field of ['defaultCrossSaleWeight', 'ownSaleWeight', 'productSubsidiaryWeight', 'productSpecialistWeight'] as const) {
    checkRate(issues, field, set[field], 1);
  }
}

function checkLevelsAndDates(set: CreditRuleSet, issues: Issues): void {
  if (!set.version) issues.push({ path: 'version', code: 'required', message: 'version is required' });
  if (!isIsoDate(set.effectiveFrom)) issues.push({ path: 'effectiveFrom', code: 'not_a_date', message: 'YYYY-MM-DD expected' });
  if (set.effectiveTo !== null && !isIsoDate(set.effectiveTo)) {
    issues.push({ path: 'effectiveTo', code: 'not_a_date', message: 'YYYY-MM-DD or null expected' });
  } else if (set.effectiveTo !== null && set.effectiveTo <= set.effectiveFrom) {
    issues.push({ path: 'effectiveTo', code: 'empty_period', message: 'effectiveTo must be after effectiveFrom' });
  }
  if (new Set(set.salesLevels).size !== set.salesLevels.length) {
    issues.push({ path: 'salesLevels', code: 'duplicate', message: 'a level listed twice would count a leg twice' });
  }
  if (new Set(set.productLevels).size !== set.productLevels.length) {
    issues.push({ path: 'productLevels', code: 'duplicate', message: 'a level listed twice would count a leg twice' });
  }
  set.clawback.forEach((c, i) => {
    if (!Number.isInteger(c.freeLookDays) || c.freeLookDays < 0) {
      issues.push({ path: `clawback[${i}].freeLookDays`, code: 'out_of_range', message: 'a whole number of days ≥ 0' });
    }
  });
}

/** Validates one rule set on its own; an empty list means valid. */
export function validateRuleSet(set: CreditRuleSet): ValidationIssue[] {
  const issues: Issues = [];
  checkLevelsAndDates(set, issues);
  checkFactors(set, issues);
  checkWeights(set, issues);
  return issues;
}

/**
 * Published sets must tile time: sorted by start, each ends where the next begins, only the last is
 * open. A version may appear as two segments when a later, shorter set was published inside it.
 */
export function validateTimeline(sets: readonly CreditRuleSet[]): ValidationIssue[] {
  const issues: Issues = [];
  const sorted = [...sets].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
  sorted.forEach((set, i) => {
    const next = sorted[i + 1];
    const path = `ruleSets[${set.version}].effectiveTo`;
    if (!next) return;
    if (set.effectiveTo === null || set.effectiveTo > next.effectiveFrom) {
      issues.push({ path, code: 'overlap', message: `${set.version} overlaps ${next.version} from ${next.effectiveFrom}` });
    } else if (set.effectiveTo < next.effectiveFrom) {
      issues.push({ path, code: 'gap', message: `no rule set from ${set.effectiveTo} to ${next.effectiveFrom}` });
    }
  });
  return issues;
}
