import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../scripts/lib/embedded-postgres';
import { startKafkaBroker } from './kafka-broker';
import { answers } from './postgres';
import { infra, log } from './infra-state';
import { freePort } from './ports';

const LOCAL_PG = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Starts PostgreSQL and a real Kafka broker once per jest run (both the integration
 * and the e2e project call this; the second call reuses the first's servers).
 */
export default async function globalSetup(): Promise<void> {
  infra.users += 1;
  if (infra.users > 1) return;
  process.env.TEST_PG_ADMIN_URL = await resolvePostgres();
  process.env.TEST_KAFKA_BROKERS = await resolveKafka();
  log(`postgres ${redact(process.env.TEST_PG_ADMIN_URL)}, kafka ${process.env.TEST_KAFKA_BROKERS}`);
}

async function resolvePostgres(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  if (await answers(LOCAL_PG)) return LOCAL_PG;
  const dir = mkdtempSync(join(tmpdir(), 'xsell-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), persistent: false, log });
  infra.stops.push(pg.stop);
  return pg.url;
}

async function resolveKafka(): Promise<string> {
  if (process.env.KAFKA_BROKERS) return process.env.KAFKA_BROKERS;
  if (await dockerAnswers()) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('apache/kafka:4.3.1').withKraft().start();
    infra.stops.push(() => container.stop().then(() => undefined));
    return `${container.getHost()}:${container.getMappedPort(9093)}`;
  }
  const broker = await startKafkaBroker({ log });
  infra.stops.push(broker.stop);
  return broker.brokers;
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@]+@/, '//$1:***@');
