import { metricsRegistry } from '@lib/platform';
import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { GATEWAY_SETTINGS, type GatewaySettings } from './gateway.settings';

type Source = () => Promise<number>;
const sources = new Map<string, Source>();

/** One gauge per process; each subsidiary service in it adds its own labelled source. */
const backlog =
  (metricsRegistry.getSingleMetric('subsidiary_outbox_backlog_messages') as Gauge | undefined) ??
  new Gauge({
    name: 'subsidiary_outbox_backlog_messages',
    help: 'Accepted events in the outbox not yet published to Kafka (grows while the broker is down)',
    labelNames: ['subsidiary'],
    registers: [metricsRegistry],
    async collect() {
      for (const [subsidiary, count] of sources) this.set({ subsidiary }, await count().catch(() => -1));
    },
  });

@Injectable()
export class OutboxMetrics implements OnModuleInit, OnModuleDestroy {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(GATEWAY_SETTINGS) private readonly settings: GatewaySettings,
  ) {}

  onModuleInit(): void {
    void backlog;
    sources.set(this.settings.subsidiary, async () => {
      const [row] = await this.dataSource.query(`SELECT count(*)::int AS n FROM "${this.settings.schema}".outbox WHERE published_at IS NULL`);
      return Number(row?.n ?? 0);
    });
  }

  onModuleDestroy(): void {
    sources.delete(this.settings.subsidiary);
  }
}
