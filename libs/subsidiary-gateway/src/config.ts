import { eventsTopic, inboundTopic, dlqTopic, type Subsidiary } from '@lib/contracts';
import { baseConfigSchema, loadConfig, portSchema } from '@lib/platform';
import { z } from 'zod';

const DEFAULT_PORTS: Record<Subsidiary, number> = { life: 3001, pnc: 3002, group: 3003 };

/** The variables a subsidiary service reads on top of the platform's. */
export function subsidiaryConfigSchema(sub: Subsidiary) {
  return baseConfigSchema.extend({
    PORT: portSchema.default(DEFAULT_PORTS[sub]),
    CATALOGUE_PATH: z.string().min(1).optional().describe("overrides the app's own catalogue.json"),
    TOPIC_PREFIX: z
      .string()
      .regex(/^([a-z0-9][a-z0-9_-]*\.)*$/, { error: 'must be empty or dot-terminated segments, e.g. "staging." or "t1a2b."' })
      .default('')
      .describe('prepended to every topic and consumer group name; empty in production, unique per test file in tests'),
    KAFKA_INBOUND: z.enum(['on', 'off']).default('on').describe('consume subsidiary.<sub>.inbound when KAFKA_BROKERS is set'),
    KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6)
      .describe('partitions of the topics the service creates when they are missing; keep equal across the three subsidiaries'),
    OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
    OUTBOX_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(50),
    INTAKE_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(100)
      .describe('most REST requests written in one transaction (group commit); 1 = a transaction per request'),
    INTAKE_BATCH_LANES: z.coerce.number().int().min(1).max(32).default(2).describe('group-commit transactions in flight at once'),
  });
}
export type SubsidiaryConfig = z.infer<ReturnType<typeof subsidiaryConfigSchema>>;

export function loadSubsidiaryConfig(sub: Subsidiary, env: NodeJS.ProcessEnv = process.env): SubsidiaryConfig {
  return loadConfig(subsidiaryConfigSchema(sub), env);
}

export interface GatewayTopics {
  events: string;
  inbound: string;
  inboundDlq: string;
  intakeGroup: string;
}

/** Topic and consumer-group names with the configured prefix (names themselves come from @lib/contracts). */
export function gatewayTopics(sub: Subsidiary, prefix: string): GatewayTopics {
  return {
    events: `${prefix}${eventsTopic(sub)}`,
    inbound: `${prefix}${inboundTopic(sub)}`,
    inboundDlq: `${prefix}${dlqTopic(inboundTopic(sub))}`,
    intakeGroup: `${prefix}${sub}-intake`,
  };
}
