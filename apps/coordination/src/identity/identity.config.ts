import { DEFAULT_MATCH_THRESHOLDS, MatchThresholds, validateThresholds } from './domain';
import { z } from 'zod';

const threshold = (fallback: number) => z.coerce.number().min(0).max(1).default(fallback);

/**
 * Identity's environment variables, as a fragment the app's config schema can merge
 * (`coordinationConfigSchema.extend(identityConfigShape)`). Until it does, the module
 * reads the same variables from process.env through this schema, so a bad value still
 * stops the service at boot with the variable's name.
 */
export const identityConfigShape = {
  MATCH_AUTO_LINK_THRESHOLD: threshold(DEFAULT_MATCH_THRESHOLDS.autoLink).describe('match probability at or above which records link without review'),
  MATCH_REVIEW_THRESHOLD: threshold(DEFAULT_MATCH_THRESHOLDS.review).describe('match probability at or above which a pair goes to the review queue'),
};
export const identityConfigSchema = z
  .object({
    ...identityConfigShape,
    IDENTITY_HMAC_KEY: z.string().min(32).default('dev-only-identity-hmac-key-change-me-0000000000'),
  })
  .refine((c) => c.MATCH_REVIEW_THRESHOLD <= c.MATCH_AUTO_LINK_THRESHOLD, {
    path: ['MATCH_REVIEW_THRESHOLD'],
    message: 'must not exceed MATCH_AUTO_LINK_THRESHOLD',
  });

export interface IdentitySettings {
  thresholds: MatchThresholds;
  /** The HMAC key the subsidiary services hash identity numbers with (look-up by identity). */
  hmacKey: string;
}

export const IDENTITY_SETTINGS = Symbol('IDENTITY_SETTINGS');

/** Settings from the app's validated config when it has them, else from the environment. */
export function identitySettingsFrom(...sources: Array<Record<string, unknown> | undefined>): IdentitySettings {
  const merged = Object.assign({}, ...sources.filter(Boolean).reverse()) as Record<string, unknown>;
  const result = identityConfigSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const c = result.data;
  return {
    thresholds: validateThresholds({ autoLink: c.MATCH_AUTO_LINK_THRESHOLD, review: c.MATCH_REVIEW_THRESHOLD }),
    hmacKey: c.IDENTITY_HMAC_KEY,
  };
}
