/**
 * A referral (lead registration) is filed by the referring, selling side with its
 * own client id; the product side's policy later names it in `referralId`, or the
 * coordination service links the two by party and product line. Who registered
 * first decides channel conflicts, so `registeredAt` is the business time.
 */
import { z } from 'zod';
import { subsidiaryUnderwrites } from '../codes';
import { IsoDateTimeSchema, LocalIdSchema, NoteSchema, ProductLineSchema, SubsidiarySchema } from '../primitives';

export const ReferralRegisteredPayloadSchema = z
  .strictObject({
    referralId: LocalIdSchema,
    clientLocalId: LocalIdSchema.describe("the referring subsidiary's own client id"),
    productSubsidiary: SubsidiarySchema.describe('the subsidiary whose product is being sold'),
    productLine: ProductLineSchema,
    referringAgentId: LocalIdSchema,
    note: NoteSchema.optional(),
    registeredAt: IsoDateTimeSchema.optional().describe('defaults to the envelope occurredAt'),
  })
  .superRefine((v, ctx) => {
    if (!subsidiaryUnderwrites(v.productSubsidiary, v.productLine)) {
      ctx.addIssue({ code: 'custom', path: ['productLine'], message: `is not a ${v.productSubsidiary} product line` });
    }
  });

export type ReferralRegisteredPayload = z.infer<typeof ReferralRegisteredPayloadSchema>;
