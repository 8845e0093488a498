/**
 * `npm run simulate -- [--clients 50000] [--agents 2000] [--seed 42] ...`: a year of a
 * simulated insurance group sent through the public APIs of the running system, then
 * what the coordination service made of it next to what was generated. See --help.
 */
import { readFileSync } from 'node:fs';
import { parseCliArgs, USAGE, UsageError, type CliOptions } from './simulate/cli-args';
import {
  catchUpBeforeCoordinationWaves, collectSummary, CoordinationReader, formatProblems, formatSummary, generatePlan, progressBar, runPlan, waitForCatchUp,
  type Credentials, type Plan, type RunResult,
} from './simulate/index';

const REQUIRED_KEYS = ['life', 'pnc', 'group', 'coordinator'] as const;

/** Status while waiting: rewritten in place on a terminal, printed once per change otherwise. */
function statusWriter(): (message: string) => void {
  let last = '';
  return (message) => {
    if (process.stderr.isTTY) process.stderr.write(`\r${message}\x1b[K`);
    else if (message !== last) process.stderr.write(`${message}\n`);
    last = message;
  };
}

function readCredentials(path: string): Credentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read credentials ${path} (${error instanceof Error ? error.message : String(error)}); start the system with npm start first`);
  }
  const credentials = parsed as Credentials;
  const missing = REQUIRED_KEYS.filter((k) => typeof credentials?.[k] !== 'string');
  if (missing.length > 0) throw new UsageError(`credentials ${path} lack ${missing.join(', ')}`);
  return credentials;
}

/** Business times must not lie in the future, so the whole period has to be over. */
function assertPeriodOver(plan: Plan): void {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  if (plan.truth.end >= today) throw new UsageError(`the simulated period ends ${plan.truth.end}, not before today (${today}); pass an earlier --start`);
}

async function send(plan: Plan, cli: CliOptions, credentials: Credentials, reader: CoordinationReader): Promise<RunResult> {
  const bar = progressBar();
  const result = await runPlan(plan, cli.endpoints, credentials, {
    concurrency: cli.concurrency,
    onProgress: (p) => bar.update(p),
    // The last wave marks referrals lost on the coordination service: it must have weighed them by then.
    beforeWave: catchUpBeforeCoordinationWaves(reader, plan.requests, { deadlineMs: cli.catchUpTimeoutMs, onStatus: statusWriter() }),
  });
  bar.finish();
  return result;
}

async function main(argv: string[]): Promise<number> {
  const cli = parseCliArgs(argv);
  if (cli.help) {
    console.log(USAGE);
    return 0;
  }
  const started = Date.now();
  const plan = generatePlan(cli.plan);
  process.stderr.write(`plan: ${plan.requests.length.toLocaleString('en-US')} requests in ${plan.waves} waves, generated in ${Date.now() - started} ms (seed ${plan.options.seed})\n`);
  if (cli.dryRun) {
    console.log(JSON.stringify(plan.truth, null, 2));
    return 0;
  }
  assertPeriodOver(plan);
  const credentials = readCredentials(cli.credentialsPath);
  const reader = new CoordinationReader(cli.endpoints.coordination, credentials.coordinator!);
  const run = cli.summaryOnly ? undefined : await send(plan, cli, credentials, reader);
  const catchUp = await waitForCatchUp(reader, plan.requests, { deadlineMs: cli.catchUpTimeoutMs, onStatus: statusWriter() });
  if (process.stderr.isTTY) process.stderr.write('\n');
  const summary = await collectSummary(plan, cli.endpoints, credentials, { sampleSize: cli.sampleSize, catchUp, run });
  console.log(formatSummary(summary));
  if (run && run.samples.length > 0) console.error(formatProblems(run));
  return run && (run.problems > 0 || run.failures > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
    else console.error(error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
