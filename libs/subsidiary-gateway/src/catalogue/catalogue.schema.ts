import { CHANNELS, PREMIUM_MODES, PRODUCT_LINES, subsidiaryUnderwrites, SUBSIDIARIES } from '@lib/contracts';
import { z } from 'zod';

/**
 * The shape of `apps/<sub>/catalogue.json`. A factor is a decimal string so that the
 * standard premium is computed exactly; it is bounded because a typo such as "100"
 * instead of "1.00" would inflate every KPI built on it.
 */
const FactorSchema = z
  .string()
  .regex(/^\d{1,2}(\.\d{1,4})?$/, { error: 'must be a decimal string such as "0.10" or "1.00"' })
  .refine((v) => Number(v) > 0 && Number(v) <= 10, { error: 'must be greater than 0 and at most 10' });

const CodeSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, { error: 'must be 1-32 letters, digits, _ or -' });

export const CatalogueProductSchema = z
  .strictObject({
    code: CodeSchema,
    name: z.string().min(1).max(100),
    productLine: z.enum(PRODUCT_LINES),
    premiumModes: z.array(z.enum(PREMIUM_MODES)).min(1),
    standardPremium: z.strictObject({
      regularFactor: FactorSchema.optional().describe('applied to the annualised premium of regular-pay modes'),
      singleFactor: FactorSchema.optional().describe('applied to a single premium'),
    }),
  })
  .superRefine((p, ctx) => {
    const single = p.premiumModes.includes('SINGLE');
    const regular = p.premiumModes.some((m) => m !== 'SINGLE');
    if (single && !p.standardPremium.singleFactor) {
      ctx.addIssue({ code: 'custom', path: ['standardPremium', 'singleFactor'], message: 'is required when SINGLE is offered' });
    }
    if (regular && !p.standardPremium.regularFactor) {
      ctx.addIssue({ code: 'custom', path: ['standardPremium', 'regularFactor'], message: 'is required when a regular-pay mode is offered' });
    }
  });

export const CatalogueChannelSchema = z.strictObject({
  code: CodeSchema,
  name: z.string().min(1).max(100),
  channel: z.enum(CHANNELS),
});

export const CatalogueSchema = z
  .strictObject({
    subsidiary: z.enum(SUBSIDIARIES),
    version: z.string().min(1).max(40),
    products: z.array(CatalogueProductSchema).min(1),
    channels: z.array(CatalogueChannelSchema).min(1),
  })
  .superRefine((c, ctx) => {
    duplicates(c.products.map((p) => p.code)).forEach((code) => ctx.addIssue({ code: 'custom', path: ['products'], message: `product code ${code} appears twice` }));
    duplicates(c.channels.map((ch) => ch.code)).forEach((code) => ctx.addIssue({ code: 'custom', path: ['channels'], message: `channel code ${code} appears twice` }));
    c.products.forEach((p, i) => {
      if (!subsidiaryUnderwrites(c.subsidiary, p.productLine)) {
        ctx.addIssue({ code: 'custom', path: ['products', i, 'productLine'], message: `${p.productLine} is not a ${c.subsidiary} product line` });
      }
    });
  });

export type CatalogueFile = z.infer<typeof CatalogueSchema>;
export type CatalogueProduct = z.infer<typeof CatalogueProductSchema>;
export type CatalogueChannel = z.infer<typeof CatalogueChannelSchema>;

function duplicates(codes: string[]): string[] {
  return [...new Set(codes.filter((code, i) => codes.indexOf(code) !== i))];
}
