/** Claims feed loss ratio and client value; amounts are CNY decimal strings. */
import { z } from 'zod';
import { IsoDateSchema, IsoDateTimeSchema, LocalIdSchema, MoneySchema } from '../primitives';

export const ClaimReportedPayloadSchema = z.strictObject({
  claimNo: LocalIdSchema,
  policyNo: LocalIdSchema,
  reportedAt: IsoDateTimeSchema,
  amountClaimed: MoneySchema.describe('"0.00" when the claimant gave no estimate'),
  lossDate: IsoDateSchema.optional(),
  claimantLocalId: LocalIdSchema.optional(),
});

export const ClaimSettledPayloadSchema = z.strictObject({
  claimNo: LocalIdSchema,
  policyNo: LocalIdSchema,
  settledAt: IsoDateTimeSchema,
  amountPaid: MoneySchema.describe('"0.00" for a declined claim'),
});

export type ClaimReportedPayload = z.infer<typeof ClaimReportedPayloadSchema>;
export type ClaimSettledPayload = z.infer<typeof ClaimSettledPayloadSchema>;
