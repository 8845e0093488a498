/**
 * Coordination throughput benchmark: canonical subsidiary events produced straight to
 * `<prefix>subsidiary.<sub>.events`, consumed by the coordination service (a real process,
 * dist/apps/coordination/src/main.js), stored in the event store and projected into the
 * 360° view. In one run, on a fresh database and broker:
 *   - setup: 300 agents, then `--pipeline-parties` ClientRegistered through the whole pipeline (timed);
 *   - sustained events/s: a mixed backlog of `--events` (new persons, cross-registrations of
 *     the same person at a second subsidiary, policies) drained until the view shows it all;
 *   - freshness p50/p99: `--rate` events/s for `--fresh-seconds`, every event watched until
 *     the view shows it; again at half the measured sustained rate for `--fresh-low-seconds`;
 *   - at scale: copies of the pipeline-built views (SQL) until client_view holds `--parties`
 *     (loading 200,000 through the pipeline does not fit the time budget on 2 cores; the report
 *     says so), a `--post-fill-events` mixed backlog at that size, then
 *     GET /v1/clients/{id} p50/p99 at `--read-rate` req/s on random parties (coordinator key),
 *     with one-row commits on their own connection at `--commit-probe-rate`/s alongside (each
 *     read waits for its access event's commit: the disk's commit latency is the reads' floor);
 *   - ceilings: a plain kafkajs consumer group over the same topics, plain PostgreSQL INSERTs, and a
 *     registration's rows written set-based (set-based-ceiling.ts: PostgreSQL's side of that design).
 * A size of 0 skips its phase.
 *
 *   npm run bench:coordination -- [--parties 200000] [--pipeline-parties 10000] [--events 10000]
 *     [--rate 1000] [--fresh-seconds 5] [--fresh-low-seconds 30] [--post-fill-events 300]
 *     [--read-rate 500] [--read-seconds 30] [--read-connections 20] [--commit-probe-rate 50]
 *     [--partitions 3]
 *
 * Env: BENCH_PG_URL (admin URL, default the local server), KAFKA_BROKERS (else a broker is
 * started from the cached jars), BENCH_LOG_LEVEL (service log level, default warn),
 * BENCH_SERVICE_NODE_ARGS (e.g. --cpu-prof), BENCH_OUT (also write the JSON there), BENCH_KEEP_LOG=1 (keep the
 * service log), BENCH_SLOW_MS (print each paced request slower than that, with its due time),
 * BENCH_STATEMENTS=1 (each drained backlog's top statements per event, from pg_stat_statements when the
 * server loads it: statements.ts).
 * Targets: >= 5,000 events/s sustained, freshness p99 < 1 s at 1,000 events/s, view reads
 * p99 < 20 ms at 500 req/s.
 */
import { eventsTopic, SUBSIDIARIES } from '@lib/contracts';
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { kafkaConsumeCeiling, pgInsertCeiling } from './ceilings';
import { setBasedCeiling } from './set-based-ceiling';
import { cloneViews } from './fill';
import { coordinationNodeArgs, coordinatorKey, HMAC_KEY, Infra, log, ServiceProcess, startCoordination, startInfra } from './harness';
import { Ctx, drain, freshness, produce } from './phases';
import { load, waitFor } from './probe';
import { partyIds, readLoad } from './reads';
import { emit, print, Results, Settings, targetsOf } from './report';
import { Workload } from './workload';

const MINUTE = 60_000;

function settingsFrom(argv: string[]): Settings {
  const flag = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a non-negative number`);
    return value;
  };
  const parties = flag('parties', 200_000);
  return {
    parties, pipelineParties: Math.min(parties, flag('pipeline-parties', 10_000)), events: flag('events', 10_000), rate: flag('rate', 1_000),
    freshSeconds: flag('fresh-seconds', 5), freshLowSeconds: flag('fresh-low-seconds', 30), readRate: flag('read-rate', 500),
    readSeconds: flag('read-seconds', 30), readConnections: flag('read-connections', 20), partitions: flag('partitions', 3),
    postFillEvents: flag('post-fill-events', 300), commitProbeRate: flag('commit-probe-rate', 50),
  };
}

/** Agents first (policies need them), then parties through the whole pipeline (timed). */
async function setup(ctx: Ctx, workload: Workload, s: Settings, results: Partial<Results>): Promise<void> {
  const agents = workload.agents();
  await produce(ctx.producer, agents);
  await waitFor(ctx.pool, (p) => p.processed >= agents.length, 5 * MINUTE);
  if (s.pipelineParties > 0) {
    log(`loading ${s.pipelineParties} parties through Kafka -> coordination (setup, timed)`);
    results.partyLoad = await drain(ctx, workload.clients(s.pipelineParties), 120 * MINUTE);
    log(`party load: ${JSON.stringify(results.partyLoad.eventsPerSecond)}`);
  }
}

/** Measured on the state the pipeline itself built, before any copies are added. */
async function streams(ctx: Ctx, workload: Workload, s: Settings, results: Partial<Results>): Promise<void> {
  if (s.events > 0) {
    results.sustained = await drain(ctx, workload.mixed(s.events), 120 * MINUTE);
    log(`sustained: ${JSON.stringify(results.sustained.eventsPerSecond)}`);
  }
  if (s.freshSeconds > 0) {
    results.freshness = await freshness(ctx, workload.mixed(Math.round(s.rate * s.freshSeconds)), s.rate, 60 * MINUTE);
    log(`freshness at ${s.rate}/s: ${JSON.stringify(results.freshness.latencyMs)}`);
  }
  const capacity = results.sustained?.eventsPerSecond.steady ?? results.partyLoad?.eventsPerSecond.steady;
  if (s.freshLowSeconds > 0 && capacity && Number.isFinite(capacity)) {
    const rate = Math.max(1, Math.floor(capacity / 2));
    results.freshnessLow = await freshness(ctx, workload.mixed(Math.round(rate * s.freshLowSeconds)), rate, 30 * MINUTE);
    log(`freshness at ${rate}/s: ${JSON.stringify(results.freshnessLow.latencyMs)}`);
  }
}

/** The view table grows to --parties (copies), then a small mixed backlog and the reads run against that size. */
async function atScale(ctx: Ctx, service: ServiceProcess, infra: Infra, workload: Workload, s: Settings, results: Partial<Results>): Promise<void> {
  if (s.parties > s.pipelineParties) {
    results.fill = await cloneViews(infra.pool, s.parties);
    log(`copied ${results.fill.cloned} views in ${results.fill.seconds} s`);
  }
  if (s.postFillEvents > 0) {
    results.sustainedAtScale = await drain(ctx, workload.mixed(s.postFillEvents), 60 * MINUTE);
    log(`mixed backlog at scale: ${JSON.stringify(results.sustainedAtScale.eventsPerSecond)}`);
  }
  if (s.readSeconds > 0) {
    const ids = await partyIds(infra.pool);
    log(`reading ${ids.length} parties at ${s.readRate} req/s`);
    results.reads = await readLoad(service.url, await coordinatorKey(infra.databaseUrl), ids, { rate: s.readRate, seconds: s.readSeconds, connections: s.readConnections, cpu: ctx.cpu, probePool: infra.pool, commitProbeRate: s.commitProbeRate });
  }
}

async function measure(infra: Infra, service: ServiceProcess, s: Settings, results: Partial<Results>): Promise<void> {
  const producer = infra.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const ctx: Ctx = { pool: infra.pool, producer, cpu: { service: service.pid, broker: infra.brokerPid, database: infra.database } };
    const workload = new Workload(infra.prefix, HMAC_KEY);
    await setup(ctx, workload, s, results);
    await streams(ctx, workload, s, results);
    await atScale(ctx, service, infra, workload, s, results);
    log('ceilings: raw kafkajs consume, raw PostgreSQL INSERT');
    const kafkaConsume = await kafkaConsumeCeiling(infra.kafka, SUBSIDIARIES.map((sub) => `${infra.prefix}${eventsTopic(sub)}`));
    const postgresInsert = await pgInsertCeiling(infra.pool, workload.mixed(2_000));
    results.ceilings = { kafkaConsume, postgresInsert, setBased: await setBasedCeiling(infra.pool, workload.clients(2_000)) };
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const settings = settingsFrom(process.argv.slice(2));
  const startedAt = new Date();
  const loadBefore = load();
  const infra = await startInfra(settings.partitions);
  const results: Partial<Results> = {};
  let service: ServiceProcess | undefined;
  let failure: string | undefined;
  let postgres = '';
  try {
    postgres = String((await infra.pool.query('SELECT version() AS v')).rows[0].v).split(',')[0];
    const t0 = Date.now();
    service = await startCoordination(infra);
    results.bootSeconds = Math.round((Date.now() - t0) / 100) / 10;
    log(`coordination ${service.url} (pid ${service.pid}, log ${service.logFile}); broker ${infra.brokers}; statistics: ${infra.analyze}`);
    await measure(infra, service, settings, results);
  } catch (error) {
    failure = error instanceof Error ? error.stack ?? error.message : String(error);
    console.error(failure);
  } finally {
    await service?.stop();
    await infra.stop();
  }
  // The service's log is kept only when something went wrong.
  if (service && !failure && !process.env.BENCH_KEEP_LOG) rmSync(service.logFile, { force: true });
  const complete = !failure;
  const targets = complete ? targetsOf(results as Results) : [];
  if (complete) print(results as Results, targets, settings);
  emit({
    bench: 'coordination-throughput', at: startedAt.toISOString(), seconds: Math.round((Date.now() - startedAt.getTime()) / 1000), settings,
    machine: { cpu: cpus()[0]?.model, cores: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, postgres, kafka: infra.kafkaVersion, analyze: infra.analyze, serviceNodeArgs: coordinationNodeArgs() },
    loadAverage: { before: loadBefore, after: load() }, results, targets, pass: complete && targets.every((t) => t.pass), ...(failure ? { error: failure } : {}),
  });
  process.exitCode = complete && targets.every((t) => t.pass) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(1);
});
