import {
  catchUpBeforeCoordinationWaves, collectSummary, CoordinationReader, formatSummary, generatePlan, runPlan, waitForCatchUp,
} from '../scripts/simulate/index';
import { RunningSystem, startSystem } from './support/system';

/**
 * The simulator at a small size against the four services on real Kafka: its summary, read
 * back through the public APIs, must match what it can compute from what it generated.
 */
let system: RunningSystem;
beforeAll(async () => {
  system = await startSystem({ kafka: true });
});
afterAll(async () => system?.stop());

it('runs a simulated year and the system reports what was generated', async () => {
  const plan = generatePlan({ clients: 120, agents: 30, branches: 4, seed: 7, months: 12 });
  const reader = new CoordinationReader(system.urls.coordination, system.keys.coordinator);
  const run = await runPlan(plan, system.urls, system.keys, {
    concurrency: 8,
    beforeWave: catchUpBeforeCoordinationWaves(reader, plan.requests, { pollMs: 500, deadlineMs: 180_000 }),
  });
  expect({ problems: run.problems, failures: run.failures, samples: run.samples }).toEqual({ problems: 0, failures: 0, samples: [] });
  expect(run.succeeded).toBe(plan.requests.length);

  const catchUp = await waitForCatchUp(reader, plan.requests, { pollMs: 500, deadlineMs: 180_000 });
  const summary = await collectSummary(plan, system.urls, system.keys, { sampleSize: plan.entities.length, catchUp, run });
  process.stdout.write(`${formatSummary(summary)}\n`);
  const { truth, identity, referrals, conflicts } = summary;

  // Every generated record resolved, no two generated entities merged into one party.
  expect(identity.unresolvedRecords).toBe(0);
  expect(identity.sharedParties).toBe(0);
  // Records known by name and phone only may stay apart when the match is not certain enough.
  expect(identity.observedParties).toBeGreaterThanOrEqual(truth.expectedPartyCount);
  expect(identity.splitEntities).toBeLessThanOrEqual(Math.ceil(truth.expectedPartyCount * 0.03));
  expect(identity.sampleCrossSale).toBe(truth.expectedCrossSaleClients);

  expect(referrals.converted).toBe(truth.referrals.converted);
  expect(referrals.lost).toBe(truth.referrals.lost);
  expect(conflicts.byKind['duplicate-registration']).toBe(truth.conflicts.duplicateRegistration);
  expect(conflicts.byKind['channel-quote-clash']).toBe(truth.conflicts.channelQuoteClash);
  expect(conflicts.byStatus['queued']).toBe(truth.conflicts.expectedQueued);
  expect(summary.credits?.length).toBeGreaterThan(0);
});
