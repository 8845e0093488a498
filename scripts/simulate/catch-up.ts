/**
 * The coordination service consumes each subsidiary's events asynchronously, one
 * subsidiary's log at a time in order. Before reading results (or marking referrals
 * lost) we wait until it shows the last client, policy and referral the plan sent to
 * each subsidiary, and then until its scorecards, conflict and referral counts stop
 * moving. It gives up only when the service has made no progress (its consumer lag, read
 * from /metrics, has not gone down) for `deadlineMs`: a large run on a small machine may
 * take far longer than that to drain, and that is not a failure.
 */
import type { Subsidiary } from '@lib/contracts';
import type { CoordinationReader } from './reader';
import type { PlannedRequest } from './types';

export interface CatchUpOptions {
  /** How long to wait without progress before giving up. */
  deadlineMs?: number;
  pollMs?: number;
  /** Consecutive identical snapshots that count as caught up. */
  stableRounds?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  onStatus?: (message: string) => void;
}

export interface CatchUpResult {
  caughtUp: boolean;
  waitedMs: number;
  /** Probes (last client, policy, referral per subsidiary) still not visible at the deadline. */
  pending: string[];
}

export interface Probe {
  label: string;
  visible(reader: CoordinationReader): Promise<boolean>;
}

type View = { partyId?: string; holdings?: Array<{ policyNo?: string }> };

const lookupPath = (sub: string, localId: string) => `/v1/clients?subsidiary=${sub}&localId=${encodeURIComponent(localId)}`;

async function viewOf(reader: CoordinationReader, sub: string, localId: string): Promise<View | null> {
  const { status, body } = await reader.get(lookupPath(sub, localId));
  return status === 200 && body && typeof body === 'object' ? (body as View) : null;
}

function probeOf(r: PlannedRequest): Probe {
  const b = r.body as Record<string, string>;
  const sub = r.service;
  switch (r.kind) {
    case 'IssuePolicy':
      return { label: `${sub} policy ${b.policyNo}`, visible: async (reader) => ((await viewOf(reader, sub, b.holderLocalId))?.holdings ?? []).some((h) => h.policyNo === b.policyNo) };
    case 'RegisterReferral':
      return {
        label: `${sub} referral ${b.referralId}`,
        visible: async (reader) => {
          const partyId = (await viewOf(reader, sub, b.clientLocalId))?.partyId;
          if (!partyId) return false;
          const { body } = await reader.get(`/v1/referrals?partyId=${partyId}&limit=200`);
          return ((body as { items?: Array<{ referralId?: string }> } | null)?.items ?? []).some((x) => x.referralId === b.referralId);
        },
      };
    default:
      return { label: `${sub} client ${b.localId}`, visible: async (reader) => (await viewOf(reader, sub, b.localId)) !== null };
  }
}

/** The last client registered, policy issued and referral filed with each subsidiary. */
export function catchUpProbes(requests: readonly PlannedRequest[]): Probe[] {
  const last = new Map<string, PlannedRequest>();
  for (const r of requests) {
    if (r.kind === 'RegisterClient' || r.kind === 'IssuePolicy' || r.kind === 'RegisterReferral') last.set(`${r.service as Subsidiary}:${r.kind}`, r);
  }
  return [...last.values()].map(probeOf);
}

export async function waitForCatchUp(reader: CoordinationReader, requests: readonly PlannedRequest[], options: CatchUpOptions = {}): Promise<CatchUpResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = options.pollMs ?? 3000;
  const started = now();
  const idleMs = options.deadlineMs ?? 600_000;
  let lastProgress = started;
  let lowestLag: number | null = null;
  const inTime = () => now() < lastProgress + idleMs;
  let pending = catchUpProbes(requests);
  while (pending.length > 0 && inTime()) {
    const seen = await Promise.all(pending.map((p) => p.visible(reader)));
    pending = pending.filter((_, i) => !seen[i]);
    if (pending.length === 0) break;
    const lag = await reader.metricSum('consumer_lag_messages');
    if (lag !== null && lowestLag !== null && lag < lowestLag) lastProgress = now();
    if (lag !== null) lowestLag = Math.min(lag, lowestLag ?? lag);
    const behind = lag === null ? '' : ` (${lag.toLocaleString('en-US')} events behind)`;
    options.onStatus?.(`waiting for the coordination service${behind} to show ${pending.map((p) => p.label).join(', ')}`);
    await sleep(pollMs);
  }
  let previous: string | null = null;
  let same = 0;
  while (pending.length === 0 && inTime()) {
    const current = await snapshot(reader);
    same = current === previous ? same + 1 : 0;
    if (same >= (options.stableRounds ?? 2)) return { caughtUp: true, waitedMs: now() - started, pending: [] };
    previous = current;
    options.onStatus?.('waiting for scorecards, conflicts and referrals to settle');
    await sleep(pollMs);
  }
  return { caughtUp: false, waitedMs: now() - started, pending: pending.map((p) => p.label) };
}

/**
 * A runPlan `beforeWave` hook: before a wave that writes to the coordination service
 * (marking referrals lost), wait until it has consumed everything sent so far, so a lost
 * lead's rivals have been weighed before the lead closes.
 */
export function catchUpBeforeCoordinationWaves(
  reader: CoordinationReader,
  requests: readonly PlannedRequest[],
  options: CatchUpOptions = {},
): (wave: number, batch: PlannedRequest[]) => Promise<void> {
  return async (wave, batch) => {
    if (!batch.some((r) => r.service === 'coordination')) return;
    await waitForCatchUp(reader, requests.filter((r) => r.wave < wave), options);
  };
}

async function snapshot(reader: CoordinationReader): Promise<string> {
  const [scorecards, conflicts, referrals] = await Promise.all([
    reader.get('/v1/kpi/scorecards?level=subsidiary&period=year'),
    reader.total('/v1/admin/conflicts'),
    reader.total('/v1/referrals'),
  ]);
  return JSON.stringify([scorecards.status, scorecards.body, conflicts, referrals]);
}
