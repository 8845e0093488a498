import { baseConfigSchema, loadConfig, portSchema } from '@lib/platform';
import { z } from 'zod';
import { identityConfigShape } from './identity/identity.config';

export const coordinationConfigSchema = baseConfigSchema.extend({
  ...identityConfigShape,
  PORT: portSchema.default(3000),
  /** Defaults to `<TOPIC_PREFIX>coordination`, so systems on separate topic prefixes never share a group. */
  KAFKA_GROUP_ID: z.string().min(1).optional(),
  /**
   * Kafka partitions handled at once, each in its own transaction (1 = one at a time). Parked
   * events a concurrent batch could not see are completed by the parked-event sweep.
   */
  INBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(3),
  /**
   * Messages applied per transaction at most: a fetched Kafka batch goes in slices of this size,
   * each committed with its offset, so the identity-resolution locks a slice takes are held for
   * that slice only, not for a whole fetch, while other partitions wait for them (BENCHMARKS.md).
   */
  INBOUND_TRANSACTION_MESSAGES: z.coerce.number().int().min(1).max(100_000).default(50),
  /**
   * Bytes a Kafka fetch waits for (across its partitions) before the broker answers, for at most
   * INBOUND_FETCH_MAX_WAIT_MS. kafkajs's defaults (1 byte, 5 s) answer as soon as one message is
   * there: under a steady trickle the consumer then runs a transaction per message or two, and a
   * fetch waits for the slowest partition's batch before the next, so latency grows with the rate
   * long before the service is busy (BENCHMARKS.md, freshness).
   */
  INBOUND_FETCH_MIN_BYTES: z.coerce.number().int().min(1).max(10_000_000).default(16_384),
  INBOUND_FETCH_MAX_WAIT_MS: z.coerce.number().int().min(1).max(5_000).default(25),
  /** How often parked events whose retry is due are dispatched again (the parked-event sweep). */
  INBOUND_PARKED_SWEEP_MS: z.coerce.number().int().min(50).default(250),
  CONFLICT_SLA_HOURS: z.coerce.number().positive().default(72),
  REFERRAL_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  TOPIC_PREFIX: z.string().regex(/^[a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash, underscore').default(''),
  KURRENTDB_CONNECTION_STRING: z.string().optional(),
});
export type CoordinationConfig = z.infer<typeof coordinationConfigSchema> & { KAFKA_GROUP_ID: string };

export function loadCoordinationConfig(env: NodeJS.ProcessEnv = process.env): CoordinationConfig {
  const config = loadConfig(coordinationConfigSchema, env);
  return { ...config, KAFKA_GROUP_ID: config.KAFKA_GROUP_ID ?? `${config.TOPIC_PREFIX}coordination` };
}
