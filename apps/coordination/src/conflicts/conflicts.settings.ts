import { DECISIONS_TOPIC } from '@lib/contracts';
import { ConfigError } from '@lib/platform';
import { z } from 'zod';
import {
  DEFAULT_DETECTION_CONFIG, DEFAULT_EXCLUSIVITY_WINDOWS, type DetectionConfig, type ExclusivityWindows, validateExclusivityWindows,
} from './domain';

/** Everything the conflicts feature reads from configuration, resolved once at boot. */
export interface ConflictsSettings {
  /** Hours a queued conflict may wait before it counts as an SLA breach. */
  slaHours: number;
  /** `${TOPIC_PREFIX}coordination.decisions`. */
  decisionsTopic: string;
  expiryIntervalMs: number;
  /** Referrals expired per scheduler tick: bounded so one tick stays a short transaction. */
  expiryBatchSize: number;
  windows: ExclusivityWindows;
  detection: DetectionConfig;
}

const schema = z.object({
  CONFLICT_SLA_HOURS: z.coerce.number().positive('must be a positive number of hours').default(72),
  REFERRAL_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(1000, 'must be at least 1000').default(60_000),
  TOPIC_PREFIX: z.string().regex(/^[a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash, underscore').default(''),
});

/**
 * Reads the app config first and the environment second: the coordination config schema
 * may not list these variables yet, and a bad value must still stop the service at boot.
 */
export function conflictsSettings(config: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = process.env): ConflictsSettings {
  const pick = (name: keyof z.infer<typeof schema>) => config[name] ?? env[name];
  const parsed = schema.safeParse({
    CONFLICT_SLA_HOURS: pick('CONFLICT_SLA_HOURS'),
    REFERRAL_EXPIRY_INTERVAL_MS: pick('REFERRAL_EXPIRY_INTERVAL_MS'),
    TOPIC_PREFIX: pick('TOPIC_PREFIX'),
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  }
  return {
    slaHours: parsed.data.CONFLICT_SLA_HOURS,
    decisionsTopic: `${parsed.data.TOPIC_PREFIX}${DECISIONS_TOPIC}`,
    expiryIntervalMs: parsed.data.REFERRAL_EXPIRY_INTERVAL_MS,
    expiryBatchSize: 200,
    windows: validateExclusivityWindows(DEFAULT_EXCLUSIVITY_WINDOWS),
    detection: DEFAULT_DETECTION_CONFIG,
  };
}
