import { OutboxRelay, KafkaInboundTransport, type MessagingLog } from '@lib/messaging';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import { DataSource } from 'typeorm';
import { GATEWAY_SETTINGS, type GatewaySettings, type KafkaSettings } from '../gateway.settings';
import { IntakeService } from '../intake/intake.service';
import { inboundHandler } from './inbound.handler';

export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');

export function createKafka(settings: KafkaSettings): Kafka {
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    logLevel: logLevel.WARN,
    logCreator: () => ({ level, log }: LogEntry) => {
      const line = `${log.message}${log.broker ? ` (broker ${String(log.broker)})` : ''}`;
      if (level <= logLevel.ERROR) logger.error(line);
      else logger.warn(line);
    },
  });
}

/** Health check: a broker answers within the platform's timeout (no kafkajs retries behind it). */
export async function pingKafka(kafka: Kafka): Promise<void> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

function messagingLog(context: string): MessagingLog {
  const logger = new Logger(context);
  return (level, message, meta) => {
    const line = meta ? `${message} ${JSON.stringify(meta)}` : message;
    if (level === 'error') logger.error(line);
    else if (level === 'warn') logger.warn(line);
    else if (level === 'info') logger.log(line);
    else logger.debug(line);
  };
}

/**
 * The service's Kafka side when KAFKA_BROKERS is set: the outbox relay (events out) and
 * the inbound consumer (requests in, group `<sub>-intake`). In embedded mode it does
 * nothing: the coordination service reads the outbox table itself.
 */
@Injectable()
export class KafkaRuntime implements OnApplicationBootstrap, OnModuleDestroy {
  private relay: OutboxRelay | null = null;
  private inbound: KafkaInboundTransport | null = null;

  constructor(
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka | null,
    private readonly dataSource: DataSource,
    private readonly intake: IntakeService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const config = this.settings.kafka;
    if (!config || !this.kafka) return;
    const { schema, topics } = this.settings;
    await ensureTopics(this.kafka, [topics.events, topics.inbound, topics.inboundDlq], config.partitions);
    this.relay = new OutboxRelay({
      dataSource: this.dataSource, schema, kafka: this.kafka,
      batchSize: config.relay.batchSize, pollIntervalMs: config.relay.pollIntervalMs, log: messagingLog('OutboxRelay'),
    });
    await this.relay.start();
    if (!config.inbound) return;
    this.inbound = new KafkaInboundTransport({
      kafka: this.kafka, groupId: topics.intakeGroup, topics: [topics.inbound], dataSource: this.dataSource, schema,
      log: messagingLog('KafkaIntake'),
    });
    await this.inbound.start(inboundHandler(this.intake));
  }

  async onModuleDestroy(): Promise<void> {
    await this.inbound?.stop().catch(() => undefined);
    await this.relay?.stop().catch(() => undefined);
    this.inbound = null;
    this.relay = null;
  }

  /** Unpublished outbox rows, for metrics and tests; null in embedded mode. */
  async backlog(): Promise<number | null> {
    return this.relay ? this.relay.backlog() : null;
  }
}

/** Creates missing topics with equal partition counts (co-partitioning needs them equal). */
async function ensureTopics(kafka: Kafka, names: string[], numPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = names.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions })), waitForLeaders: true });
    }
  } finally {
    await admin.disconnect();
  }
}
