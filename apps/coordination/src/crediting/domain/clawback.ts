import { CreditLine } from './credit-line';
import { Dec, ONE, ZERO, cents, daysBetween, fmt } from './money';
import { Amounts, PolicyCreditState, Term, balancesByKey, isZero } from './policy-credit-state';
import { PolicyTransaction } from './policy-transaction';
import { ClawbackRule } from './rule-set';
import { CompiledRuleSet, RuleTimeline, ruleSetAt } from './rule-timeline';

const NO_RULE: ClawbackRule = { subsidiary: 'life', freeLookDays: 0, afterWindow: 'pro-rata-unexpired' };

export function clawbackRuleFor(rules: CompiledRuleSet, tx: PolicyTransaction): ClawbackRule {
  return rules.clawback.get(`${tx.productSubsidiary}|${tx.productLine}`) ?? rules.clawback.get(`${tx.productSubsidiary}|*`) ?? NO_RULE;
}

interface Fraction {
  readonly value: Dec;
  readonly why: string;
}

/**
 * Share of a credit to claw back: all of it inside the free-look window (counted from issue),
 * after it the unexpired part of the credited term, or nothing if the rule says so.
 */
export function clawbackFraction(rule: ClawbackRule, issuedOn: string | null, term: Term, date: string): Fraction {
  if (issuedOn !== null && daysBetween(issuedOn, date) < rule.freeLookDays) {
    return { value: ONE, why: `full: within the ${rule.freeLookDays}-day free-look window` };
  }
  if (rule.afterWindow === 'none') return { value: ZERO, why: 'after the window: no clawback' };
  const total = daysBetween(term.start, term.end);
  const unexpired = Math.min(Math.max(daysBetween(date, term.end), 0), total);
  if (total <= 0) return { value: ZERO, why: 'empty term' };
  return { value: new Dec(unexpired).div(total), why: `pro rata: ${unexpired}/${total} days of the term unexpired` };
}

const scale = (a: Amounts, f: Dec): Amounts => ({
  premium: cents(a.premium.times(f)).neg(),
  standardPremium: cents(a.standardPremium.times(f)).neg(),
  weightedCredit: cents(a.weightedCredit.times(f)).neg(),
});

function compensating(template: CreditLine, tx: PolicyTransaction, amounts: Amounts, lineId: string, reversesLineId: string,
  origin: 'reversal' | 'reinstatement', ruleSetVersion: string, reason: string): CreditLine {
  return {
    ...template, lineId, creditKey: template.creditKey, origin, transactionId: tx.transactionId, transactionKind: tx.kind,
    effectiveDate: tx.effectiveDate, ruleSetVersion, premium: fmt(amounts.premium), standardPremium: fmt(amounts.standardPremium),
    weightedCredit: fmt(amounts.weightedCredit), reversesLineId, adjustsLineId: undefined, disputedLineId: undefined, reason,
  };
}

/**
 * Cancelled/Lapsed: one compensating line per credit still standing whose term covers the date,
 * pointing at the original line, with the balance (credit + adjustments) times the fraction, negated.
 */
export function computeReversalLines(tx: PolicyTransaction, state: PolicyCreditState, timeline: RuleTimeline): CreditLine[] {
  const rules = ruleSetAt(timeline, tx.effectiveDate);
  const rule = clawbackRuleFor(rules, tx);
  const lines: CreditLine[] = [];
  for (const [creditKey, balance] of balancesByKey(state)) {
    const template = state.net.get(creditKey)?.line;
    const term = template && state.terms.get(template.transactionId);
    if (!term || tx.effectiveDate < term.start || tx.effectiveDate >= term.end || isZero(balance)) continue;
    const fraction = clawbackFraction(rule, state.issuedOn, term, tx.effectiveDate);
    if (fraction.value.isZero()) continue;
    const reason = `${tx.kind} ${tx.policyNo} on ${tx.effectiveDate}: reverses ${creditKey}, ${fraction.why}`;
    lines.push(compensating(template, tx, scale(balance, fraction.value), `${tx.transactionId}|reverse|${creditKey}`, creditKey, 'reversal', rules.set.version, reason));
  }
  return lines;
}

/** Reinstated: reverses the last termination's reversal lines (and any adjustment made to them). */
export function computeReinstatementLines(tx: PolicyTransaction, state: PolicyCreditState): CreditLine[] {
  const lines: CreditLine[] = [];
  for (const reversalId of state.lastReversalIds) {
    const entry = state.net.get(reversalId);
    if (!entry || isZero(entry.amounts)) continue;
    const reason = `${tx.kind} ${tx.policyNo} on ${tx.effectiveDate}: re-credits what ${reversalId} clawed back`;
    lines.push(compensating(entry.line, tx, scale(entry.amounts, ONE), `${tx.transactionId}|reinstate|${reversalId}`, reversalId, 'reinstatement', entry.line.ruleSetVersion, reason));
  }
  return lines;
}
