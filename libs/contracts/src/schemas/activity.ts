/**
 * Sales activities: activity volume drives results (LIMRA: 60% of low performance
 * is too little activity), and quotes with a price let the coordination service
 * see two channels quoting the same client against each other.
 */
import { z } from 'zod';
import { ACTIVITY_KINDS } from '../codes';
import { IsoDateTimeSchema, LocalIdSchema, NoteSchema, PositiveMoneySchema, ProductLineSchema } from '../primitives';

export const ActivityLoggedPayloadSchema = z
  .strictObject({
    activityId: LocalIdSchema,
    agentId: LocalIdSchema,
    clientLocalId: LocalIdSchema.optional(),
    kind: z.enum(ACTIVITY_KINDS),
    at: IsoDateTimeSchema,
    productLine: ProductLineSchema.optional(),
    quotedPrice: PositiveMoneySchema.optional().describe('annualised premium quoted, CNY'),
    note: NoteSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.quotedPrice !== undefined && v.productLine === undefined) {
      ctx.addIssue({ code: 'custom', path: ['productLine'], message: 'is required when quotedPrice is given' });
    }
  });

export type ActivityLoggedPayload = z.infer<typeof ActivityLoggedPayloadSchema>;
