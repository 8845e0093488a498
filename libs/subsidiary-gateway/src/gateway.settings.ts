import type { Subsidiary } from '@lib/contracts';
import { IdentityCrypto } from '@lib/platform';
import type { Catalogue } from './catalogue/catalogue';
import { gatewayTopics, type GatewayTopics, type SubsidiaryConfig } from './config';
import type { GroupCommitOptions } from './intake/group-commit';
import { gatewaySchema } from './persistence/gateway.migrations';

export const GATEWAY_SETTINGS = Symbol('GATEWAY_SETTINGS');
export const CLOCK = Symbol('CLOCK');

/** The service's time source; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  partitions: number;
  inbound: boolean;
  relay: { batchSize: number; pollIntervalMs: number };
}

/** Everything the gateway needs, resolved once at boot from the validated config. */
export interface GatewaySettings {
  subsidiary: Subsidiary;
  schema: string;
  topics: GatewayTopics;
  catalogue: Catalogue;
  hmacKey: string;
  crypto: IdentityCrypto;
  /** Group commit of REST requests (see IntakeService). */
  groupCommit: GroupCommitOptions;
  /** Null in embedded mode: no relay, the coordination service reads the outbox table. */
  kafka: KafkaSettings | null;
}

export function gatewaySettings(sub: Subsidiary, config: SubsidiaryConfig, catalogue: Catalogue): GatewaySettings {
  const brokers = config.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean) ?? [];
  return {
    subsidiary: sub,
    schema: gatewaySchema(sub),
    topics: gatewayTopics(sub, config.TOPIC_PREFIX),
    catalogue,
    hmacKey: config.IDENTITY_HMAC_KEY,
    crypto: new IdentityCrypto(config.IDENTITY_HMAC_KEY, config.IDENTITY_ENCRYPTION_KEY),
    groupCommit: { maxBatch: config.INTAKE_BATCH_SIZE, lanes: config.INTAKE_BATCH_LANES },
    kafka: brokers.length === 0 ? null : {
      brokers,
      clientId: config.KAFKA_CLIENT_ID ?? `${sub}-service`,
      partitions: config.KAFKA_TOPIC_PARTITIONS,
      inbound: config.KAFKA_INBOUND === 'on',
      relay: { batchSize: config.OUTBOX_BATCH_SIZE, pollIntervalMs: config.OUTBOX_POLL_MS },
    },
  };
}
