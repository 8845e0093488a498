import { eventsTopic, SUBSIDIARIES, DECISIONS_TOPIC } from '@lib/contracts';
import type { PostgresEventStore } from '@lib/event-store';
import {
  consumerMigrations, InboundTransport, KafkaInboundTransport, MessagingLog, OutboxRelay, PostgresLogInboundTransport,
} from '@lib/messaging';
import { APP_CONFIG } from '@lib/platform';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { CoordinationConfig } from '../../config';
import { COORDINATION_SCHEMA, EVENT_STORE } from '../tokens';
import { InboundRouter } from './inbound-router';
import { startParkedSweep, sweepParked, SweepOutcome } from './parked-sweep';

/** The subsidiaries' outbox schemas, read directly in embedded mode. */
export const SUBSIDIARY_SCHEMAS = { life: 'sub_life', pnc: 'sub_pnc', group: 'sub_group' } as const;

export const coordinationMessagingMigrations = consumerMigrations(COORDINATION_SCHEMA);

/**
 * Starts consuming the subsidiaries' events: from Kafka when brokers are configured,
 * otherwise straight from their outbox tables. Also runs the audit-chain sealer and, with
 * Kafka, the relay that publishes coordination.decisions.
 */
@Injectable()
export class InboundRunner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Inbound');
  private transport?: InboundTransport;
  private relay?: OutboxRelay;
  private stopSealer?: () => Promise<void>;
  private stopSweep?: () => Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly router: InboundRouter,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(APP_CONFIG) private readonly config: CoordinationConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (process.env.INBOUND_DISABLED !== '1') {
      this.transport = this.config.KAFKA_BROKERS ? this.kafkaTransport() : this.logTransport();
      await this.transport.start(this.router.handlerFor(this.config.KAFKA_BROKERS ? 'kafka' : 'postgres-log'));
      this.stopSweep = startParkedSweep({ ...this.sweepOptions(), intervalMs: this.config.INBOUND_PARKED_SWEEP_MS });
      if (this.config.KAFKA_BROKERS) {
        this.relay = new OutboxRelay({ dataSource: this.dataSource, schema: COORDINATION_SCHEMA, kafka: this.kafka(), log: this.log });
        await this.relay.start();
      }
    }
    if (typeof this.store.startSealer === 'function') {
      this.stopSealer = this.store.startSealer({ onError: (err) => this.logger.warn({ err }, 'sealing failed; retrying') });
    }
  }

  /** Graceful: the batch in hand finishes and its offsets commit before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    await this.transport?.stop();
    await this.stopSweep?.();
    await this.relay?.stop();
    await this.stopSealer?.();
  }

  /** One sweep of the parked events whose retry is due, now (tests and operators). */
  sweepParked(): Promise<SweepOutcome> {
    return sweepParked(this.sweepOptions());
  }

  private sweepOptions() {
    const dlq = this.config.KAFKA_BROKERS ? {} : { publish: false };
    return { dataSource: this.dataSource, router: this.router, groupId: this.config.KAFKA_GROUP_ID, dlq, log: this.log };
  }

  lag() {
    return this.transport?.lag?.() ?? Promise.resolve([]);
  }

  relayBacklog(): Promise<number> {
    return this.relay?.backlog() ?? Promise.resolve(0);
  }

  private kafkaTransport(): InboundTransport {
    return new KafkaInboundTransport({
      kafka: this.kafka(),
      groupId: this.config.KAFKA_GROUP_ID,
      topics: SUBSIDIARIES.map((s) => `${this.config.TOPIC_PREFIX}${eventsTopic(s)}`),
      dataSource: this.dataSource,
      schema: COORDINATION_SCHEMA,
      partitionsConsumedConcurrently: this.config.INBOUND_CONCURRENCY,
      maxMessagesPerTransaction: this.config.INBOUND_TRANSACTION_MESSAGES,
      consumer: { minBytes: this.config.INBOUND_FETCH_MIN_BYTES, maxWaitTimeInMs: this.config.INBOUND_FETCH_MAX_WAIT_MS },
      log: this.log,
    });
  }

  private logTransport(): InboundTransport {
    return new PostgresLogInboundTransport({
      dataSource: this.dataSource,
      sources: SUBSIDIARIES.map((s) => ({ schema: SUBSIDIARY_SCHEMAS[s], topic: `${this.config.TOPIC_PREFIX}${eventsTopic(s)}` })),
      consumerSchema: COORDINATION_SCHEMA,
      groupId: this.config.KAFKA_GROUP_ID,
      dlq: { publish: false },
      log: this.log,
    });
  }

  private kafkaClient?: Kafka;
  private kafka(): Kafka {
    this.kafkaClient ??= new Kafka({
      clientId: this.config.KAFKA_CLIENT_ID ?? 'coordination',
      brokers: this.config.KAFKA_BROKERS!.split(','),
      logLevel: logLevel.WARN,
    });
    return this.kafkaClient;
  }

  private readonly log: MessagingLog = (level, message, meta) => this.logger[level === 'debug' ? 'debug' : level === 'info' ? 'log' : level](meta ?? {}, message);
}

export const decisionsTopic = (prefix: string) => `${prefix}${DECISIONS_TOPIC}`;
