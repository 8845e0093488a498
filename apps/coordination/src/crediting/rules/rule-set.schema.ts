import { z } from 'zod';
import { CreditRuleSet, PAYMENT_MODES, PRODUCT_LINES, RuleTimeline, SUBSIDIARIES, defaultRuleSet } from '../domain';

const ALL_LINES = [...new Set(Object.values(PRODUCT_LINES).flat())] as [string, ...string[]];
const subsidiary = z.enum(SUBSIDIARIES as unknown as [string, ...string[]]);
const productLine = z.enum(ALL_LINES);
/** Decimal strings: the domain checks their format and range and reports issue paths (422). */
const decimal = z.string().min(1).max(40);

/**
 * A draft rule set. Only `version` and `effectiveFrom` are required: any other field left out is
 * taken from the rule set in effect on `effectiveFrom`, so a draft states just what changes.
 * Shape errors are 400; whether the rules make sense (ranges, gaps, overlaps) is the domain's 422.
 */
export const RuleSetDraftSchema = z.strictObject({
  version: z.string().min(1).max(40).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  effectiveFrom: z.string().min(1).max(10),
  effectiveTo: z.string().min(1).max(10).nullable().optional(),
  standardPremiumFactors: z.array(z.strictObject({ subsidiary, productLine, mode: z.enum(PAYMENT_MODES), factor: decimal })).max(1000).optional(),
  salesLevels: z.array(z.enum(['agent', 'team', 'branch', 'subsidiary'])).max(8).optional(),
  productLevels: z.array(z.enum(['subsidiary', 'specialist'])).max(4).optional(),
  crossSaleWeights: z.array(z.strictObject({
    sellingSubsidiary: subsidiary, sellingChannel: z.string().min(1).max(32).optional(), productSubsidiary: subsidiary, weight: decimal,
  })).max(200).optional(),
  defaultCrossSaleWeight: decimal.optional(),
  ownSaleWeight: decimal.optional(),
  productSubsidiaryWeight: decimal.optional(),
  productSpecialistWeight: decimal.optional(),
  clawback: z.array(z.strictObject({
    subsidiary, productLine: productLine.optional(), freeLookDays: z.number(), afterWindow: z.enum(['pro-rata-unexpired', 'none']),
  })).max(200).optional(),
  orphanRule: z.enum(['team-leader', 'least-loaded-in-branch', 'coordinator']).optional(),
});
export type RuleSetDraft = z.infer<typeof RuleSetDraftSchema>;

/** The set a draft amends: the one in effect on its start, else the latest, else the default. */
function baseOf(timeline: RuleTimeline, from: string): CreditRuleSet {
  const segments = timeline.segments;
  const covering = segments.find((s) => s.effectiveFrom <= from && (s.effectiveTo === null || from < s.effectiveTo));
  return covering ?? segments[segments.length - 1] ?? defaultRuleSet();
}

export function ruleSetFromDraft(draft: RuleSetDraft, timeline: RuleTimeline): CreditRuleSet {
  const defined = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== undefined));
  return { ...baseOf(timeline, draft.effectiveFrom), effectiveTo: null, ...defined } as CreditRuleSet;
}
