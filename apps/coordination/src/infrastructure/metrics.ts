import type { PostgresEventStore } from '@lib/event-store';
import { metricsRegistry } from '@lib/platform';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { InboundRunner } from './inbound/inbound-runner';
import { COORDINATION_SCHEMA, EVENT_STORE } from './tokens';

/**
 * Operational gauges read when Prometheus scrapes, so every instance reports the same
 * database-backed truth and nothing is kept in memory between scrapes.
 */
@Injectable()
export class CoordinationMetrics implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly inbound: InboundRunner,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}

  onModuleInit(): void {
    const self = this;
    gauge('consumer_lag_messages', 'Messages behind the head, per inbound topic and partition', ['topic', 'partition'], async function () {
      this.reset();
      for (const l of await self.inbound.lag().catch(() => [])) this.set({ topic: l.topic, partition: String(l.partition) }, l.lag);
    });
    gauge('outbox_backlog_messages', 'Coordination outbox rows not yet published to Kafka', [], async function () {
      this.set(await self.inbound.relayBacklog().catch(() => 0));
    });
    gauge('dead_letters_open', 'Dead-lettered inbound messages awaiting a decision', [], async function () {
      this.set(await self.count(`SELECT count(*)::int AS n FROM ${COORDINATION_SCHEMA}.dead_letters WHERE status = 'open'`));
    });
    gauge('parked_events', 'Inbound events waiting for a prerequisite fact', [], async function () {
      this.set(await self.count(`SELECT count(*)::int AS n FROM ${COORDINATION_SCHEMA}.parked_events`));
    });
    gauge('event_store_events_total', 'Events in the event store (an estimate from the planner statistics when large)', [], async function () {
      this.set(await self.count(`SELECT GREATEST(reltuples, 0)::bigint AS n FROM pg_class WHERE oid = 'event_store.events'::regclass`));
    });
    gauge('event_store_oldest_inflight_tx_seconds', 'Age of the oldest open transaction holding back subscribers (see libs/event-store/README.md)', [], async function () {
      this.set(await self.store.oldestInFlightTxAgeSeconds().catch(() => 0));
    });
  }

  private async count(sql: string): Promise<number> {
    try {
      const [row] = await this.dataSource.query(sql);
      return Number(row?.n ?? 0);
    } catch {
      return 0;
    }
  }
}

function gauge(name: string, help: string, labelNames: string[], collect: (this: Gauge) => Promise<void>): void {
  if (metricsRegistry.getSingleMetric(name)) metricsRegistry.removeSingleMetric(name);
  new Gauge({ name, help, labelNames, registers: [metricsRegistry], collect });
}
