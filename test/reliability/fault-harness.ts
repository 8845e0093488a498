/*
 * The shape every fault test shares: the services as processes, steady simulated traffic
 * through REST, a fault injected while it runs, then the verdict:
 *   1. every accepted request became exactly its expected events (effects.ts);
 *   2. the order-independent outcome equals a clean replay of the same topics into a fresh
 *      database by a fresh consumer group (what a run without the fault produces).
 * Heavy: these run under `npm run test:faults` (RELIABILITY_FAULTS=1), not in `npm test`.
 */
import { createTestDatabase, dropUnlessKept } from '../infra/postgres';
import { digestDifferences, orderIndependent, settledDigest, type StateDigest, withPg } from '../support/coordination-state';
import { CLEAN_VERDICT, checkEffects, effectsVerdict, type EffectsReport } from '../support/effects';
import { type AcceptedRequest, sendPlan, subsidiaryPlan, type TrafficOptions, type TrafficResult } from '../support/plan-traffic';
import { type ProcessSystem } from '../support/process-system';
import { startServiceProcess } from '../support/service-process';

export const describeFaults = process.env.RELIABILITY_FAULTS === '1' ? describe : describe.skip;

/** Variables every fault test gives the services: referral expiry runs on wall-clock time, keep it out of the comparison. */
export const FAULT_ENV = { REFERRAL_EXPIRY_INTERVAL_MS: '86400000' };

export interface LoadSpec {
  clients: number;
  agents: number;
  months: number;
  seed: number;
  traffic?: TrafficOptions;
}

export function startLoad(system: ProcessSystem, spec: LoadSpec): { plan: ReturnType<typeof subsidiaryPlan>; done: Promise<TrafficResult> } {
  const plan = subsidiaryPlan({ clients: spec.clients, agents: spec.agents, months: spec.months, seed: spec.seed });
  const done = sendPlan(plan, system.urls, system.keys, { concurrency: 8, ...spec.traffic });
  return { plan, done };
}

export interface Verdict {
  effects: EffectsReport;
  digest: StateDigest;
  /** Differences from the clean replay in the order-independent outcome (must be empty). */
  replayDifferences: string[];
  /** Differences in the full outcome, reported not asserted (arrival order legitimately changes them). */
  fullDifferences: string[];
  settleMs: number;
  replayMs: number;
  /** Each read model rebuilt from the event store alone and compared with the live one (audit API). */
  projections: ProjectionCheck[];
}

export interface ProjectionCheck {
  name: string;
  equal: boolean;
  differing: string[];
}

/** GET /v1/audit/projections/{name}/comparison for every projection: the live read models equal a rebuild from the event store. */
export async function compareProjections(system: ProcessSystem): Promise<ProjectionCheck[]> {
  const live = [system.services.coordination, ...system.extraCoordination].find((s) => s.running());
  if (!live) throw new Error('no coordination instance is running');
  const get = async (path: string) => {
    const res = await fetch(`${live.url}${path}`, { headers: { 'X-Api-Key': system.keys.auditor } });
    if (!res.ok) throw new Error(`GET ${path} answered ${res.status}: ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const { projections } = await get('/v1/audit/projections');
  const checks: ProjectionCheck[] = [];
  for (const { name } of projections as Array<{ name: string }>) {
    const report = await get(`/v1/audit/projections/${encodeURIComponent(name)}/comparison`);
    checks.push({ name, equal: report.equal, differing: (report.tables ?? []).filter((t: { equal: boolean }) => !t.equal).map((t: { table: string }) => t.table) });
  }
  return checks;
}

/** Waits for the faulted run to settle, checks its effects, replays its topics cleanly and compares. */
export async function verdictOf(system: ProcessSystem, traffic: TrafficResult, { timeoutMs = 300_000, extra = [] as AcceptedRequest[] } = {}): Promise<Verdict> {
  const accepted = [...traffic.accepted.values(), ...extra];
  const ids = accepted.map((a) => a.eventId);
  let started = Date.now();
  const digest = await settledDigest(system.database.url, ids, { timeoutMs });
  const settleMs = Date.now() - started;
  const effects = await checkEffects(system.database.url, accepted);
  const projections = await compareProjections(system);
  started = Date.now();
  let replayDifferences: string[] = [];
  const replay = await cleanReplay(system, ids, timeoutMs, (replayed) => {
    replayDifferences = digestDifferences(orderIndependent(digest), orderIndependent(replayed));
    return replayDifferences.length === 0;
  });
  // A run that differs from its replay keeps both databases, to find out why.
  if (replayDifferences.length > 0) system.keepDatabase();
  return { effects, digest, settleMs, projections, replayMs: Date.now() - started, replayDifferences, fullDifferences: digestDifferences(digest, replay, 1) };
}

/**
 * A second coordination instance on a fresh database and consumer group reads every topic from offset 0. Its
 * database is dropped unless `equal` says the outcome differs (or REL_KEEP_DATABASES=1).
 */
async function cleanReplay(system: ProcessSystem, ids: string[], timeoutMs: number, equal: (replayed: StateDigest) => boolean): Promise<StateDigest> {
  const db = await createTestDatabase('rel_replay');
  const replay = await startServiceProcess({
    buildDir: system.build.dir, name: 'coordination', label: 'clean-replay', logDir: system.logDir,
    env: { ...system.envOf('coordination'), DATABASE_URL: db.url, KAFKA_GROUP_ID: `${system.prefix}clean-replay` },
  });
  let same = true;
  try {
    const replayed = await settledDigest(db.url, ids, { timeoutMs });
    same = equal(replayed);
    return replayed;
  } finally {
    await replay.kill('SIGTERM');
    await dropUnlessKept(db, 'the clean replay\'s', !same);
  }
}

export function acceptedClients(traffic: TrafficResult): number {
  return [...traffic.accepted.values()].filter((a) => a.kind === 'RegisterClient').length;
}

/** The assertions of every fault test. */
export function expectNothingLostNothingDoubled(traffic: TrafficResult, verdict: Verdict, extra: AcceptedRequest[] = []): void {
  expect({ problems: traffic.run.problems, failures: traffic.run.failures, samples: traffic.run.samples }).toEqual({ problems: 0, failures: 0, samples: [] });
  expect(traffic.accepted.size).toBe(traffic.run.total);
  const clients = acceptedClients(traffic) + extra.filter((a) => a.kind === 'RegisterClient').length;
  expect(effectsVerdict(verdict.effects, clients)).toEqual(CLEAN_VERDICT);
  expect(verdict.projections.filter((p) => !p.equal)).toEqual([]);
  expect(verdict.projections.length).toBeGreaterThanOrEqual(4);
  expect(verdict.replayDifferences).toEqual([]);
}

/** One line for the test output (RELIABILITY.md quotes these). */
export function summary(name: string, system: ProcessSystem, traffic: TrafficResult, verdict: Verdict, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    crashes: crashesOf(system),
    fault: name, requests: traffic.run.total, accepted: traffic.accepted.size, attempts: traffic.attempts, retries: traffic.run.retries,
    sendMs: traffic.run.elapsedMs, settleMs: verdict.settleMs, replayMs: verdict.replayMs,
    events: verdict.digest['event_store.events'].rows, parties: verdict.effects.parties, deadLetters: verdict.effects.deadLetters,
    projectionsEqualToRebuild: verdict.projections.map((p) => `${p.name}:${p.equal}`),
    fullDifferencesFromReplay: verdict.fullDifferences.map((d) => d.split(':')[0]), ...extra,
  });
}

export function log(line: string): void {
  process.stderr.write(`[reliability] ${line}\n`);
}

export const until = async (condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/** Exits of service processes nobody asked for, each with the first error line of its log tail. */
export function crashesOf(system: ProcessSystem | undefined): string[] {
  return (system?.crashes() ?? []).map((c) => {
    const lines = c.logTail.split('\n');
    const error = lines.find((l) => /^\w*Error|^error:|Unhandled|uncaught/i.test(l.trim())) ?? lines[lines.length - 1];
    return `${c.label} exited (${c.exit}) at ${c.at}: ${error.trim().slice(0, 200)}`;
  });
}

/** True when, within `timeoutMs`, the coordination service holds a transaction that already wrote (a batch in flight). */
export async function openWriteTransaction(sys: ProcessSystem, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  return withPg(sys.database.url, async (c) => {
    while (Date.now() < deadline) {
      const { rows } = await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
        AND application_name = 'xsell-coordination' AND backend_xid IS NOT NULL AND xact_start IS NOT NULL`);
      if (rows.length > 0) return true;
    }
    return false;
  });
}

export async function processedCount(sys: ProcessSystem): Promise<number> {
  return withPg(sys.database.url, async (c) => Number((await c.query('SELECT count(*) AS n FROM coordination.processed_events')).rows[0].n));
}
