/**
 * The throughput bench's verdict: every figure next to its target and the ceilings
 * measured in the same run, as a table for people and one JSON document for run-all.
 */
import { writeFileSync } from 'node:fs';
import type { KafkaCeiling, PgCeiling } from './ceilings';
import type { SetBasedCeiling } from './set-based-ceiling';
import type { FillResult } from './fill';
import type { FreshnessResult, ThroughputResult } from './phases';
import type { ReadResult } from './reads';

export interface Settings {
  parties: number;
  pipelineParties: number;
  events: number;
  rate: number;
  freshSeconds: number;
  freshLowSeconds: number;
  readRate: number;
  readSeconds: number;
  readConnections: number;
  partitions: number;
  postFillEvents: number;
  commitProbeRate: number;
}

/** A phase skipped by its flag (size 0) is absent. */
export interface Results {
  bootSeconds: number;
  partyLoad?: ThroughputResult;
  fill?: FillResult;
  sustained?: ThroughputResult;
  /** A small mixed backlog once client_view holds --parties rows. */
  sustainedAtScale?: ThroughputResult;
  freshness?: FreshnessResult;
  /** At half the measured sustained rate: the pipeline's own latency, without a growing backlog. */
  freshnessLow?: FreshnessResult;
  reads?: ReadResult;
  ceilings?: { kafkaConsume: KafkaCeiling; postgresInsert: PgCeiling; setBased?: SetBasedCeiling };
}

export interface Target {
  name: string;
  target: string;
  value: number;
  unit: string;
  pass: boolean;
  ceiling?: string;
}

export function targetsOf(r: Results): Target[] {
  const c = r.ceilings;
  const setBased = c?.setBased ? `; a registration's rows set-based ${c.setBased.registrationsPerSecond}/s` : '';
  const ceiling = c && `kafkajs consume ${c.kafkaConsume.messagesPerSecond}/s; PostgreSQL INSERT ${c.postgresInsert.perRowPerSecond}/s per row, ${c.postgresInsert.batchedPerSecond}/s batched${setBased}`;
  const targets: Target[] = [];
  if (r.sustained) {
    const value = r.sustained.eventsPerSecond.view;
    targets.push({ name: 'sustained events/s (Kafka -> coordination -> event store -> 360° view)', target: '>= 5,000', value, unit: 'events/s', pass: value >= 5_000, ceiling });
  }
  if (r.freshness) {
    const f = r.freshness;
    targets.push({ name: `freshness p99 at ${f.targetRate} events/s (produced -> visible in the 360° view)`, target: '< 1,000 ms', value: f.latencyMs.p99, unit: 'ms', pass: f.latencyMs.p99 < 1_000 && f.seen === f.events });
  }
  if (r.reads) {
    const g = r.reads;
    targets.push({ name: `GET /v1/clients/{id} p99 at ${g.targetRate} req/s, ${g.parties} parties`, target: '< 20 ms', value: g.latencyMs.p99, unit: 'ms', pass: g.latencyMs.p99 < 20 && g.non2xx === 0 && g.errors === 0 });
  }
  return targets;
}

const rateLine = (t: ThroughputResult) =>
  `${t.eventsPerSecond.view}/s end-to-end, ${t.eventsPerSecond.inbound}/s inbound, steady ${t.eventsPerSecond.steady}/s, ${t.viewSeconds} s; CPU ms/event service ${t.cpuMsPerEvent.service}, PostgreSQL ${t.cpuMsPerEvent.postgres}, Kafka ${t.cpuMsPerEvent.broker}`;
const freshLine = (f: FreshnessResult) =>
  `p50 ${f.latencyMs.p50} ms, p90 ${f.latencyMs.p90} ms, p99 ${f.latencyMs.p99} ms, max ${f.latencyMs.max} ms; inbound applied p50 ${f.inboundMs.p50} ms, p99 ${f.inboundMs.p99} ms (sent ${f.producedRate}/s, poll ~${f.pollMs} ms)`;

export function print(results: Results, targets: Target[], settings: Settings): void {
  const { partyLoad: l, fill, sustained: t, sustainedAtScale: ts, freshness: f, freshnessLow: fl, reads: g, ceilings: c } = results;
  const rows: string[][] = [];
  if (l) rows.push(['party load (ClientRegistered only), setup', `${l.events} events`, rateLine(l)]);
  if (t) rows.push(['sustained mixed backlog', `${t.events} events`, rateLine(t)]);
  if (f) rows.push([`freshness at ${f.targetRate} events/s`, `${f.seen}/${f.events} seen`, freshLine(f)]);
  if (fl) rows.push([`freshness at ${fl.targetRate} events/s (half sustained)`, `${fl.seen}/${fl.events} seen`, freshLine(fl)]);
  if (fill) rows.push(['view copies to reach --parties (SQL)', `${fill.cloned} views`, `${fill.seconds} s (from ${fill.fromPipeline} pipeline-built views)`]);
  if (ts) rows.push([`mixed backlog with ${settings.parties} views`, `${ts.events} events`, rateLine(ts)]);
  if (g) {
    rows.push([`GET /v1/clients/{id} paced at ${g.targetRate}/s`, `${g.ok} ok, ${g.non2xx} non-2xx, ${g.errors} errors`, `p50 ${g.latencyMs.p50} ms, p90 ${g.latencyMs.p90} ms, p99 ${g.latencyMs.p99} ms, max ${g.latencyMs.max} ms, ${g.achievedRate}/s, at most ${g.maxInFlight} in flight`]);
    const cp = g.commitProbe;
    if (cp) rows.push([`one-row commits alongside the reads, ${cp.rate}/s (the reads' floor: each waits for a commit)`, `${cp.commits} commits`, `p50 ${cp.latencyMs.p50} ms, p90 ${cp.latencyMs.p90} ms, p99 ${cp.latencyMs.p99} ms, max ${cp.latencyMs.max} ms`]);
    const b = g.bursts;
    if (b) rows.push([`GET /v1/clients/{id}, ${g.targetRate} per second in bursts (autocannon)`, `${b.ok} ok, ${b.non2xx} non-2xx, ${b.errors} errors`, `p50 ${b.latencyMs.p50} ms, p90 ${b.latencyMs.p90} ms, p99 ${b.latencyMs.p99} ms, max ${b.latencyMs.max} ms`]);
  }
  if (c) {
    rows.push(['ceiling: raw kafkajs consume', `${c.kafkaConsume.messages} msgs`, `${c.kafkaConsume.messagesPerSecond} msgs/s`]);
    rows.push(['ceiling: raw PostgreSQL INSERT', `${c.postgresInsert.rows} rows`, `${c.postgresInsert.perRowPerSecond}/s one per statement, ${c.postgresInsert.batchedPerSecond}/s batched 500`]);
    const sb = c.setBased;
    if (sb) rows.push([`ceiling: a registration's rows written set-based (PostgreSQL only, slices of ${sb.slice}, ${sb.lanes} connections)`, `${sb.registrations} registrations`, `${sb.registrationsPerSecond}/s, ${sb.statementsPerSlice} statements a slice`]);
  }
  console.log(`\nCoordination throughput (${settings.partitions} partitions per topic; booted in ${results.bootSeconds} s)`);
  table(['measurement', 'volume', 'result'], rows);
  console.log('');
  table(['target', 'goal', 'measured', 'pass'], targets.map((x) => [x.name, x.target, `${x.value} ${x.unit}`, x.pass ? 'yes' : 'NO']));
}

export function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
}

export function emit(report: object): void {
  console.log(`\n${JSON.stringify(report)}`);
  if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, `${JSON.stringify(report, null, 2)}\n`);
}
