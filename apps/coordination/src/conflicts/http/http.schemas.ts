import {
  CONFLICT_KINDS, IsoDateTimeSchema, LocalIdSchema, PositiveMoneySchema, ProductLineSchema, REFERRAL_STATUSES, ReasonSchema, SubsidiarySchema,
} from '@lib/contracts';
import { validationError } from '@lib/platform';
import { z } from 'zod';

const page = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

const referralFilter = {
  partyId: z.string().min(1).max(64).optional(),
  productLine: ProductLineSchema.optional(),
  productSubsidiary: SubsidiarySchema.optional(),
  referringSubsidiary: SubsidiarySchema.optional(),
  agentId: LocalIdSchema.optional(),
};
export const ReferralListQuery = z.strictObject({ ...referralFilter, status: z.enum(REFERRAL_STATUSES).optional(), ...page });
export const ReferralPipelineQuery = z.strictObject(referralFilter);

export const AcceptanceBody = z.strictObject({
  acceptedBy: LocalIdSchema.describe('the product-side agent or account manager taking the lead'),
  acceptedAt: IsoDateTimeSchema.optional(),
});
export const QuoteBody = z.strictObject({
  price: PositiveMoneySchema,
  currency: z.literal('CNY').default('CNY'),
  quotedAt: IsoDateTimeSchema.optional(),
});
export const LossBody = z.strictObject({ reason: ReasonSchema, lostAt: IsoDateTimeSchema.optional() });

export const ConflictId = z.uuid({ error: 'must be a conflict id (UUID)' });

export const ConflictListQuery = z.strictObject({
  status: z.enum(['detected', 'queued', 'auto-resolved', 'resolved', 'superseded']).optional(),
  kind: z.enum(CONFLICT_KINDS).optional(),
  assignee: z.string().min(1).max(100).optional(),
  productLine: z.union([ProductLineSchema, z.literal('*')]).optional(),
  slaBreached: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  ...page,
});

export const AssignmentBody = z.strictObject({ assignee: z.string().trim().min(1).max(100) });

const ClaimantRef = z.strictObject({ subsidiary: SubsidiarySchema, agentId: LocalIdSchema });
// Percentages are checked by the domain (2 decimals, > 0, sum 100) so its error codes reach the caller.
const Share = z.strictObject({ subsidiary: SubsidiarySchema, agentId: LocalIdSchema, pct: z.union([z.string().max(20), z.number()]) });
export const ResolutionBody = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('award'), winner: ClaimantRef, rationale: ReasonSchema }),
  z.strictObject({ mode: z.literal('split'), shares: z.array(Share).min(2).max(20), rationale: ReasonSchema }),
  z.strictObject({ mode: z.literal('reject'), rationale: ReasonSchema }),
]);
export type ResolutionInput = z.infer<typeof ResolutionBody>;

// Names are checked by the domain's validatePrecedence, the single list of rules and kinds.
export const PrecedenceBody = z.strictObject({
  order: z.array(z.string().max(64)).max(10),
  alwaysQueue: z.array(z.string().max(64)).max(10),
});
export const DryRunBody = z.strictObject({ precedence: PrecedenceBody });

/** Parses or answers 400 VALIDATION_FAILED with field paths (prefixed with where the value came from). */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw validationError(result.error, where === 'body' ? [] : [where]);
  return result.data;
}
