import { PolicyCreditState, PolicyHistoryItem } from './policy-credit-state';
import { CreditRuleSet } from './rule-set';
import { RuleTimeline, emptyTimeline, publishOnto } from './rule-timeline';

/** Stream `credit-rules`: the one place rule sets are published. */
export type PublishRuleSet = { readonly type: 'PublishRuleSet'; readonly data: { ruleSet: CreditRuleSet; publishedAt: string; publishedBy: string } };
export type RuleSetPublished = {
  readonly type: 'RuleSetPublished';
  readonly data: { ruleSet: CreditRuleSet; segments: readonly CreditRuleSet[]; publishedAt: string; publishedBy: string };
};

export const initialCatalogue = emptyTimeline;

/** Validates the draft and the resulting timeline (throws CREDIT_RULE_SET_INVALID with issue paths). */
export function decidePublication(command: PublishRuleSet, timeline: RuleTimeline): RuleSetPublished[] {
  const next = publishOnto(timeline, command.data.ruleSet);
  return [{ type: 'RuleSetPublished', data: { ...command.data, segments: next.segments } }];
}

export function evolveCatalogue(_timeline: RuleTimeline, event: RuleSetPublished): RuleTimeline {
  return { segments: event.data.segments };
}

const itemDate = (item: PolicyHistoryItem): string => (item.kind === 'transaction' ? item.transaction.effectiveDate : item.effectiveDate);

/** Whether a published set can change this policy's credit: only then does it get RecalculateCredits. */
export function isAffectedBy(state: PolicyCreditState, set: CreditRuleSet): boolean {
  return state.items.some((item) => {
    const date = itemDate(item);
    return date >= set.effectiveFrom && (set.effectiveTo === null || date < set.effectiveTo);
  });
}
