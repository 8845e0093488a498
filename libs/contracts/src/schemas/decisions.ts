/**
 * Messages the coordination service publishes on coordination.decisions. They use
 * the same envelope; there `subsidiary` names the ADDRESSEE, so a decision that
 * concerns two subsidiaries is published once per addressee (each with its own
 * deterministic eventId) and every subsidiary filters by its own name.
 */
import { z } from 'zod';
import {
  IsoDateSchema, IsoDateTimeSchema, LocalIdSchema, PositiveMoneySchema, ProductLineSchema, ReasonSchema,
  SignedMoneySchema, SubsidiarySchema,
} from '../primitives';

/** '*' = a conflict about an approach that named no product line (a visit, a call). */
export const ANY_PRODUCT_LINE = '*';
export const CONFLICT_KINDS = [
  'duplicate-registration', 'policy-vs-registration', 'servicing-relationship', 'strategic-account', 'channel-quote-clash',
] as const;
export const DECISION_MODES = ['award', 'split', 'reject'] as const;

const PctSchema = z
  .string()
  .regex(/^(100|[1-9]?\d)\.\d{2}$/, { error: 'must be a percentage with 2 decimals, e.g. "60.00"' })
  .refine((v) => Number(v) > 0 && Number(v) <= 100, { error: 'must be greater than 0 and at most 100' });

export const CreditShareSchema = z.strictObject({ subsidiary: SubsidiarySchema, agentId: LocalIdSchema, pct: PctSchema });

function checkShares(v: { outcome: (typeof DECISION_MODES)[number]; shares: { pct: string }[] }, ctx: z.RefinementCtx): void {
  const expected = { award: 'exactly one share', split: 'at least two shares', reject: 'no shares' }[v.outcome];
  const n = v.shares.length;
  if ((v.outcome === 'award' && n !== 1) || (v.outcome === 'split' && n < 2) || (v.outcome === 'reject' && n !== 0)) {
    ctx.addIssue({ code: 'custom', path: ['shares'], message: `must hold ${expected} for outcome ${v.outcome}` });
  }
  const cents = v.shares.reduce((sum, s) => sum + Math.round(Number(s.pct) * 100), 0);
  if (n > 0 && cents !== 10_000) ctx.addIssue({ code: 'custom', path: ['shares'], message: `pct must sum to 100.00 (got ${(cents / 100).toFixed(2)})` });
}

export const ConflictResolvedPayloadSchema = z
  .strictObject({
    conflictId: LocalIdSchema,
    kind: z.enum(CONFLICT_KINDS),
    partyId: LocalIdSchema.describe('coordination party id of the contested client'),
    productLine: z.union([ProductLineSchema, z.literal(ANY_PRODUCT_LINE)]),
    policyNo: LocalIdSchema.optional().describe('the sale the decision attaches credit to, if any'),
    referralId: LocalIdSchema.optional(),
    outcome: z.enum(DECISION_MODES).describe('award: one winner; split: credit shared; reject: nobody is credited'),
    shares: z.array(CreditShareSchema).max(20).describe('who is credited with which share of this sale'),
    rationale: ReasonSchema,
    decidedBy: z.string().min(1).max(100).describe('the coordinator, or the system actor for a rule decision'),
    decidedAt: IsoDateTimeSchema,
    rule: LocalIdSchema.optional().describe('the precedence rule that decided, absent for a person\'s decision'),
  })
  .superRefine(checkShares);

/**
 * A decided conflict no longer stands: a fact from earlier in business time arrived late (topics are
 * ordered per partition only) and the conflict, judged as of its filing, is not what it was. Its
 * ConflictResolved is withdrawn; the conflicts detected in its place (replacedBy) get their own
 * ConflictResolved when decided. Keyed like ConflictResolved, so it follows it on the partition.
 */
export const ConflictSupersededPayloadSchema = z.strictObject({
  conflictId: LocalIdSchema,
  kind: z.enum(CONFLICT_KINDS),
  partyId: LocalIdSchema.describe('coordination party id of the contested client'),
  productLine: z.union([ProductLineSchema, z.literal(ANY_PRODUCT_LINE)]),
  policyNo: LocalIdSchema.optional(),
  referralId: LocalIdSchema.optional(),
  withdrawnOutcome: z.enum(DECISION_MODES).describe('the outcome of the ConflictResolved this withdraws'),
  withdrawnShares: z.array(CreditShareSchema).max(20).describe('the shares that no longer apply'),
  replacedBy: z.array(LocalIdSchema).max(20).describe('ids of the conflicts detected in its place, if any'),
  reason: ReasonSchema,
  supersededAt: IsoDateTimeSchema,
});

/** The referral pipeline stages, as the coordination service tracks them. */
export const REFERRAL_STATUSES = ['registered', 'accepted', 'quoted', 'converted', 'lost', 'expired'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

export const ReferralStatusChangedPayloadSchema = z
  .strictObject({
    referralId: LocalIdSchema,
    referringSubsidiary: SubsidiarySchema,
    referringAgentId: LocalIdSchema,
    productSubsidiary: SubsidiarySchema,
    productLine: ProductLineSchema,
    status: z.enum(REFERRAL_STATUSES),
    previousStatus: z.enum(REFERRAL_STATUSES).nullable(),
    policyNo: LocalIdSchema.optional().describe('the converting policy, set when status is converted'),
    windowEndsAt: IsoDateTimeSchema.optional().describe("end of the referrer's exclusivity window"),
    quotedPrice: PositiveMoneySchema.optional(),
    reason: ReasonSchema.optional(),
    at: IsoDateTimeSchema,
  })
  .superRefine((v, ctx) => {
    if (v.status === 'converted' && !v.policyNo) ctx.addIssue({ code: 'custom', path: ['policyNo'], message: 'is required when status is converted' });
  });

export const CreditNoticePayloadSchema = z.strictObject({
  creditId: LocalIdSchema,
  policyNo: LocalIdSchema,
  productSubsidiary: SubsidiarySchema,
  productLine: ProductLineSchema,
  side: z.enum(['SALES', 'PRODUCT']).describe('dual-side credit: the selling side and the product side are both credited'),
  creditedSubsidiary: SubsidiarySchema,
  agentId: LocalIdSchema.optional(),
  branchId: LocalIdSchema.optional(),
  kind: z.enum(['CREDIT', 'CLAWBACK', 'ADJUSTMENT', 'REASSIGNMENT']),
  standardPremium: SignedMoneySchema.describe('negative for a clawback'),
  creditedPremium: SignedMoneySchema.describe('standard premium after the credit rule weighting'),
  ruleId: LocalIdSchema,
  ruleVersion: z.number().int().min(1),
  effectiveDate: IsoDateSchema.describe('the KPI period date the credit counts in'),
  reason: ReasonSchema.optional(),
});

export type CreditShare = z.infer<typeof CreditShareSchema>;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];
export type DecisionMode = (typeof DECISION_MODES)[number];
export type ConflictResolvedPayload = z.infer<typeof ConflictResolvedPayloadSchema>;
export type ConflictSupersededPayload = z.infer<typeof ConflictSupersededPayloadSchema>;
export type ReferralStatusChangedPayload = z.infer<typeof ReferralStatusChangedPayloadSchema>;
export type CreditNoticePayload = z.infer<typeof CreditNoticePayloadSchema>;
