/**
 * Policies. productLine and standardPremium are filled in by the subsidiary
 * service from its product catalogue (productCode -> group line, premium x
 * catalogue factor), so every subsidiary's premiums can be compared and added.
 *
 * Versions: v1 sent money as JSON numbers; v2 (current) sends decimal strings and
 * adds standardPremium/quotedPrice. Old v1 events are upcast on read (upcasters.ts).
 */
import { z } from 'zod';
import { PREMIUM_MODES } from '../codes';
import {
  ChannelSchema, IsoDateSchema, LocalChannelCodeSchema, LocalIdSchema, MoneySchema, PositiveMoneySchema,
  PremiumSchema, ProductLineSchema, ReasonSchema, SignedMoneySchema,
} from '../primitives';

const ShareSchema = z
  .number()
  .positive()
  .max(100)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, { error: 'must have at most 2 decimals' });

export const BeneficiarySchema = z.strictObject({ localId: LocalIdSchema, sharePct: ShareSchema });

const POLICY_FIELDS = {
  policyNo: LocalIdSchema,
  productCode: z.string().min(1).max(32).describe("the subsidiary's own product code"),
  productLine: ProductLineSchema.describe('group product line after catalogue mapping'),
  holderLocalId: LocalIdSchema,
  insuredLocalIds: z.array(LocalIdSchema).min(1).max(1000),
  beneficiaries: z.array(BeneficiarySchema).max(20).optional().describe('shares sum to 100; empty = legal heirs'),
  premium: PremiumSchema,
  standardPremium: PositiveMoneySchema.optional().describe('premium x catalogue factor, comparable across subsidiaries'),
  effectiveDate: IsoDateSchema,
  expiryDate: IsoDateSchema,
  sellingAgentId: LocalIdSchema,
  servicingAgentId: LocalIdSchema,
  channel: ChannelSchema,
  localChannelCode: LocalChannelCodeSchema.optional(),
  referralId: LocalIdSchema.nullable().describe('the referral this sale converts, null when none'),
  productSpecialistId: LocalIdSchema.optional(),
  quotedPrice: PositiveMoneySchema.optional(),
};

interface PolicyShape {
  insuredLocalIds: string[];
  beneficiaries?: { localId: string; sharePct: number }[];
  effectiveDate: string;
  expiryDate: string;
}

function checkPolicy(v: PolicyShape, ctx: z.RefinementCtx): void {
  if (v.expiryDate <= v.effectiveDate) {
    ctx.addIssue({ code: 'custom', path: ['expiryDate'], message: 'must be after effectiveDate' });
  }
  if (new Set(v.insuredLocalIds).size !== v.insuredLocalIds.length) {
    ctx.addIssue({ code: 'custom', path: ['insuredLocalIds'], message: 'must not repeat a client' });
  }
  const shares = v.beneficiaries ?? [];
  const cents = shares.reduce((sum, b) => sum + Math.round(b.sharePct * 100), 0);
  if (shares.length > 0 && cents !== 10_000) {
    ctx.addIssue({ code: 'custom', path: ['beneficiaries'], message: `sharePct must sum to 100 (got ${cents / 100})` });
  }
  if (new Set(shares.map((b) => b.localId)).size !== shares.length) {
    ctx.addIssue({ code: 'custom', path: ['beneficiaries'], message: 'must not repeat a client' });
  }
}

export const PolicyIssuedPayloadSchema = z.strictObject(POLICY_FIELDS).superRefine(checkPolicy);

/** v1 premium: amount as a JSON number, which loses cents in floating point. */
export const PremiumV1Schema = z.strictObject({
  amount: z.number().positive(),
  currency: z.literal('CNY'),
  mode: z.enum(PREMIUM_MODES),
});
const { standardPremium: _sp, quotedPrice: _qp, ...POLICY_V1_FIELDS } = POLICY_FIELDS;
export const PolicyIssuedV1PayloadSchema = z
  .strictObject({ ...POLICY_V1_FIELDS, premium: PremiumV1Schema })
  .superRefine(checkPolicy);

const RENEWAL_FIELDS = {
  policyNo: LocalIdSchema,
  newEffectiveDate: IsoDateSchema,
  newExpiryDate: IsoDateSchema,
  premium: PremiumSchema,
  standardPremium: PositiveMoneySchema.optional(),
  servicingAgentId: LocalIdSchema.optional().describe('the agent servicing the renewal; renewal credit follows it'),
};

function checkRenewal(v: { newEffectiveDate: string; newExpiryDate: string }, ctx: z.RefinementCtx): void {
  if (v.newExpiryDate <= v.newEffectiveDate) {
    ctx.addIssue({ code: 'custom', path: ['newExpiryDate'], message: 'must be after newEffectiveDate' });
  }
}

export const PolicyRenewedPayloadSchema = z.strictObject(RENEWAL_FIELDS).superRefine(checkRenewal);
const { standardPremium: _rsp, ...RENEWAL_V1_FIELDS } = RENEWAL_FIELDS;
export const PolicyRenewedV1PayloadSchema = z
  .strictObject({ ...RENEWAL_V1_FIELDS, premium: PremiumV1Schema })
  .superRefine(checkRenewal);

export const PolicyEndorsedPayloadSchema = z.strictObject({
  policyNo: LocalIdSchema,
  endorsementNo: LocalIdSchema.optional(),
  effectiveDate: IsoDateSchema,
  premiumDelta: SignedMoneySchema.describe('signed change of the premium per mode, "0.00" when none'),
  standardPremiumDelta: SignedMoneySchema.optional(),
  reason: ReasonSchema,
});

const TERMINATION_FIELDS = {
  policyNo: LocalIdSchema,
  effectiveDate: IsoDateSchema,
  reason: ReasonSchema,
  refund: MoneySchema.optional().describe('premium or cash value returned to the holder'),
};
export const PolicyCancelledPayloadSchema = z.strictObject(TERMINATION_FIELDS);
export const PolicyLapsedPayloadSchema = z.strictObject(TERMINATION_FIELDS);
export const PolicyReinstatedPayloadSchema = z.strictObject({ policyNo: LocalIdSchema, effectiveDate: IsoDateSchema });

export type Beneficiary = z.infer<typeof BeneficiarySchema>;
export type Premium = z.infer<typeof PremiumSchema>;
export type PolicyIssuedPayload = z.infer<typeof PolicyIssuedPayloadSchema>;
export type PolicyIssuedV1Payload = z.infer<typeof PolicyIssuedV1PayloadSchema>;
export type PolicyRenewedPayload = z.infer<typeof PolicyRenewedPayloadSchema>;
export type PolicyRenewedV1Payload = z.infer<typeof PolicyRenewedV1PayloadSchema>;
export type PolicyEndorsedPayload = z.infer<typeof PolicyEndorsedPayloadSchema>;
export type PolicyCancelledPayload = z.infer<typeof PolicyCancelledPayloadSchema>;
export type PolicyLapsedPayload = z.infer<typeof PolicyLapsedPayloadSchema>;
export type PolicyReinstatedPayload = z.infer<typeof PolicyReinstatedPayloadSchema>;

// REST bodies. The service derives productLine and standardPremium from its catalogue,
// and channel from localChannelCode when the caller sends only its own code; path
// parameters (policyNo) are not repeated in the body.
const { productLine: _pl, standardPremium: _isp, channel: _ch, ...POLICY_INPUT_FIELDS } = POLICY_FIELDS;

/** Body of POST /v1/policies. */
export const PolicyInputSchema = z
  .strictObject({ ...POLICY_INPUT_FIELDS, channel: ChannelSchema.optional() })
  .superRefine((v, ctx) => {
    checkPolicy(v, ctx);
    if (!v.channel && !v.localChannelCode) {
      ctx.addIssue({ code: 'custom', path: ['channel'], message: 'is required unless localChannelCode is given' });
    }
  });
const { policyNo: _rpn, standardPremium: _rsp2, ...RENEWAL_INPUT_FIELDS } = RENEWAL_FIELDS;
/** Body of POST /v1/policies/{policyNo}/renewals. */
export const PolicyRenewalInputSchema = z.strictObject(RENEWAL_INPUT_FIELDS).superRefine(checkRenewal);
/** Body of POST /v1/policies/{policyNo}/endorsements. */
export const PolicyEndorsementInputSchema = PolicyEndorsedPayloadSchema.omit({ policyNo: true, standardPremiumDelta: true });
/** Bodies of POST /v1/policies/{policyNo}/cancellation | lapse | reinstatement. */
export const PolicyCancellationInputSchema = PolicyCancelledPayloadSchema.omit({ policyNo: true });
export const PolicyLapseInputSchema = PolicyLapsedPayloadSchema.omit({ policyNo: true });
export const PolicyReinstatementInputSchema = PolicyReinstatedPayloadSchema.omit({ policyNo: true });

export type PolicyInput = z.infer<typeof PolicyInputSchema>;
export type PolicyRenewalInput = z.infer<typeof PolicyRenewalInputSchema>;
export type PolicyEndorsementInput = z.infer<typeof PolicyEndorsementInputSchema>;
export type PolicyCancellationInput = z.infer<typeof PolicyCancellationInputSchema>;
export type PolicyLapseInput = z.infer<typeof PolicyLapseInputSchema>;
export type PolicyReinstatementInput = z.infer<typeof PolicyReinstatementInputSchema>;
