import {
  catchUpBeforeCoordinationWaves, collectSummary, CoordinationReader, formatSummary, generatePlan, runPlan, waitForCatchUp,
} from '../scripts/simulate/index';
import { expectEventually } from './infra/expect-eventually';
import { RunningSystem, startSystem } from './support/system';

/**
 * The simulator at a small size against the four services on real Kafka: its summary, read
 * back through the public APIs, must match what it can compute from what it generated.
 */
jest.setTimeout(600_000);

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
  // Catch-up is judged from outside; poll until every generated record has reached the 360° view.
  const summary = await expectEventually(async () => {
    const s = await collectSummary(plan, system.urls, system.keys, { sampleSize: plan.entities.length, catchUp, run });
    expect(s.identity.unresolvedRecords).toBe(0);
    expect((s.referrals.converted ?? 0) + (s.referrals.lost ?? 0)).toBe(plan.truth.referrals.converted + plan.truth.referrals.lost);
    return s;
  }, { timeoutMs: 240_000, intervalMs: 3000 });
  process.stdout.write(`${formatSummary(summary)}\n`);
  const { truth, identity, referrals, conflicts } = summary;

  // Every generated record resolved, no two generated entities merged into one party.
  expect(identity.unresolvedRecords).toBe(0);
  expect(identity.sharedParties).toBe(0);
  // Records known by name and phone only may stay apart when the match is not certain enough.
  expect(identity.observedParties).toBeGreaterThanOrEqual(truth.expectedPartyCount);
  expect(identity.splitEntities).toBeLessThanOrEqual(Math.ceil(truth.expectedPartyCount * 0.03));
  expect(identity.sampleCrossSale).toBe(truth.expectedCrossSaleClients);
  // The 360° view of a client holding policies in two subsidiaries shows both.
  expect(truth.expectedCrossSaleClients).toBeGreaterThan(0);
  expect(new Set(identity.crossSoldExample?.holdings.map((h) => h.subsidiary)).size).toBeGreaterThanOrEqual(2);

  expect(referrals.converted).toBe(truth.referrals.converted);
  expect(referrals.lost).toBe(truth.referrals.lost);
  // Partitions of different subsidiaries' topics may interleave differently, so a staged duplicate
  // registration can be caught by the servicing-relationship rule instead: count all that were caught.
  const caught = Object.values(conflicts.byKind).reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const staged = truth.conflicts.duplicateRegistration + truth.conflicts.policyVsRegistration + truth.conflicts.channelQuoteClash;
  expect(caught).toBe(staged);
  expect(conflicts.byKind['channel-quote-clash']).toBe(truth.conflicts.channelQuoteClash);
  expect(conflicts.byStatus['queued']).toBe(truth.conflicts.expectedQueued);
  expect(conflicts.byStatus['auto-resolved']).toBe(truth.conflicts.expectedAutoResolved);
  expect(summary.credits?.length).toBeGreaterThan(0);
});
