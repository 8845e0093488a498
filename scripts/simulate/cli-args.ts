/**
 * `npm run simulate -- [flags]`: flag parsing, kept pure so it is tested without a process.
 */
import { DEFAULT_PLAN_OPTIONS } from './context';
import type { Endpoints } from './client';
import type { PlanOptions } from './types';

export interface CliOptions {
  plan: Omit<PlanOptions, 'catalogues'>;
  endpoints: Endpoints;
  credentialsPath: string;
  concurrency: number;
  sampleSize: number;
  catchUpTimeoutMs: number;
  summaryOnly: boolean;
  dryRun: boolean;
  help: boolean;
}

export const USAGE = `Usage: npm run simulate -- [options]

Drives a simulated insurance group through the public APIs of the running system
(start it first with npm start), then prints expected vs observed results.

  --clients <n>            distinct clients (persons and companies)      [${DEFAULT_PLAN_OPTIONS.clients}]
  --agents <n>             agents incl. team leaders, all subsidiaries   [${DEFAULT_PLAN_OPTIONS.agents}]
  --branches <n>           branches, all subsidiaries                    [${DEFAULT_PLAN_OPTIONS.branches}]
  --seed <n>               the run is reproducible from the seed         [${DEFAULT_PLAN_OPTIONS.seed}]
  --months <n>             length of the simulated period                [${DEFAULT_PLAN_OPTIONS.months}]
  --start <YYYY-MM-01>     first day of the period (must end in the past) [${DEFAULT_PLAN_OPTIONS.start}]
  --concurrency <n>        requests in flight                            [16]
  --base-url-life <url>    life service                                  [http://127.0.0.1:3001]
  --base-url-pnc <url>     P&C service                                   [http://127.0.0.1:3002]
  --base-url-group <url>   group service                                 [http://127.0.0.1:3003]
  --base-url-coordination <url>  coordination service                    [http://127.0.0.1:3000]
  --credentials <path>     API keys written by npm start                 [.dev/credentials.json]
  --sample <n>             clients looked up for the identity/cross-sale figures [2000]
  --catch-up-timeout <s>   give up waiting for the coordination service after this long without progress [600]
  --summary-only           send nothing; wait for catch-up and print the summary of this plan
  --dry-run                generate the plan and print its ground truth; send nothing
  --help`;

const NUMERIC = {
  '--clients': 'clients', '--agents': 'agents', '--branches': 'branches', '--seed': 'seed', '--months': 'months',
} as const;

export function parseCliArgs(argv: readonly string[]): CliOptions {
  const out: CliOptions = {
    plan: { ...DEFAULT_PLAN_OPTIONS },
    endpoints: { life: 'http://127.0.0.1:3001', pnc: 'http://127.0.0.1:3002', group: 'http://127.0.0.1:3003', coordination: 'http://127.0.0.1:3000' },
    credentialsPath: '.dev/credentials.json', concurrency: 16, sampleSize: 2000, catchUpTimeoutMs: 600_000,
    summaryOnly: false, dryRun: false, help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].includes('=') ? (argv[i].split(/=(.*)/s, 2) as [string, string]) : [argv[i], undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag in NUMERIC) out.plan[NUMERIC[flag as keyof typeof NUMERIC]] = integer(flag, value());
    else if (flag === '--start') out.plan.start = value();
    else if (flag === '--concurrency') out.concurrency = integer(flag, value(), 1);
    else if (flag === '--sample') out.sampleSize = integer(flag, value(), 1);
    else if (flag === '--catch-up-timeout') out.catchUpTimeoutMs = integer(flag, value()) * 1000;
    else if (flag === '--credentials') out.credentialsPath = value();
    else if (flag.startsWith('--base-url-') && flag.slice(11) in out.endpoints) out.endpoints[flag.slice(11) as keyof Endpoints] = url(flag, value());
    else if (flag === '--summary-only') out.summaryOnly = true;
    else if (flag === '--dry-run') out.dryRun = true;
    else if (flag === '--help' || flag === '-h') out.help = true;
    else throw new UsageError(`unknown option ${flag}`);
  }
  return out;
}

export class UsageError extends Error {
  readonly code = 'SIMULATOR_USAGE';
}

function integer(flag: string, raw: string, min = 0): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new UsageError(`${flag} must be an integer >= ${min}, got ${raw}`);
  return Number(raw);
}

function url(flag: string, raw: string): string {
  if (!/^https?:\/\/[^\s/]+/.test(raw)) throw new UsageError(`${flag} must be an http(s) URL, got ${raw}`);
  return raw.replace(/\/$/, '');
}
