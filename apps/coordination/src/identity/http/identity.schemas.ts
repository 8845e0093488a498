import { IdentityInputSchema, LocalIdSchema, ReasonSchema, SubsidiarySchema } from '@lib/contracts';
import { validationError } from '@lib/platform';
import { z } from 'zod';

export const PartyIdSchema = z.uuid({ error: 'must be a party id (UUID)' });
export const ReviewIdSchema = z.uuid({ error: 'must be a match review id (UUID)' });

export const ClientLookupQuerySchema = z.strictObject({ subsidiary: SubsidiarySchema, localId: LocalIdSchema });

/** The clear number arrives only in a POST body and is hashed at once; it is never logged or stored. */
export const IdentityLookupBodySchema = IdentityInputSchema;

const EvidenceSchema = z.strictObject({
  field: z.string().min(1).max(64),
  comparison: z.string().min(1).max(64),
  weight: z.number().finite(),
});

export const MergeBodySchema = z.strictObject({
  absorbedPartyId: PartyIdSchema,
  reason: ReasonSchema,
  evidence: z.array(EvidenceSchema).max(50).optional(),
});

export const UnmergeBodySchema = z.strictObject({ absorbedPartyId: PartyIdSchema, reason: ReasonSchema });

export const ReviewListQuerySchema = z.strictObject({
  status: z.enum(['open', 'approved', 'rejected']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const ReviewDecisionBodySchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  reason: ReasonSchema,
});

/** Parses or throws 400 VALIDATION_FAILED with field paths under `where` (body, query, path). */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, [where]);
  return result.data;
}
