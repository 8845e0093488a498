import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { Public } from './auth';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';

/** Provided by a service that depends on Kafka; resolves when a broker answers. */
export const KAFKA_PING = Symbol('KAFKA_PING');
export type KafkaPing = () => Promise<void>;

/** Open to probes: orchestrators cannot carry credentials. It reveals only up/down. */
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Optional() @Inject(KAFKA_PING) private readonly kafkaPing?: KafkaPing,
  ) {}

  /** Readiness: the dependencies this instance needs to do its work. */
  @Get()
  @HealthCheck()
  ready() {
    const checks: Parameters<HealthCheckService['check']>[0] = [() => this.db.pingCheck('database', { timeout: 2000 })];
    if (this.kafkaPing) checks.push(() => this.kafka() as never);
    return this.health.check(checks);
  }

  /** Liveness: the process answers; dependencies are not consulted. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  private async kafka() {
    const indicator = this.indicators.check('kafka');
    try {
      await withTimeout(this.kafkaPing!(), 3000);
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: error instanceof Error ? error.message : String(error) });
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
