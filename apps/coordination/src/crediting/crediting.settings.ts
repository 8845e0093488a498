import { ConfigError } from '@lib/platform';
import { z } from 'zod';
import type { OrphanRule } from './domain';

export const CREDITING_SETTINGS = Symbol('CREDITING_SETTINGS');

/** Everything crediting reads from configuration, resolved once at boot. */
export interface CreditingSettings {
  /** ORPHAN_REASSIGNMENT_RULE; when unset the rule set in effect on the termination date decides (default team-leader). */
  orphanRule: OrphanRule | null;
  /** Affected policy ledgers re-priced inside the publishing transaction; more go to a background job. */
  recalculationInlineLimit: number;
  recalculationBatchSize: number;
  recalculationIntervalMs: number;
  /** A shadow run replays the whole book in memory; refuse beyond this many policies. */
  shadowRunMaxPolicies: number;
}

const schema = z.object({
  ORPHAN_REASSIGNMENT_RULE: z.enum(['team-leader', 'least-loaded-in-branch', 'coordinator']).optional(),
  CREDIT_RECALC_INLINE_LIMIT: z.coerce.number().int().min(0, 'must be 0 or more').default(500),
  CREDIT_RECALC_BATCH_SIZE: z.coerce.number().int().min(1, 'must be at least 1').max(10_000).default(200),
  CREDIT_RECALC_INTERVAL_MS: z.coerce.number().int().min(100, 'must be at least 100').default(5_000),
  CREDIT_SHADOW_MAX_POLICIES: z.coerce.number().int().min(1).default(200_000),
});

/** Reads the app config first and the environment second (the coordination schema may not list these yet). */
export function creditingSettings(config: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = process.env): CreditingSettings {
  const names = Object.keys(schema.shape) as Array<keyof z.infer<typeof schema>>;
  const parsed = schema.safeParse(Object.fromEntries(names.map((n) => [n, config[n] ?? env[n] ?? undefined])));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  const c = parsed.data;
  return {
    orphanRule: c.ORPHAN_REASSIGNMENT_RULE ?? null,
    recalculationInlineLimit: c.CREDIT_RECALC_INLINE_LIMIT,
    recalculationBatchSize: c.CREDIT_RECALC_BATCH_SIZE,
    recalculationIntervalMs: c.CREDIT_RECALC_INTERVAL_MS,
    shadowRunMaxPolicies: c.CREDIT_SHADOW_MAX_POLICIES,
  };
}
