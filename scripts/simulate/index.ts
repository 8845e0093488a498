/**
 * The simulator's public API, for the CLI (scripts/simulate.ts) and end-to-end tests:
 * generate a plan from a seed, run it against the services, wait, and summarise.
 */
export { generatePlan } from './generate';
export { runPlan, type Credentials, type Endpoints, type RunOptions, type RunProgress, type RunResult } from './client';
export { catchUpBeforeCoordinationWaves, catchUpProbes, waitForCatchUp, type CatchUpOptions, type CatchUpResult } from './catch-up';
export { collectSummary, sampleEntities, type Summary, type SummaryOptions } from './summary';
export { formatProblems, formatSummary } from './summary-format';
export { CoordinationReader } from './reader';
export { progressBar, renderProgress } from './progress';
export { DEFAULT_PLAN_OPTIONS } from './context';
export { needsOf, providesOf } from './dependencies';
export type { EntityTruth, GroundTruth, Plan, PlannedRequest, PlanOptions } from './types';
